// What every faultline command shares: exit codes, loading a scenario (errors printed, exit 2),
// opening the run store (errors printed, exit 2), and a progress bar.
//
// Exit codes, the same for every command (README, "Exit codes"): 0 ok; 1 a check failed or an
// expectation was not met; 2 usage or input error (bad command line, missing or bad file, unknown
// run); 3 internal error (a bug, or the store failed while writing); 4 unknown (`check` spent its
// budget before a verdict).
#pragma once

#include "runner/command_line.h"
#include "scenario/scenario.h"
#include "store/run_store.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <limits>
#include <optional>
#include <string>

namespace faultline::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_input = 2;
inline constexpr int exit_internal = 3;
inline constexpr int exit_unknown = 4;

inline constexpr const char* default_db = "faultline.db";

// A registered subcommand: CLI11 parses into captured variables, then `run` executes.
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

// Parses and validates; on error prints `file:line:col: key: message` lines and returns nullopt.
std::optional<scenario::Scenario> load_scenario(const std::string& path);
std::optional<scenario::Scenario> load_scenario_text(const std::string& text, const std::string& label);
// The label to parse a stored run's scenario text with: the file name the scenario had when it
// ran ("split_brain.toml" for the run "split_brain" or "split_brain/cp"), so that a scenario
// without a [scenario] name gets back the name its runs were stored under.
std::string stored_scenario_label(const store::RunRecord& run);
std::optional<store::RunStore> open_store(const std::string& path, bool read_only = false);

// A CLI11 transform for a whole-number option (->transform(whole_number(0, 256))): decimal
// digits only, in [min, max] (runner/command_line.h), handed on as plain decimal. Alone, CLI11
// reads "-1" as 2^64 - 1 and "010" as octal 8.
CLI::Validator whole_number(uint64_t min, uint64_t max);

// Wall-clock milliseconds, for the "wall time" a command reports (never inside a run).
int64_t wall_ms_since(std::chrono::steady_clock::time_point start);

// JSON text for --json output of values that may carry bytes from a user's file (a history's
// values): every byte that is not part of valid UTF-8 is written as the four characters \xNN,
// so the output is valid JSON and shows what was there (nlohmann::json refuses to dump such bytes).
std::string json_text(nlohmann::ordered_json j, int indent = 2);

// A one-line progress bar on stderr, redrawn at most 10 times a second; a plain line every 10%
// when stderr is not a terminal. `failures_label` names the count update() is given ("failing");
// empty: the bar has no such count (the count is not shown).
class Progress {
public:
    Progress(std::string label, uint64_t total, std::string failures_label = "failing");
    void update(uint64_t done, uint64_t failures);
    void finish(uint64_t done, uint64_t failures);

private:
    void draw(uint64_t done, uint64_t failures, bool final);
    std::string label_;
    uint64_t total_;
    std::string failures_label_;
    bool tty_;
    std::chrono::steady_clock::time_point start_, last_draw_;
    uint64_t last_decile_ = 0;
};

Command add_check_command(CLI::App& app);
Command add_run_command(CLI::App& app);
Command add_replay_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_merge_command(CLI::App& app);
Command add_show_command(CLI::App& app);
Command add_export_command(CLI::App& app);
Command add_list_command(CLI::App& app);

}  // namespace faultline::cli
