// ViewRun: the run the viewer shows when no stored run is given, and the one place a run is made.
//
// A run is a pure function of (workload, seed, fault schedule, build) (ARCHITECTURE.md). The
// viewer's workload is the kernel demo's cluster (sim/demo/demo.h, added by add_demo_cluster):
// servers elect a leader by heartbeats and terms (two leaders appear when a partition splits
// them: the split brain the viewer should make visible), keep a max-wins key-value store that
// they gossip, and persist before acking; clients put and get with timeouts and record each
// operation as invoke/complete. A seeded nemesis breaks it; the linearizability checker then
// judges the clients' history (the store is not linearizable, so most seeds show a
// counterexample to highlight).
//
// Live edits follow STYLE.md principle 5: the viewer never mutates a run. "Crash n3 here" adds a
// fault to `spec.added` at the cursor's time and calls run_view() again from the same seed; the
// kernel is fast enough (a 10 s run takes milliseconds) that this is the live mode. Stored runs
// load through visualizer/stored_run.h into the same ViewRun.
#pragma once

#include "sim/faults/fault.h"
#include "visualizer/run_model.h"

#include "sim/world.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace faultline::view {

struct ViewRunSpec {
    uint64_t seed = 1;
    int servers = 5;
    int clients = 2;
    Duration duration = seconds(10);
    bool nemesis = true;                     // the seeded nemesis schedule
    bool buggify = true;
    std::vector<std::size_t> removed;        // indices into the nemesis schedule to leave out
    faults::FaultSchedule added;             // faults added by hand (fork from here)
    // Messages dropped by hand while in flight: (when, message id). Ids are deterministic for a
    // run's prefix, so the drop replays; a message no longer in flight then is left alone.
    std::vector<std::pair<Instant, MessageId>> dropped_messages;
    TraceLevel trace_level = TraceLevel::full;
    bool check = true;                       // run the linearizability checker on the history
    uint64_t check_steps_max = 2'000'000;    // keeps a re-run interactive
};

// Where a stored run came from, so that it can be forked: its scenario text re-run with edits.
struct StoredSource {
    std::string scenario_text;
    std::string run_name;                    // the record's scenario_name (picks the system)
    int64_t run_id = 0;
    std::string db;                          // the store it was loaded from
};

struct ViewRun {
    ViewRunSpec spec;
    bool editable = true;                    // false: shown, not re-run (no runner in this build)
    std::optional<StoredSource> source;      // set for stored runs (and their forks)
    faults::FaultSchedule nemesis;           // what the nemesis drew (before `removed`)
    faults::FaultSchedule schedule;          // what the run applied, sorted by time
    RunModel model;
};

// Runs the viewer's workload for `spec` and derives its model. Deterministic.
ViewRun run_view(const ViewRunSpec& spec);

// The two halves of run_view, for a run advanced step by step (live_session.h): the world of
// `spec` with its fault schedule and drops queued, not yet run (run.spec, run.nemesis and
// run.schedule are filled in); and the model of a world's trace so far, with the checker's verdict.
std::unique_ptr<World> make_view_world(const ViewRunSpec& spec, ViewRun& run);
ViewRun model_view_run(const World& world, ViewRun run);

// The node names run_view uses for `spec` (servers n1.., then clients c1..), so a fault can be
// described before the run exists.
std::vector<std::string> view_node_names(const ViewRunSpec& spec);

// The checker's verdict on a model's client history, mapped onto the model: operations texts
// "put KEY VALUE" / "get KEY" with results "VALUE" or "absent". nullopt when the history has no
// operations or one the parser does not understand.
std::optional<VerdictMark> check_linearizability(const RunModel& model, uint64_t steps_max);

}  // namespace faultline::view
