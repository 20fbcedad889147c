#include "visualizer/view_command.h"

#include "runner/command_line.h"
#include "visualizer/stored_run.h"
#include "visualizer/svg_export.h"
#include "visualizer/view_run.h"
#if defined(FAULTLINE_VIEW_IN_PROCESS) && defined(FAULTLINE_HAS_GUI)
#include "visualizer/app/viewer.h"
#endif

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace faultline::view {

ViewCommand::ViewCommand(CLI::App& parent, bool as_subcommand) : as_subcommand_(as_subcommand) {
    app_ = as_subcommand ? parent.add_subcommand("view", "Open the timeline viewer on a run (or render it: --screenshot, --svg)")
                         : &parent;
    CLI::App* v = app_;
    v->add_option("RUN", run_name_,
                  "A stored run id or 'latest', or a scenario file (.toml) to run (default: the flagship scenario, "
                  "scenarios/replication/split_brain.toml, built in)");
    v->add_option("--db", db_, "Run store (SQLite file) for RUN");
    // Numbers are read strictly (runner/command_line.h): "-1" is no seed, "inf" no time.
    const auto seed_check = [](std::string& s) {
        std::string problem = runner::whole_number_problem(s, 0, std::numeric_limits<uint64_t>::max());
        if (problem.empty()) s = std::to_string(*runner::parse_whole_number(s));  // CLI11 would read "010" as octal
        return problem;
    };
    const auto time_check = [](const std::string& s) { return runner::time_ms_problem(s); };
    v->add_option("--seed", seed_, "Seed of a scenario's run (the same seed replays the same run)")
        ->transform(CLI::Validator(seed_check, "UINT"));
    v->add_option("--system", system_, "Which system of the scenario to show (default: its first)");
    v->add_flag("--no-faults", no_faults_, "Leave out every planned fault (scripted and the nemesis's)");
    v->add_option("--screenshot", screenshot_, "Render one frame offscreen into this PNG (use xvfb-run when headless)");
    v->add_option("--at", at_ms_, "Cursor time in milliseconds (default: the first failure, else mid-run)")
        ->check(time_check);
    v->add_option("--size", size_, "Window size WxH in pixels")->check([](const std::string& s) {
        int w = 0, h = 0;
        return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 8192 && h <= 8192
                   ? std::string() : std::string("expected WxH, e.g. 1600x1000");
    });
    v->add_option("--bench-frames", bench_frames_, "Render this many frames offscreen and print the frame time")->check(CLI::Range(1, 100'000));
    v->add_flag("--fit-all", fit_all_, "Start showing the whole run");
    v->add_flag("--compress-idle", compress_idle_, "Start with idle time compressed (events evenly spaced)");
    v->add_flag("--help-window", show_help_, "Start with the help window (legend and shortcuts) open");
    v->add_option("--crash", crashes_, "What if: crash NODE at MS (e.g. n3@5200) and show the re-run beside the original")
        ->check([](const std::string& s) {
            auto at = s.find('@');
            if (at == std::string::npos || at == 0) return std::string("expected NODE@MS, e.g. n3@5200");
            const std::string problem = runner::time_ms_problem(std::string_view(s).substr(at + 1));
            return problem.empty() ? problem : "NODE@MS: MS " + problem;
        });
    v->add_option("--compare", compare_run_, "Show this stored run (an id or 'latest') beside RUN on the same time axis, "
                                             "its first divergent event marked");
    auto* by_seed = v->add_option("--compare-seed", compare_seed_,
                                  "Show the same workload or scenario run from this seed beside it")
                        ->transform(CLI::Validator(seed_check, "UINT"))
                        ->excludes("--compare");
    v->add_option("--compare-system", compare_system_,
                  "Show another system of the same scenario and seed beside it (e.g. a CP and an AP design under one "
                  "partition, from scenarios/cap/partition.toml)")
        ->excludes("--compare")
        ->excludes(by_seed);
    v->add_flag("--lamport", lamport_, "Start with events laid out by Lamport time (L toggles)");
    v->add_option("--svg", svg_, "Write the space-time diagram as SVG to this file ('-' for standard output); no GUI needed");
    v->add_option("--from-ms", from_ms_, "SVG: start of the time range, in milliseconds")->check(time_check);
    v->add_option("--to-ms", to_ms_, "SVG: end of the time range, in milliseconds")->check(time_check);
    v->add_option("--width", width_px_, "SVG: drawing width in pixels")->check(CLI::Range(300, 100'000));
}

namespace {

bool is_scenario_path(const std::string& name) {
    std::error_code ec;
    return name.ends_with(".toml") || std::filesystem::is_regular_file(name, ec);
}

// The run RUN names: a scenario file run for the seed, a stored run, or the built-in flagship.
std::optional<ViewRun> make_run(const std::string& run_name, const std::string& db, uint64_t seed, const std::string& system,
                                bool no_faults) {
    std::variant<ViewRun, std::string> made;
    if (!run_name.empty() && !is_scenario_path(run_name)) {
        made = load_stored_run(db, run_name);
    } else {
        ViewRunSpec spec = default_spec(seed);
        spec.system = system;
        if (!run_name.empty()) {
            auto read = spec_of_file(run_name, system, seed);
            if (auto* error = std::get_if<std::string>(&read)) {
                std::cerr << "faultline view: " << *error << "\n";
                return std::nullopt;
            }
            spec = std::get<ViewRunSpec>(read);
        }
        made = run_view(spec);
    }
    if (auto* error = std::get_if<std::string>(&made)) {
        std::cerr << "faultline view: " << *error << (error->ends_with("\n") ? "" : "\n");
        return std::nullopt;
    }
    ViewRun run = std::move(std::get<ViewRun>(made));
    if (no_faults && !run.planned.empty()) {
        ViewRunSpec spec = run.spec;
        for (std::size_t i = 0; i < run.planned.size(); ++i) spec.edits.removed.push_back(i);
        auto bare = run_view(spec);
        if (auto* error = std::get_if<std::string>(&bare)) {
            std::cerr << "faultline view: " << *error << "\n";
            return std::nullopt;
        }
        run = std::move(std::get<ViewRun>(bare));
    }
    return run;
}

}  // namespace

#if !defined(FAULTLINE_VIEW_IN_PROCESS)
namespace {

// The options as given, for the viewer program: each given option by its long name with its
// values (as CLI11 keeps them, after the checks), the positional RUN last after "--".
std::vector<std::string> given_arguments(const CLI::App& app) {
    std::vector<std::string> args, positional;
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->count() == 0 || (opt->get_lnames().empty() && !opt->get_positional())) continue;
        if (opt->get_positional()) {
            for (const std::string& r : opt->results()) positional.push_back(r);
            continue;
        }
        const std::string name = "--" + opt->get_lnames().front();
        if (opt->get_expected_max() == 0) {  // a flag
            args.push_back(name);
            continue;
        }
        for (const std::string& r : opt->results()) {
            args.push_back(name);
            args.push_back(r);
        }
    }
    if (!positional.empty()) {
        args.push_back("--");
        args.insert(args.end(), positional.begin(), positional.end());
    }
    return args;
}

// The viewer program for this one: `<this program>-view` beside it (faultline -> faultline-view),
// else the one this build made.
std::filesystem::path viewer_program() {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        std::filesystem::path beside = self.parent_path() / (self.filename().string() + "-view");
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
#if defined(FAULTLINE_VIEW_PROGRAM)
    return FAULTLINE_VIEW_PROGRAM;
#else
    return {};
#endif
}

}  // namespace
#endif

int ViewCommand::run() const {
    if (!svg_.empty()) return run_svg();
#if !defined(FAULTLINE_VIEW_IN_PROCESS)
    // The window and the screenshot are drawn by the viewer program, so that no other command
    // loads the GUI's libraries (GLFW, OpenGL, X11): they cost every command milliseconds of
    // start-up. The process becomes the viewer: its exit code is the command's.
    const std::filesystem::path program = viewer_program();
    std::vector<std::string> args = given_arguments(*app_);
    args.insert(args.begin(), program.string());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    if (!program.empty()) ::execv(program.c_str(), argv.data());
    std::cerr << fmt::format("faultline view: cannot start the viewer program {}: {} (build it: scripts/build; "
                             "`--svg FILE` draws the diagram without it)\n",
                             program.empty() ? std::string("(none in this build)") : program.string(),
                             program.empty() ? "not built" : std::strerror(errno));
    return 3;
#elif defined(FAULTLINE_HAS_GUI)
    ViewerOptions o;
    auto run = make_run(run_name_, db_, seed_, system_, no_faults_);
    if (!run) return 2;
    o.run = std::move(*run);
    o.screenshot_path = screenshot_;
    if (at_ms_ >= 0) o.at = Instant::from_ns(static_cast<int64_t>(at_ms_ * 1e6));
    std::sscanf(size_.c_str(), "%dx%d", &o.width, &o.height);
    o.bench_frames = bench_frames_;
    o.fit_all = fit_all_;
    o.compress_idle = compress_idle_;
    o.show_help = show_help_;
    o.lamport = lamport_;
    if (!compare_run_.empty()) {
        auto other = make_run(compare_run_, db_, seed_, system_, no_faults_);
        if (!other) return 2;
        o.compare = std::move(*other);
    } else if (compare_seed_ || !compare_system_.empty()) {
        const char* flag = compare_seed_ ? "--compare-seed" : "--compare-system";
        if (!o.run.editable) {
            std::cerr << "faultline view: " << flag << ": this run has no scenario to re-run\n";
            return 2;
        }
        ViewRunSpec spec = o.run.spec;
        if (compare_seed_) spec.seed = *compare_seed_;
        else spec.system = compare_system_;
        spec.edits = {};
        auto other = run_view(spec);
        if (auto* error = std::get_if<std::string>(&other)) {
            std::cerr << "faultline view: " << flag << ": " << *error << "\n";
            return 2;
        }
        o.compare = std::move(std::get<ViewRun>(other));
    }
    for (const std::string& c : crashes_) {
        auto at = c.find('@');
        std::string node = c.substr(0, at);
        const double ms = runner::parse_time_ms(std::string_view(c).substr(at + 1)).value_or(-1);  // checked on parse
        std::vector<std::string> names;
        for (const Lane& l : o.run.model.lanes()) names.push_back(l.name);
        auto it = std::find(names.begin(), names.end(), node);
        if (it == names.end() || ms < 0) {
            std::cerr << fmt::format("faultline view: --crash {}: no node {} in this run, or a negative time\n", c, node);
            return 2;
        }
        o.edit.push_back({Instant::from_ns(static_cast<int64_t>(ms * 1e6)), faults::Crash{static_cast<NodeId>(it - names.begin())}});
    }
    return run_viewer(o);
#else
    std::cerr << "faultline view: this build has no GUI (configure with -DFAULTLINE_GUI=ON); "
                 "`--svg FILE` draws the same diagram without one\n";
    return 2;
#endif
}

int ViewCommand::run_svg() const {
    auto run = make_run(run_name_, db_, seed_, system_, no_faults_);
    if (!run) return 2;
    SvgOptions so;
    so.width_px = width_px_;
    if (from_ms_ >= 0) so.from = Instant::from_ns(static_cast<int64_t>(from_ms_ * 1e6));
    if (to_ms_ >= 0) so.to = Instant::from_ns(static_cast<int64_t>(to_ms_ * 1e6));
    if (so.from && so.to && *so.to <= *so.from) {
        std::cerr << "faultline view: --to-ms must be after --from-ms\n";
        return 2;
    }
    std::string svg = render_svg(run->model, so);
    if (svg_ == "-") {
        std::cout << svg;
        return 0;
    }
    std::ofstream out(svg_, std::ios::binary);
    out << svg;
    if (!out) {
        std::cerr << fmt::format("faultline view: cannot write {}\n", svg_);
        return 2;
    }
    return 0;
}

}  // namespace faultline::view
