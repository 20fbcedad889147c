// ViewRun: what the viewer shows, and the one way it makes a run: through the runner.
//
// A run is a pure function of (scenario text, seed, edits, build) (docs/visualizer.md). A
// ViewRunSpec names a scenario (its text, as read from a file or kept with a stored run), one of
// its systems, a seed, and the viewer's edits: planned faults left out, faults added by hand,
// messages dropped by hand. run_view() runs it with runner::SystemSession and derives the model
// from the outcome the same way a stored run's model is derived from its record, so a run looks
// the same whether it was just made or loaded from the store.
//
// Live edits follow the house rule "the GUI holds no truth": "crash n3 here" adds a fault to
// `spec.added` at the cursor's time and calls run_view() again from the same seed; the kernel is
// fast enough that this is the live mode. Stored runs load through visualizer/stored_run.h.
#pragma once

#include "runner/run.h"
#include "sim/faults/fault.h"
#include "visualizer/run_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faultline::view {

struct ViewRunSpec {
    std::string scenario_text;               // the scenario to run (a file's text, or a stored run's)
    std::string scenario_label;              // its file name, for parsing ("split_brain.toml")
    std::string system;                      // which system of it ("": the first)
    uint64_t seed = 1;
    runner::RunEdits edits;                  // planned faults removed, faults added, messages dropped
    uint64_t check_steps_max = 2'000'000;    // linearizability budget: keeps a re-run interactive
};

// Where a stored run came from: saving an edited run stores it beside.
struct StoredOrigin {
    int64_t run_id = 0;
    std::string db;
};

struct ViewRun {
    ViewRunSpec spec;
    std::string title;                       // "split_brain/naive, seed 7"
    bool editable = true;                    // false: shown only (no scenario to re-run it from)
    std::optional<StoredOrigin> stored;      // set for runs loaded from the store (and their edits)
    faults::FaultSchedule planned;           // the scenario's faults before the edits (for the editor)
    RunModel model;
};

// Parses the spec's scenario; on failure the errors, one per line.
std::variant<scenario::Scenario, std::string> parse_view_scenario(const ViewRunSpec& spec);
// The system of `s` the spec names (its first when "": the name must exist).
const scenario::System* view_system(const scenario::Scenario& s, const ViewRunSpec& spec);

// Runs the spec's scenario system with its edits and derives its model. Deterministic. On a bad
// spec (a scenario that does not parse, an unknown system), the message to show.
std::variant<ViewRun, std::string> run_view(const ViewRunSpec& spec);

// The runner's options for the spec (seed, a full trace, its edits and check budget).
runner::RunOptions view_run_options(const ViewRunSpec& spec);

// The model of one system's outcome (checks become VerdictMarks), titled `title`.
RunModel model_of_outcome(const scenario::Scenario& s, const runner::SystemOutcome& o, uint64_t seed, std::string title);

// The spec of a scenario file (its text read, its file name as label). On failure the message.
std::variant<ViewRunSpec, std::string> spec_of_file(const std::string& path, const std::string& system, uint64_t seed);

// The scenario the viewer opens when it is given none: the flagship scenario, built in.
ViewRunSpec default_spec(uint64_t seed);

}  // namespace faultline::view
