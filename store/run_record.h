// RunRecord: everything one run leaves behind, as the run store saves and loads it.
//
// What it holds
// - Identity: the scenario (name, text, hash), the seed and the build id. A run is a pure function
//   of (scenario text, seed, build), so these three are enough to recompute everything else.
// - Outcome: virtual duration, the caller's wall time, the trace hash and size, the trace level,
//   the node names, the trace events with the trace's interned names, the client history, the
//   fault schedule as text lines, the check results, figures, expectations and a summary status.
// - run_id and written_at are assigned by the store when the record is saved; callers leave them
//   empty. written_at is the only wall-clock reading in a record: it is store metadata, never
//   part of anything hashed or compared between runs (see operator== below).
//
// Invariants (checked by RunStore::save_run, which returns an error for a record that breaks them)
// - events[i].index == i, and every events[i].name < names.size() when names are present;
// - events is empty or holds all event_count events (a trace at level `off` counts events it
//   does not keep; a stored trace is never partial).
//
// Who owns what: a RunRecord is a plain value; it holds copies, never pointers into a World.
#pragma once

#include "check/history.h"
#include "sim/trace.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::store {

enum class RunStatus : uint8_t { passed, failed };
std::string_view to_string(RunStatus s);
std::optional<RunStatus> parse_run_status(std::string_view text);

std::string_view to_string(TraceLevel level);  // "off", "events", "full"
std::optional<TraceLevel> parse_trace_level(std::string_view text);

// One scheduled fault as text, so a stored schedule reads without the scenario's types.
struct FaultLine {
    int64_t time_ns = 0;
    std::string kind;         // faults::kind_name: "crash", "partition", ...
    std::string description;  // faults::describe: "crash n2", "partition {n1} | {n2,n3}"
    bool operator==(const FaultLine&) const = default;
};

// One checker's result: its verdict word and machine-readable details
// (e.g. check::report_to_json for the linearizability checker).
struct CheckRecord {
    std::string checker;  // "linearizability", "convergence", ...
    std::string verdict;  // "ok", "violation", "unknown", ...
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
    bool operator==(const CheckRecord&) const = default;
};

// A number a run produced: availability, ops per second, p99 latency in ms ...
struct Figure {
    std::string name;
    double value = 0;
    bool operator==(const Figure&) const = default;
};

// One line of a scenario's [expect]: whether it held, and what was measured.
struct Expectation {
    std::string name;    // "cp.linearizable", "ap.availability_min"
    bool met = false;
    std::string detail;  // "0.993 >= 0.99"
    bool operator==(const Expectation&) const = default;
};

struct RunRecord {
    int64_t run_id = 0;       // assigned by the store; 0 before the record is saved
    std::string written_at;   // assigned by the store: UTC "YYYY-MM-DDTHH:MM:SS.SSSZ"

    std::string scenario_name;
    std::string scenario_text;
    std::string scenario_hash;  // hex text, as the scenario loader computes it
    uint64_t seed = 0;
    std::string build_id;

    int64_t virtual_duration_ns = 0;
    int64_t wall_time_ms = 0;  // measured by the caller, outside the simulation
    uint64_t trace_hash = 0;
    TraceLevel trace_level = TraceLevel::events;
    uint64_t event_count = 0;  // Trace::size(): every event of the run, stored or not

    std::vector<std::string> node_names;  // NodeId -> name
    std::vector<std::string> names;       // the trace's interned names (TraceEvent::name)
    std::vector<TraceEvent> events;       // empty when not stored or not loaded
    bool events_stored = false;           // set by load_run: the store holds this run's events

    check::History history;
    std::vector<FaultLine> faults;
    std::vector<CheckRecord> checks;
    std::vector<Figure> figures;
    std::vector<Expectation> expectations;
    RunStatus status = RunStatus::passed;
};

// Field-by-field equality of every TraceEvent field (TraceEvent has no operator==).
bool same_event(const TraceEvent& a, const TraceEvent& b);
bool same_history_event(const check::Event& a, const check::Event& b);

// Equality of everything a run is, ignoring the store's own bookkeeping
// (run_id, written_at, events_stored).
bool same_run(const RunRecord& a, const RunRecord& b);

}  // namespace faultline::store
