// The `faultline view` and `faultline export` subcommands: argument parsing over run_view(),
// render_svg() and (with FAULTLINE_GUI) the ImGui viewer. cli/main.cpp registers them with one
// call and asks them to run after parsing.
//
//   faultline view [RUN] [--seed N] [--duration-ms D] [--no-faults]
//                  [--screenshot out.png [--at MS] [--size WxH]] [--bench-frames N] [--fit-all] [--compress-idle]
//   faultline export [RUN] --format svg [--seed N] [-o out.svg] [--from-ms A] [--to-ms B]
//
// RUN names a stored run once the run store exists; until then the viewer's workload is run for
// the seed. Exit codes follow cli/main.cpp: 0 ok, 2 usage or input error, 3 internal error.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace faultline::view {

class Commands {
public:
    explicit Commands(CLI::App& app);
    // After app.parse(): the exit code if `view` or `export` was chosen, else nullopt.
    std::optional<int> run() const;

private:
    int run_view_command() const;
    int run_export_command() const;

    CLI::App* view_ = nullptr;
    CLI::App* export_ = nullptr;
    std::string run_name_;
    uint64_t seed_ = 1;
    int64_t duration_ms_ = 10'000;
    bool no_faults_ = false;
    std::string screenshot_;
    double at_ms_ = -1;
    std::string size_ = "1600x1000";
    int bench_frames_ = 0;
    bool fit_all_ = false;
    bool compress_idle_ = false;
    std::string format_ = "svg";
    std::string output_;
    double from_ms_ = -1;
    double to_ms_ = -1;
    int width_px_ = 1400;
};

}  // namespace faultline::view
