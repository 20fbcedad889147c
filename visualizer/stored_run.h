// Stored runs in the viewer: loading one from the run store, and saving an edited run beside it.
//
// A RunRecord (store/run_record.h) holds the node names, the trace's events and names, the
// fault schedule as text and the checks' results, which is all a RunModel needs; the same
// function derives the model of a run the viewer just made (view_run.h, model_of_outcome), so
// both look alike. Checks become VerdictMarks: findings are marked at their trace events, a
// window of blame (the liveness phase) is shaded, and a linearizability counterexample's
// operations are outlined (matched to the trace's operations by invocation time; records made
// before the checker kept them are re-checked from the stored history, 2M steps at most).
#pragma once

#include "store/run_record.h"
#include "visualizer/view_run.h"

#include <string>
#include <variant>

namespace faultline::view {

// The model of a record; the record must hold its events (load_run with events).
RunModel model_of_record(const store::RunRecord& record, std::string title);

// Opens `db` read-only and loads `run` ("latest" or a run id) with the spec that re-runs it (its
// scenario text, system and seed). On failure, the message to print.
std::variant<ViewRun, std::string> load_stored_run(const std::string& db, const std::string& run);

// The scenario text of an edited run: the spec's scenario with its added faults appended as
// [[fault]] tables, so the edit validates, runs, stores and replays like any scenario. On
// failure (a planned fault removed, which a scenario file cannot say yet; a fault the format
// cannot express), the message to show.
std::variant<std::string, std::string> edited_scenario_text(const ViewRun& run);

// Runs the edited scenario and saves the run of the same system to `db`: the new run id, or the
// message to show.
std::variant<int64_t, std::string> save_edited_run(const ViewRun& run, const std::string& db);

}  // namespace faultline::view
