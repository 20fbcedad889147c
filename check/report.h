// CheckReport: the checker's front door for files, used by `faultline check FILE --model M`.
//
// check_history_file reads a history (format detected from the extension and content, see
// history_io.h), validates it against the model, runs check() and keeps everything a report or a
// GUI needs. Bad input (unreadable file, syntax error, unknown model, an op the model does not
// support) is reported in `error` with file, line and column; it never asserts or crashes.
//
// Exit codes of `faultline check` (CheckReport::exit_code), those of every command (README,
// "Exit codes"):
//   0  ok         every key linearizable
//   1  violation  some key proven not linearizable
//   2  input error (file, format or model)
//   4  unknown    budget spent before a verdict
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "check/checker.h"
#include "check/history_io.h"

namespace faultline::check {

inline constexpr int exit_ok = 0;
inline constexpr int exit_violation = 1;
inline constexpr int exit_input_error = 2;
inline constexpr int exit_unknown = 4;

struct CheckReport {
    std::string file;
    std::string model;
    std::optional<HistoryFormat> format;   // set once the file was read
    std::optional<InputError> error;       // bad input: nothing else below is meaningful
    std::vector<Operation> operations;     // OpIds in `result` index this
    CheckResult result;

    int exit_code() const;
};

// Memory reading a history takes, per byte of its file (an upper estimate over the formats).
inline constexpr std::uint64_t reading_bytes_per_file_byte = 32;

CheckReport check_history_file(const std::string& path, std::string_view model_name, const Budget& budget = {},
                               std::optional<HistoryFormat> format = std::nullopt);
// The same, for a history already in memory (e.g. from the simulator); `label` names it.
CheckReport check_history(const History& history, std::string_view model_name, const Budget& budget = {},
                          std::string label = "history");

// Multi-line text: verdict line, per-key table, then the explanation.
std::string format_report(const CheckReport& report);
// Machine-readable: {"file", "model", "verdict", "exit_code", "error"?, "steps", "keys": [...]}
// with every counterexample's op ids, windows and the operations they name. docs/checker.md.
nlohmann::ordered_json report_to_json(const CheckReport& report);

}  // namespace faultline::check
