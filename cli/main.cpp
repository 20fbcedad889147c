// faultline: the command-line entry point. It parses arguments (CLI11) and calls library
// functions that the tests and the visualizer call too. Each command lives in its own file.
//
// Exit codes, one table for every command (cli/common.h, README "Exit codes"): 0 ok, 1 a check
// failed or an expectation was not met, 2 usage or input error, 3 internal error, 4 unknown.
#include "cli/common.h"
#include "cli/manners.h"
#include "visualizer/view_command.h"

#include <cstdio>
#include <exception>
#include <vector>

namespace faultline::cli {
Command add_shrink_command(CLI::App& app);  // cli/shrink_command.cpp
Command add_explore_command(CLI::App& app);  // cli/explore_command.cpp
Command add_new_command(CLI::App& app);     // cli/new_command.cpp
Command add_cap_command(CLI::App& app);     // cli/cap_command.cpp
Command add_lab_command(CLI::App& app);     // cli/lab_command.cpp
Command add_runs_command(CLI::App& app);    // cli/runs_command.cpp
Command add_prune_command(CLI::App& app);   // cli/runs_command.cpp
}

int main(int argc, char** argv) {
    using namespace faultline::cli;
    CLI::App app{"faultline: a deterministic distributed-systems simulator and teaching lab"};
    app.require_subcommand(1);
    add_version_flag(app);
    std::vector<Command> commands = {
        add_run_command(app),   add_sweep_command(app), add_replay_command(app), add_show_command(app),
        add_export_command(app), add_list_command(app), add_check_command(app),
        add_merge_command(app),  add_shrink_command(app), add_explore_command(app), add_new_command(app), add_cap_command(app),
        add_lab_command(app),   add_runs_command(app),  add_prune_command(app),
    };
    // The visualizer's command (visualizer/view_command.h): the GUI, screenshots, SVG.
    faultline::view::ViewCommand view(app, /*as_subcommand=*/true);
    commands.push_back({view.app(), [&view] { return view.run(); }});
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return refuse_command_line(app, e, argc, argv);
    }
    try {
        for (auto& c : commands)
            if (c.app->parsed()) return c.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "faultline: internal error: %s\n", e.what());
        return exit_internal;
    }
    return exit_input;
}
