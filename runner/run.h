// Running a scenario: one seed, every system of the scenario, each in its own World with the
// same seed and the same faults; then the checks, the figures and the expectations.
//
// A run is a pure function of (scenario text, seed, build): run_scenario twice gives the same
// trace hashes. The wall-clock time it took is measured by the caller (outside the run).
//
// Per system, in order: build the servers (the protocol's plug-in), add client nodes c1..cK
// running the workload and a liveness probe node, schedule the scripted faults and the nemesis,
// schedule the liveness phase (heal everything at heal_at: partitions, links, crashed servers,
// clock drift, disk faults), run to the end, then run every checker that applies
// (runner/checkers/), add the protocol's own figures, and evaluate the expectations
// (expectations.h).
#pragma once

#include "runner/checkers/checker_entry.h"
#include "check/history.h"
#include "scenario/scenario.h"
#include "sim/faults/fault.h"
#include "sim/trace.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

// Edits of a run beyond its scenario: the viewer's what-ifs, and its live actions replayed. With
// no edits a run is exactly the scenario's.
struct RunEdits {
    std::vector<std::size_t> removed;  // indices into the planned faults (SystemOutcome::planned) left out
    faults::FaultSchedule added;       // faults added by hand, at their times (after planned ones of the same time)
    // Messages dropped by hand while in flight: (when, message id). Ids are deterministic for a
    // run's prefix, so the drop replays; a message no longer in flight then is left alone.
    std::vector<std::pair<Instant, MessageId>> dropped_messages;
    bool empty() const { return removed.empty() && added.empty() && dropped_messages.empty(); }
};

inline constexpr uint64_t default_trace_events_max = 1'000'000;

struct RunOptions {
    uint64_t seed = 1;
    TraceLevel trace_level = TraceLevel::full;
    // Keep the events (and history) in the outcome, for the store and the GUI.
    bool keep_trace = true;
    // The most events a run keeps in memory (Trace::set_events_max): past it the events are let
    // go (the run is stored with its hash, verdicts and history, without them). ~250 bytes an
    // event end to end (measured 2026-12-07): the default bounds a run's trace at about 250 MB.
    uint64_t trace_events_max = default_trace_events_max;
    // Limits the run to events before this true time (replay --until); unset: the whole run.
    std::optional<Instant> until;
    RunEdits edits;
    // [checkers] options to use instead of the scenario's (the viewer keeps its checks quick).
    scenario::OptionValues checker_options;
    // Exploration (runner/explore/): the run's choices come from here instead of the scenario's
    // [explored] table. Not owned; one per run (it counts the run's choice points).
    Chooser* chooser = nullptr;
};

struct ExpectationResult {
    std::string name;  // "linearizable", "availability_min", ...
    bool met = false;
    std::string detail;  // "expected >= 0.99, got 0.42"
};

// A run that did not complete: a failed FL_ASSERT or CHECKER_ASSERT, or an exception that
// escaped protocol code. run_scenario contains it (sim/assertion_failure.h) and reports it here,
// so one such seed does not end a sweep or a shrink. Deterministic like the rest of the run.
struct RunError {
    std::string kind{};       // "assertion", "checker_assertion" or "exception"
    std::string file{};       // source-root relative; empty for an exception
    int line = 0;
    std::string condition{};  // the asserted expression; the exception's type for an exception
    std::string message{};    // the assertion's message, or what()
    uint64_t event = 0;       // trace events recorded before the failure (the next index)
    Instant time{};           // the World's true time then
    std::string context{};    // the assertion report: seed, event number, trace tail (if stored)

    // "assertion failed at protocols/<name>/node.cpp:170: <message> (<condition>)"
    std::string describe() const;
    // The failure's identity for shrink: "assertion protocols/<name>/node.cpp:170" (the same
    // assertion at the same place; the message may carry values that change as a scenario shrinks).
    std::string signature() const;
};

struct SystemOutcome {
    std::string system;
    std::string protocol;
    uint64_t trace_hash = 0;
    uint64_t event_count = 0;
    bool trace_dropped = false;  // more events than RunOptions::trace_events_max: none kept
    Instant end;
    // Checks: each checker that ran on this system, in registry order (runner/checkers/).
    std::vector<CheckOutcome> checks;
    // Every figure of the run: the checkers' and the protocol's own.
    std::map<std::string, double> figures;
    std::optional<Instant> heal_at;             // the liveness phase's heal, when enabled
    std::optional<Instant> first_progress_after_heal;
    std::vector<ExpectationResult> expectations;
    bool expectations_met = true;
    // Set when the run ended in an assertion or exception: then no check ran (no checks,
    // figures or expectations), `expectations_met` is false, and the trace and history are
    // those up to the failure.
    std::optional<RunError> error;
    // The run itself.
    faults::FaultSchedule planned;  // the scenario's faults: scripted and the nemesis's, in time order
    std::vector<std::pair<Instant, std::string>> faults;  // applied (planned, edited, live), described
    // What the nemesis applied: its drawn episodes, and its aimed ones where they landed, in the
    // order they were queued (a shrink writes them as the scenario's own [[fault]]s).
    faults::FaultSchedule nemesis_faults;
    check::History history;
    std::vector<NodeId> served_by;        // per operation of `history`: the server that answered
    std::vector<TraceEvent> trace;        // empty unless RunOptions::keep_trace and a stored level
    std::vector<std::string> names;       // the trace's interned names
    std::vector<std::string> node_names;

    // The outcome of a checker, or null when it did not run.
    const CheckOutcome* check(std::string_view checker) const;
    // Its verdict: ok | violation | unknown, or "skipped" when it did not run.
    std::string verdict(std::string_view checker) const;
};

struct RunOutcome {
    std::string scenario;
    uint64_t seed = 0;
    std::vector<SystemOutcome> systems;
    bool expectations_met = true;
    // Some system's run ended in an assertion or exception (SystemOutcome::error).
    bool internal_error() const;
    // The systems' trace hashes folded into one: the run's identity, as a sweep row and
    // `run --json` give it (for one system, that system's hash).
    uint64_t trace_hash() const;
};

// Never aborts on a failed FL_ASSERT / CHECKER_ASSERT or an exception during a system's run and
// its checks: that system's outcome carries a RunError, and the other systems still run.
RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& options);
// One system of it (a SystemSession run to its end, session.h).
SystemOutcome run_system(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& options);

// The run's build identity (version and source revision), stored with runs: a replay on another
// build may legitimately differ.
std::string build_id();

}  // namespace faultline::runner
