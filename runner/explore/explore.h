// Bounded exhaustive exploration: `faultline explore` (cli/explore_command.cpp, docs/explore.md).
//
// What is explored
// - A run's choice points (sim/choice.h): every message sent (as drawn, lost, late, or its sender
//   crashing as it leaves) and every buggify site reached (fires or not). The seeded run is
//   the root; a schedule is the set of points where the run goes another way.
// - Level d holds the schedules with d choices that differ from the seeded run, each the
//   parent's schedule plus one choice at a later point. Levels run in order (breadth first, as
//   DSLabs searches), up to `depth`, within a wall-clock budget per system.
//
// How (stateless, by re-execution: a World cannot be copied, its nodes are fibers)
// - Every schedule is run from the start with a ScheduledChooser. A run records, from its last
//   deviation on, each point's key: the World's state fingerprint folded with the point
//   (World::state_fingerprint: nodes' states, disks and the messages in flight, not time).
// - Pruning: a (key, choice) pair is tried once. Another schedule that reaches the same state
//   at the same kind of point and would make the same choice is not run: what follows was
//   already explored from there, up to the timing of timers the fingerprint leaves out (an
//   approximation DSLabs makes too, where timers carry no time).
//
// What counts as found
// - A system whose [expect] asks for a violation (a planted bug: `invariants_hold = false`): a
//   run that meets all its expectations (the bug shown). Any other system: a run that fails an
//   expectation or ends in an error. The search of a system ends at its first such run.
//
// Deterministic: the candidates of a level are generated in order and run in fixed chunks; the
// first found is the first in that order, whatever the number of jobs. Only the budget reads the
// wall clock (between chunks, never inside a run), so a search cut by it can end earlier on a
// slower machine, never differently.
#pragma once

#include "scenario/scenario.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace faultline::runner {

struct ExploreOptions {
    int depth = 3;           // the most choices that differ from the seeded run
    double budget_s = 60;    // wall-clock seconds per system (0: no budget)
    uint64_t seed = 1;
    unsigned jobs = 1;       // worker threads (0: one per core)
    std::vector<std::string> systems;  // only these (empty: every system of the scenario)
    // Called on the calling thread between chunks: system, level, runs of the level done, its candidates.
    std::function<void(const std::string&, int, uint64_t, uint64_t)> on_progress;
};

struct ExploreReport {
    std::string system;
    bool expects_violation = false;  // its [expect] asks for a violation (a planted bug)
    bool found = false;
    std::vector<scenario::ExploredChoice> schedule;  // the found run's choices
    uint64_t runs = 0;               // runs made, the seeded one included
    uint64_t states = 0;             // distinct (state, choice point) keys recorded
    uint64_t pruned = 0;             // candidates not run: their (state, choice) was tried before
    uint64_t choice_points = 0;      // choice points of the seeded run
    int depth_done = 0;              // levels explored to the end (0..depth)
    bool budget_spent = false;
    // The level after depth_done outgrew the explorer's memory bounds (millions of candidates):
    // the scope is too large to explore to the depth asked.
    bool scope_too_large = false;
    double seconds = 0;
    // When found: the run as a scenario of its own (this system only, [explored] set), to write
    // out, store and replay.
    scenario::Scenario found_scenario;
    std::string detail;              // when found: the unmet expectations or the error
};

std::vector<ExploreReport> explore(const scenario::Scenario& s, const ExploreOptions& options);

}  // namespace faultline::runner
