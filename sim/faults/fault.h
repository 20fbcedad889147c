// Fault: every kind of fault as one value type, and a schedule of faults at true times.
//
// Faults are data (STYLE.md, principle 4): a schedule can be stored, shown, replayed, shrunk and
// edited by the GUI. apply() performs one fault on a World now; schedule() queues a whole
// schedule as kernel actions. Each kind lives in its own header with what it models.
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

using Fault = std::variant<Crash, Restart, Pause, PartitionNetwork, Heal, ClockJump, ClockDrift, LinkChange,
                           ClearLinkOverrides, DiskFaultProfile, CorruptBlock>;

// The kind's name as scenarios spell it: "crash", "restart", "pause", "partition", "heal",
// "clock_jump", "clock_drift", "link", "clear_links", "disk_faults", "corrupt_block".
std::string_view kind_name(const Fault& f);
std::string describe(const Fault& f, const std::vector<std::string>& node_names);

struct ScheduledFault {
    Instant at;
    Fault fault;
};
using FaultSchedule = std::vector<ScheduledFault>;

void apply(World& world, const Fault& f);
// Queues every fault at its time (must not be in the past), in schedule order for equal times.
void schedule(World& world, const FaultSchedule& faults);

}  // namespace faultline::faults
