// The fault kind table: every kind of fault a scenario can script, in one place. The scenario
// parser, the scenario writer, the runner, the shrinker, `faultline list` and the viewer all
// read it; a new kind is one entry (in its kind's .cpp, listed once in fault_kinds.cpp) plus its
// kernel action (a struct in its header with apply and describe, added to the Fault variant).
//
// An entry says, as data: the kind's name and one-line summary; its fields (key, type, bounds,
// required or not, what it means); what until_ms does for it; the trace events its kernel action
// records. And, as functions: the checks across fields its own types cannot express, how to
// make the kernel's typed fault (and its undoing at until_ms) from the fields, and how to read
// the fields back from a typed fault (the viewer writes live edits as [[fault]] tables).
#pragma once

#include "sim/faults/fault.h"
#include "sim/faults/fault_args.h"
#include "sim/link_spec.h"
#include "sim/trace.h"

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::faults {

enum class FieldType : uint8_t {
    server,  // a server's name
    node,    // a server's or a client's name
    nodes,   // a list of node names (servers or clients), each once
    sides,   // groups of node names: at least two, none empty, a node in one group only
    choice,  // one of `choices`
    number,  // a real in [min, max] (min exclusive with min_open)
};

struct FaultField {
    std::string_view key;
    FieldType type = FieldType::number;
    bool required = false;
    std::string_view meaning;  // with its unit
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_open = false;
    std::vector<std::string_view> choices;
    bool shrinkable_length = false;  // a length of time a shrink may shorten (pause's duration_ms)
};

// A problem with a fault's fields as a whole, reported at `key` ("" : at the fault's table).
struct FieldProblem {
    std::string key;
    std::string message;
};

// What turning fields into a kernel fault needs from the run.
struct FaultContext {
    std::function<NodeId(std::string_view name)> node_id;  // a node of the run, by name
    std::size_t node_count = 0;
    std::vector<std::string> servers;                       // in cluster order
    LinkSpec base_link;                                     // [network]'s link
};

struct FaultKind {
    std::string_view name;
    std::string_view summary;
    std::vector<FaultField> fields;
    std::string_view until;        // what until_ms does ("restart it"); empty: the kind takes none
    std::string_view until_alias;  // another key meaning until_ms ("heal_at_ms"); empty: none
    std::vector<EventKind> trace_kinds;  // what its kernel action records
    // Checks across fields, after each field passed its own (may be empty); `servers` are the
    // cluster's servers in order.
    std::function<std::vector<FieldProblem>(const FaultArgs&, const std::vector<std::string>& servers)> check;
    // Fills in fields left to their defaults that depend on the cluster (a shape's nodes), so a
    // parsed fault says exactly what it does (may be empty). Runs after `check` passed.
    std::function<void(FaultArgs&, const std::vector<std::string>& servers)> complete;
    std::function<Fault(const FaultArgs&, const FaultContext&)> make;
    // The undoing at until_ms (set exactly when `until` is not empty).
    std::function<Fault(const FaultArgs&, const FaultContext&)> undo;
    // A typed fault of this kind as fields; nullopt when it names a node `names` leaves out (an
    // id past its end or named "": the caller blanks nodes a scenario's faults cannot target), or
    // the fault has no faithful [[fault]] form. May be empty: the kind is not written from values.
    std::function<std::optional<FaultArgs>(const Fault&, const std::vector<std::string>& names)> args_of;

    const FaultField* field(std::string_view key) const;
};

// Every kind, in the order scenarios document them.
const std::vector<FaultKind>& fault_kinds();
const FaultKind* find_fault_kind(std::string_view name);
// The entry of a typed fault (by its struct's kind_name).
const FaultKind& kind_of(const Fault& f);
// Whether a trace event records a fault being applied (some kind lists it).
bool is_fault_event(EventKind k);

// The entries of one kind's file (crash.cpp, ...), collected by fault_kinds.cpp.
std::vector<FaultKind> crash_kinds();
std::vector<FaultKind> pause_kinds();
std::vector<FaultKind> partition_kinds();
std::vector<FaultKind> clock_kinds();
std::vector<FaultKind> link_kinds();
std::vector<FaultKind> disk_kinds();

}  // namespace faultline::faults
