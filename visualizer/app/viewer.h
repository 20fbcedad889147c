// The timeline viewer: a Dear ImGui + GLFW application over a RunModel.
//
// run_viewer opens a window on `run` (or, with `screenshot_path`, renders one frame
// into an invisible window and writes it as a PNG; with `bench_frames`, renders that many frames
// and prints the frame time). Exit codes as cli/main.cpp: 0 ok, 2 no display or bad option,
// 3 internal error (OpenGL or GLFW failed).
#pragma once

#include "visualizer/view_run.h"

#include <optional>
#include <string>

namespace faultline::view {

struct ViewerOptions {
    ViewRun run;                   // the run to show: made by run_view or loaded from the store
    std::string screenshot_path;   // non-empty: headless, one frame, then exit
    std::optional<Instant> at;     // the cursor (default: the first failure, else mid-run)
    int width = 1600;
    int height = 1000;
    int bench_frames = 0;          // > 0: render this many frames offscreen, print ms/frame
    bool fit_all = false;          // start showing the whole run
    bool compress_idle = false;    // start in event order (idle time compressed)
    bool show_help = false;        // start with the help window open
    // A what-if edit made at start-up, as if from the editor: the run is re-run with these faults
    // added and shown side by side with the original (the GUI's live-edit path, headless).
    faults::FaultSchedule edit;
    // Another run shown beside this one on the same time axis (`--compare`): e.g. a passing and a
    // failing seed, or a run and its shrunk version. Its first divergent event is marked.
    std::optional<ViewRun> compare;
    bool lamport = false;          // start with events laid out by Lamport time
};

int run_viewer(const ViewerOptions& options);

}  // namespace faultline::view
