// `faultline view`: argument parsing over run_view(), load_stored_run(), render_svg() and (with
// FAULTLINE_GUI) the ImGui viewer. The same options serve the `view` subcommand of `faultline`
// and the standalone `faultline-view` program (the screenshot test runs the latter, so it does not
// depend on the rest of the CLI). Only the program links the GUI (FAULTLINE_VIEW_IN_PROCESS):
// the subcommand draws --svg itself and execs `<its program>-view` for the window and
// --screenshot, so no other command loads GLFW, OpenGL or X11.
//
//   view [RUN | SCENARIO.toml] [--db FILE] [--seed N] [--system NAME] [--no-faults]
//        [--screenshot out.png [--at MS] [--size WxH]] [--bench-frames N] [--fit-all] [--compress-idle] [--help-window]
//        [--crash NODE@MS ...] [--compare RUN_B | --compare-seed N] [--lamport]
//        [--svg out.svg [--from-ms A] [--to-ms B] [--width PX]]
//
// RUN is a stored run id or `latest`, or a scenario file, run for --seed (one system of it:
// --system, default its first); without it the flagship scenario, built in, is run for --seed. --svg writes the space-time diagram without any GUI. Exit codes as the CLI's:
// 0 ok, 2 usage or input error, 3 internal error.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline::view {

class ViewCommand {
public:
    // Adds the options to `app` itself (standalone program) or to a new `view` subcommand of it.
    ViewCommand(CLI::App& app, bool as_subcommand);
    CLI::App* app() const { return app_; }
    bool chosen() const { return !as_subcommand_ || app_->parsed(); }
    // After parsing: the exit code.
    int run() const;

private:
    int run_svg() const;

    CLI::App* app_ = nullptr;
    bool as_subcommand_ = true;
    std::string run_name_;
    std::string db_ = "faultline.db";
    uint64_t seed_ = 1;
    std::string system_;
    bool no_faults_ = false;
    std::string screenshot_;
    double at_ms_ = -1;
    std::string size_ = "1600x1000";
    int bench_frames_ = 0;
    bool fit_all_ = false;
    bool compress_idle_ = false;
    bool show_help_ = false;
    std::vector<std::string> crashes_;
    std::string compare_run_;
    std::optional<uint64_t> compare_seed_;
    std::string compare_system_;
    bool lamport_ = false;
    std::string svg_;
    double from_ms_ = -1;
    double to_ms_ = -1;
    int width_px_ = 1400;
};

}  // namespace faultline::view
