// Fault: every kind of fault as one value type, and a schedule of faults at true times.
//
// Faults are data (CONTRIBUTING.md, "Faults"): a schedule can be stored, shown, replayed, shrunk
// and edited by the GUI. Each kind is a struct in its own header (what it models, its parameters
// with units, what stays recoverable) with its kernel action (apply) and its description; the
// fault kind table (fault_kind.h) says how scenarios write it. apply() performs one fault on a
// World now; schedule() queues a whole schedule as kernel actions.
#pragma once

#include "sim/faults/clock_fault.h"
#include "sim/faults/crash.h"
#include "sim/faults/disk_fault.h"
#include "sim/faults/link_fault.h"
#include "sim/faults/partition_fault.h"
#include "sim/faults/pause.h"
#include "sim/time.h"

#include <string>
#include <variant>
#include <vector>

namespace faultline {
class World;
}

namespace faultline::faults {

// A new kind adds its struct here (and an entry to the fault kind table).
using Fault = std::variant<Crash, Restart, Pause, PartitionNetwork, Heal, ClockJump, ClockDrift, LinkChange,
                           ClearLinkOverrides, DiskFaultProfile, CorruptBlock, WipeDisk>;

// The kind's name as scenarios spell it ("crash", "clock_drift", ...): its struct's kind_name.
inline std::string_view kind_name(const Fault& f) {
    return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kind_name; }, f);
}
// "crash n2", "partition {n1} | {n2,n3}": node ids named by `node_names`.
inline std::string describe(const Fault& f, const std::vector<std::string>& node_names) {
    return std::visit([&](const auto& x) { return x.describe(node_names); }, f);
}
inline void apply(World& world, const Fault& f) {
    std::visit([&](const auto& x) { x.apply(world); }, f);
}

// The same fault with nodes a and b trading places: a crash of a becomes a crash of b, a partition
// isolating a isolates b. How an aimed nemesis episode, drawn on a stand-in node, lands on the
// node it aims at (nemesis.h). Every kind says how (fault.cpp); one without nodes is unchanged.
Fault with_nodes_swapped(const Fault& f, NodeId a, NodeId b);

struct ScheduledFault {
    Instant at;
    Fault fault;
};
using FaultSchedule = std::vector<ScheduledFault>;

// Queues every fault at its time (must not be in the past), in schedule order for equal times.
void schedule(World& world, const FaultSchedule& faults);

// A node's name for descriptions ("#7" for an id `names` does not cover).
std::string node_label(NodeId id, const std::vector<std::string>& names);

}  // namespace faultline::faults
