// Shrinking a failing run: the smallest scenario we can find that, run with the same seed, still
// fails the same way. `faultline shrink` (cli/shrink_command.cpp) and docs/shrink.md build on it.
//
// What "fails the same way" means (the failure signature)
// - For each system with expectations, the names of its unmet expectations ("naive:
//   linearizable"); for a system without any expectation, its failed checks
//   ("naive: linearizability=violation", "naive: invariant election_safety", "naive: live=false").
//   A candidate is accepted iff its signature equals the original's: not a subset (the bug went
//   away) and not a superset (a second, different failure joined in).
// - A run that fails nothing but meets expectations of violations (a planted bug shown:
//   `invariants_hold = false` met) keeps those instead: "buggy: invariants_hold = false", with
//   every other expectation met (ShrinkResult::demonstration).
// - A system whose run ended in a failed assertion or an exception (SystemOutcome::error) has one
//   entry instead: "cp: assertion protocols/<name>/node.cpp:166" (RunError::signature), the
//   same assertion at the same place whatever values its message carries.
//
// How (greedy delta debugging over the Scenario, in rounds until a round changes nothing or the
// run budget is spent; docs/shrink.md has the details)
// - Each candidate is a copy of the current scenario with one change. It is written as TOML and
//   parsed back (scenario_writer.h): a change the format refuses (a fault naming a removed
//   client, an expectation on a switched-off check) is skipped without a run, and what runs is
//   exactly what the output file will say. Candidates already tried are not run again.
// - Each run uses the SAME seed, with the trace off. Random streams are derived per label (per
//   node, per client, "nemesis"), so a smaller scenario keeps most of the original's randomness:
//   that is why a fixed seed keeps failing while the scenario shrinks.
// - Changes, in the order tried each round: drop systems that are not part of the failure; drop
//   the expectations that were met; drop scripted faults (halves, quarters, ..., one by one);
//   switch the nemesis off, else write what it drew on this seed as [[fault]]s (nemesis off: later
//   passes drop and shorten single faults, and the result reads as a story), else drop its kinds, end its window earlier, move it earlier,
//   shorten its episodes, space them out; switch the liveness phase off; fewer clients; bound unbounded clients, then fewer ops each;
//   a shorter run (never before the last fault ends); shorter faults; earlier faults; fewer
//   servers where the protocols allow it (each protocol's servers_min and servers_odd,
//   only servers no fault or override names); fewer keys; drop per-link overrides. Numbers
//   shrink by trying the floor first, then bisecting between what passed and what failed.
//
// Deterministic: a pure function of (scenario, seed, options, build); no wall clock is read.
#pragma once

#include "runner/run.h"
#include "scenario/scenario.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace faultline::runner {

// How big a scenario is, and how big its run was.
struct ShrinkSize {
    int64_t systems = 0;
    int64_t faults = 0;           // scripted faults
    bool nemesis = false;
    int64_t clients = 0;
    int64_t ops_per_client = 0;   // 0: until the run ends
    double duration_ms = 0;
    int64_t nodes = 0;
    int64_t keys = 0;
    double fault_ms = 0;          // summed length of the scripted faults that last (until, pause)
    int64_t expectations = 0;
    // Measured by the run, summed over systems:
    int64_t client_ops = 0;       // client operations completed (ok, fail or info)
    uint64_t trace_events = 0;
};

struct ShrinkStep {
    std::string what;  // "faults 4 -> 2", "clients 4 -> 1", "duration_ms 12000 -> 5500"
    int run = 0;       // the run (1-based) that accepted it
    std::string toml;  // the scenario now (without the shrink header): a caller may save it, so
                       // that an interrupted shrink still leaves the smallest failure found
};

struct ShrinkOptions {
    int runs_max = 300;            // candidate runs, not counting the first run of the original
    std::string source;            // what was shrunk, for the header: "scenarios/x.toml", "run 17"
    std::string output;            // where the result will be written, for the header's replay line
    std::function<void(const ShrinkStep&)> on_step;  // called for each accepted change
};

struct ShrinkResult {
    bool failed = false;                 // the original run failed or demonstrated; if not, nothing was shrunk
    // The original met its expectations, some of them violations (a planted bug shown): the
    // shrink kept those violations, with every other expectation met.
    bool demonstration = false;
    std::vector<std::string> signature;  // the failure kept, sorted (see the header comment)
    std::vector<std::string> failure;    // the same, readable: "naive: linearizable (expected true, ...)"
    scenario::Scenario minimal;          // the smallest failing scenario found (the original if !failed)
    std::string toml;                    // `minimal` as a scenario file, with the shrink header
    uint64_t seed = 0;                   // the seed that makes `minimal` fail (also its default seed)
    ShrinkSize before, after;
    int runs = 0;                        // runs used, including the first run of the original
    bool budget_spent = false;           // stopped at runs_max, before a round changed nothing
    std::vector<ShrinkStep> steps;
    bool smaller() const { return !steps.empty(); }
};

// The failure a run shows (see the header comment); empty when the run does not fail.
std::vector<std::string> failure_signature(const RunOutcome& run);

ShrinkSize size_of(const scenario::Scenario& s, const RunOutcome& run);

ShrinkResult shrink(const scenario::Scenario& s, uint64_t seed, const ShrinkOptions& options = {});

// "faults 4 1" rows: a before/after table, one line per size, ending in '\n'.
std::string format_shrink_table(const ShrinkSize& before, const ShrinkSize& after);

}  // namespace faultline::runner
