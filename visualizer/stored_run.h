// Loading a stored run into the viewer: the one function the viewer needs from the run store.
//
// A RunRecord (store/run_record.h) holds the node names, the trace's events and names, the
// fault schedule as text and the checkers' verdicts, which is all a RunModel needs. The record's
// checks become VerdictMarks: an invariant violation is marked at its event, a liveness failure
// shades the time after the heal, and a linearizability violation is re-checked from the stored
// history (2M steps at most) so that its counterexample's operations can be outlined (matched to
// the trace's operations by invocation time). With the runner in the build, a stored run can be
// forked: its scenario re-run from the same seed with faults added at the cursor.
#pragma once

#include "store/run_record.h"
#include "visualizer/view_run.h"

#include <string>
#include <variant>

namespace faultline::view {

// The model of a loaded record; the record must hold its events (load_run with events).
RunModel model_of_record(const store::RunRecord& record);

// Fork from here: re-runs a stored run's scenario with the same seed and `spec.added` appended to
// its text as [[fault]] tables (so the edited scenario is validated like any other) (crash, restart, pause, partition, heal, clock jump and drift; servers only),
// and derives the model of the same system. On failure (no runner in this build, a scenario that
// no longer parses, a fault the scenario format cannot express), the message to show.
// `node_names` are the stored run's (NodeId -> name), so the edits' NodeIds mean the same nodes.
std::variant<ViewRun, std::string> fork_stored_run(const StoredSource& source, const ViewRunSpec& spec,
                                                   const std::vector<std::string>& node_names);

// Saves the fork as a new run in the source's store (its scenario text carries the added faults as
// [[fault]] tables, so `faultline replay` reproduces it). The new run id, or the message to show.
std::variant<int64_t, std::string> save_fork(const StoredSource& source, const ViewRunSpec& spec,
                                             const std::vector<std::string>& node_names);

// Opens `db` read-only and loads `run` ("latest" or a run id). On failure, the message to print.
std::variant<ViewRun, std::string> load_stored_run(const std::string& db, const std::string& run);

}  // namespace faultline::view
