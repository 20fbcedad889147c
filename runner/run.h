// Running a scenario: one seed, every system of the scenario, each in its own World with the
// same seed and the same faults; then the checks, the figures and the expectations.
//
// A run is a pure function of (scenario text, seed, build): run_scenario twice gives the same
// trace hashes. The wall-clock time it took is measured by the caller (outside the run).
//
// Per system, in order: build the servers (registry), add client nodes c1..cK running the
// workload and a liveness probe node, schedule the scripted faults and the nemesis, schedule the
// liveness phase (heal everything at heal_at: partitions, links, crashed servers, clock drift,
// disk faults), run to the end, then check linearizability of the client history, the protocol's
// invariants, liveness (a write completed ok within `within_ms` of the heal), and compute the
// figures (availability, lost writes, latencies) and the expectations.
#pragma once

#include "runner/invariants.h"
#include "sim/check/checker.h"
#include "sim/check/history.h"
#include "sim/scenario/scenario.h"
#include "sim/trace.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

struct RunOptions {
    uint64_t seed = 1;
    TraceLevel trace_level = TraceLevel::full;
    // Keep the events (and history) in the outcome, for the store and the GUI.
    bool keep_trace = true;
    // Limits the run to events before this true time (replay --until); unset: the whole run.
    std::optional<Instant> until;
};

struct ExpectationResult {
    std::string name;  // "linearizable", "availability_min", ...
    bool met = false;
    std::string detail;  // "expected >= 0.99, got 0.42"
};

struct SystemOutcome {
    std::string system;
    std::string protocol;
    uint64_t trace_hash = 0;
    uint64_t event_count = 0;
    Instant end;
    // Checks.
    std::string linearizability = "skipped";  // ok | violation | unknown | skipped
    std::optional<check::CheckResult> check_result;
    std::vector<std::string> invariant_names;
    std::vector<Violation> violations;
    std::optional<bool> live;                  // unset when liveness is disabled
    std::optional<Instant> heal_at;
    std::optional<Instant> first_progress_after_heal;
    // Figures.
    std::map<std::string, double> figures;
    std::vector<ExpectationResult> expectations;
    bool expectations_met = true;
    // The run itself.
    std::vector<std::pair<Instant, std::string>> faults;  // applied, with descriptions
    check::History history;
    std::vector<TraceEvent> trace;        // empty unless RunOptions::keep_trace and a stored level
    std::vector<std::string> names;       // the trace's interned names
    std::vector<std::string> node_names;
};

struct RunOutcome {
    std::string scenario;
    uint64_t seed = 0;
    std::vector<SystemOutcome> systems;
    bool expectations_met = true;
};

RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& options);

// The run's build identity (version and source revision), stored with runs: a replay on another
// build may legitimately differ.
std::string build_id();

}  // namespace faultline::runner
