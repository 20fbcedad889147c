#include "cli/manners.h"

#include "cli/common.h"
#include "runner/run.h"
#include "scenario/suggest.h"
#include "sim/assert.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace faultline::cli {

void add_version_flag(CLI::App& app) { app.set_version_flag("--version", "faultline " + runner::build_id()); }

int refuse_command_line(CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    FL_ASSERT(!names.empty(), "faultline has commands");
    // A first word that is neither an option nor a command is most likely a typo of a command.
    const std::string first = argc > 1 ? argv[1] : "";
    const bool is_command = std::find(names.begin(), names.end(), first) != names.end();
    if (first.empty() || first[0] == '-' || is_command) {
        const int code = app.exit(error);
        return code == 0 ? exit_ok : exit_input;
    }
    constexpr std::size_t shown_max = 60;
    std::string message = fmt::format("faultline: unknown command '{}'",
                                      first.size() > shown_max ? first.substr(0, shown_max) + "..." : first);
    if (auto suggestion = scenario::closest_match(first, std::span<const std::string>(names)))
        message += fmt::format("; did you mean '{}'?", *suggestion);
    message += fmt::format("\n  commands: {}\n  faultline --help says what each does\n",
                           scenario::join_names(std::span<const std::string>(names)));
    std::fputs(message.c_str(), stderr);
    return exit_input;
}

}  // namespace faultline::cli
