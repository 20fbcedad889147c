#include "visualizer/view_command.h"

#include "visualizer/svg_export.h"
#include "visualizer/view_run.h"
#if defined(FAULTLINE_HAS_GUI)
#include "visualizer/app/viewer.h"
#endif

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace faultline::view {

Commands::Commands(CLI::App& app) {
    view_ = app.add_subcommand("view", "Open the timeline viewer on a run (or render one frame with --screenshot)");
    view_->add_option("RUN", run_name_, "A stored run (once the run store exists); default: the viewer's workload for --seed");
    view_->add_option("--seed", seed_, "Seed of the run to view (the same seed replays the same run)");
    view_->add_option("--duration-ms", duration_ms_, "Virtual time to simulate, in milliseconds")->check(CLI::Range(1, 3'600'000));
    view_->add_flag("--no-faults", no_faults_, "Run without the nemesis and buggify");
    view_->add_option("--screenshot", screenshot_, "Render one frame offscreen and write it to this PNG (use xvfb-run on a headless machine)");
    view_->add_option("--at", at_ms_, "Cursor time in milliseconds for --screenshot (default: the first failure, else the middle)");
    view_->add_option("--size", size_, "Window size WxH in pixels")->check([](const std::string& s) {
        int w = 0, h = 0;
        return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 8192 && h <= 8192
                   ? std::string() : std::string("expected WxH, e.g. 1600x1000");
    });
    view_->add_option("--bench-frames", bench_frames_, "Render this many frames offscreen and print the frame time")->check(CLI::Range(1, 100'000));

    view_->add_flag("--fit-all", fit_all_, "Start showing the whole run");
    view_->add_flag("--compress-idle", compress_idle_, "Start with idle time compressed (events evenly spaced)");

    export_ = app.add_subcommand("export", "Write a run's space-time diagram (no GUI needed)");
    export_->add_option("RUN", run_name_, "A stored run (once the run store exists); default: the viewer's workload for --seed");
    export_->add_option("--format", format_, "Output format")->check(CLI::IsMember({"svg"}));
    export_->add_option("--seed", seed_, "Seed of the run to export");
    export_->add_option("--duration-ms", duration_ms_, "Virtual time to simulate, in milliseconds")->check(CLI::Range(1, 3'600'000));
    export_->add_flag("--no-faults", no_faults_, "Run without the nemesis and buggify");
    export_->add_option("-o,--output", output_, "Output file (default: standard output)");
    export_->add_option("--from-ms", from_ms_, "Start of the time range, in milliseconds");
    export_->add_option("--to-ms", to_ms_, "End of the time range, in milliseconds");
    export_->add_option("--width", width_px_, "Drawing width in pixels")->check(CLI::Range(300, 100'000));
}

std::optional<int> Commands::run() const {
    if (*view_) return run_view_command();
    if (*export_) return run_export_command();
    return std::nullopt;
}

static ViewRunSpec spec_for(uint64_t seed, int64_t duration_ms, bool no_faults) {
    ViewRunSpec spec;
    spec.seed = seed;
    spec.duration = milliseconds(duration_ms);
    spec.nemesis = !no_faults;
    spec.buggify = !no_faults;
    return spec;
}

int Commands::run_view_command() const {
    if (!run_name_.empty()) {
        std::cerr << fmt::format("faultline view: cannot open run '{}': the run store does not exist yet; use --seed N\n", run_name_);
        return 2;
    }
#if defined(FAULTLINE_HAS_GUI)
    ViewerOptions o;
    o.spec = spec_for(seed_, duration_ms_, no_faults_);
    o.screenshot_path = screenshot_;
    if (at_ms_ >= 0) o.at = Instant::from_ns(static_cast<int64_t>(at_ms_ * 1e6));
    std::sscanf(size_.c_str(), "%dx%d", &o.width, &o.height);
    o.bench_frames = bench_frames_;
    o.fit_all = fit_all_;
    o.compress_idle = compress_idle_;
    return run_viewer(o);
#else
    std::cerr << "faultline view: this build has no GUI (configure with -DFAULTLINE_GUI=ON); "
                 "`faultline export --format svg` draws the same diagram without one\n";
    return 2;
#endif
}

int Commands::run_export_command() const {
    if (!run_name_.empty()) {
        std::cerr << fmt::format("faultline export: cannot open run '{}': the run store does not exist yet; use --seed N\n", run_name_);
        return 2;
    }
    ViewRun run = run_view(spec_for(seed_, duration_ms_, no_faults_));
    SvgOptions so;
    so.width_px = width_px_;
    if (from_ms_ >= 0) so.from = Instant::from_ns(static_cast<int64_t>(from_ms_ * 1e6));
    if (to_ms_ >= 0) so.to = Instant::from_ns(static_cast<int64_t>(to_ms_ * 1e6));
    if (so.from && so.to && *so.to <= *so.from) {
        std::cerr << "faultline export: --to-ms must be after --from-ms\n";
        return 2;
    }
    std::string svg = render_svg(run.model, so);
    if (output_.empty()) {
        std::cout << svg;
        return 0;
    }
    std::ofstream out(output_, std::ios::binary);
    out << svg;
    if (!out) {
        std::cerr << fmt::format("faultline export: cannot write {}\n", output_);
        return 2;
    }
    return 0;
}

}  // namespace faultline::view
