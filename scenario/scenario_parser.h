// Scenario parser: a scenario file (TOML, docs/scenarios.md) in; a validated Scenario, or every
// error in it, out.
//
// What it guarantees
// - Bad input never asserts, throws or exits: every problem is a ScenarioError naming the file,
//   the line and column, the key as a dotted path ("fault[2].at_ms", 0-based indexes) and what
//   was wrong (CONTRIBUTING.md rule 7). All errors are collected in one pass, sorted by line then column.
//   The one exception to "all": a TOML syntax error stops parsing (toml++ reports the first), so
//   does text too deep or too large to hand to toml++ (toml_depth.h), and an unsupported
//   `version` is reported alone (the rest would be read against the wrong format).
// - `scenario` is set if and only if `errors` is empty: nothing may run on invalid input. The CLI
//   exits with `exit_invalid_scenario` (2) after printing format_errors(errors).
// - A returned Scenario satisfies every rule in docs/scenarios.md: node names are unique and
//   known, every protocol and option is in the catalog with a value of the right type and range,
//   every fault has exactly the fields its kind needs, and every time lies within the run.
//
// The catalog of protocols and checkers is data (catalog.h); the parser knows no protocol. The functions share no
// mutable state, so any number of threads may parse at once.
#pragma once

#include "scenario/catalog.h"
#include "scenario/scenario.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::scenario {

// The exit code of `faultline` for an invalid scenario (docs/scenarios.md, "Exit codes").
inline constexpr int exit_invalid_scenario = 2;

struct ScenarioError {
    std::string file;     // the path, or the label given with the text
    int line = 0;         // 1-based; 0 when the error concerns the whole file (cannot be read)
    int column = 0;       // 1-based; 0 when unknown
    std::string key;      // dotted path: "fault[2].at_ms"; empty for TOML syntax errors
    std::string message;  // what was wrong and, where it helps, what would be right
};

struct ParseResult {
    std::optional<Scenario> scenario;   // set iff errors is empty
    std::vector<ScenarioError> errors;  // sorted by line, then column
    bool ok() const { return errors.empty(); }
};

// Reads and parses a file. Scenario::file is `path`; a file that cannot be read is one error.
ParseResult parse_scenario_file(const std::string& path, const Catalog& catalog);
// Parses text; `file_label` names it in errors and in Scenario::file, and its stem is the default
// scenario name.
ParseResult parse_scenario_text(std::string_view text, std::string_view file_label,
                                const Catalog& catalog);

// "file:line:col: key: message" (like a compiler); "file:line:col: message" without a key;
// "file: message" without a position.
std::string format_error(const ScenarioError& error);
// One format_error line per error, each ending in '\n'.
std::string format_errors(const std::vector<ScenarioError>& errors);

}  // namespace faultline::scenario
