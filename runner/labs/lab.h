// A teaching lab (labs/<nn-name>/): its handout, the protocol a student writes, and the grader's
// checks, read from the lab's lab.toml. docs/labs.md describes the folder and the file.
//
//   [lab]                      title, protocol (the name the starter registers), chapter, edit
//   [[check]]                  name, part, points, scenario (relative to the lab folder), seeds,
//                              what (the property, in a student's words), hint
//   [[mistake]]                name, fails (a check's name), what: a typical partial solution the
//                              reference turns into with `--set mistake=NAME`, and the check that
//                              must catch it (the grader's own proof, tests/labs/)
//
// Errors name the file, line, column and key, like a scenario's.
#pragma once

#include "scenario/scenario_parser.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faultline::runner::labs {

struct LabCheck {
    std::string name;      // "retries_apply_once"
    int part = 1;
    int points = 0;
    std::string scenario;  // path relative to the lab folder
    uint64_t seeds = 10;   // how many seeds a grading runs
    std::string what;      // what must hold
    std::string hint;      // where to look when it does not
};

struct LabMistake {
    std::string name;   // "no_duplicate_table": the value of the reference's `mistake` option
    std::string fails;  // the check that must catch it
    std::string what;
};

struct Lab {
    std::string id;        // the folder's name: "02-exactly-once"
    std::string number;    // "02"
    std::filesystem::path folder;
    std::string title;
    std::string protocol;  // the protocol the starter registers (the lab's name, e.g. "lab" and its number)
    std::string chapter;
    std::vector<std::string> edit;  // the files a student edits, relative to the lab folder
    std::vector<LabCheck> checks;
    std::vector<LabMistake> mistakes;

    int points() const;
    int parts() const;  // the highest part number
    std::filesystem::path handout() const { return folder / "README.md"; }
    const LabCheck* check(const std::string& name) const;
};

using LabErrors = std::vector<scenario::ScenarioError>;

// Reads <folder>/lab.toml.
std::variant<Lab, LabErrors> load_lab(const std::filesystem::path& folder);

// The labs folder: `dir` if given, else ./labs when it exists, else the source tree's labs/ this
// build came from. Empty when none exists.
std::filesystem::path labs_root(const std::string& dir = "");

// Every lab under `root` (folders holding a lab.toml), in folder order; errors of those that do
// not load are returned beside them.
struct LabList {
    std::vector<Lab> labs;
    LabErrors errors;
};
LabList list_labs(const std::filesystem::path& root);

// A lab by its number ("2", "02"), folder name ("02-exactly-once") or name ("exactly-once").
// Nothing when none or several match.
std::optional<Lab> find_lab(const LabList& labs, const std::string& name);

}  // namespace faultline::runner::labs
