// What the faultline command does around its commands: `--version`, and a mistyped command
// answered with a suggestion ("unknown command 'rnu'; did you mean 'run'?") instead of CLI11's
// "A subcommand is required".
#pragma once

#include <CLI/CLI.hpp>

namespace faultline::cli {

// `faultline --version`: "faultline 0.1.0+<git revision>", the build id stored with every run.
void add_version_flag(CLI::App& app);

// The exit code for a command line CLI11 refused, after printing why: 0 for --help and
// --version, else 2 (usage error), with a suggestion when the first word is a misspelled command.
int refuse_command_line(CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

}  // namespace faultline::cli
