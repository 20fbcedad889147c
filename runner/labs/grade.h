// Grading a lab (`faultline lab grade`): every check's scenario over its seeds, with the lab's
// protocol (the student's code, or the implementation named by GradeOptions::protocol). A seed
// passes when every system of the scenario meets its [expect] and no run ends in an internal
// error; a check earns its points when all its seeds pass. The first failing seed of each check
// is run again with its full trace and stored, so that its feedback names a run to replay and to
// open in the viewer at the failure.
//
// The verdict of a seed is a pure function of (scenario, seed, build): the same seeds grade the
// same on any machine, whatever the number of threads. `hidden` seeds are drawn at grading time
// (an instructor's grading, so that a solution cannot be tuned to the public seeds); the report
// names the first seed drawn so that the grading can be repeated.
//
// Storing keeps the store small: each grading stores at most one run per failed check, and only
// the newest `kept_gradings` gradings of a lab keep their rows and runs (store::RunStore::
// prune_lab_grades).
#pragma once

#include "runner/labs/lab.h"
#include "runner/run.h"
#include "store/run_store.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faultline::runner::labs {

inline constexpr int kept_gradings = 10;

struct GradeOptions {
    uint64_t seeds = 0;       // per check; 0: each check's own `seeds`
    uint64_t first_seed = 1;  // seeds first_seed .. first_seed + seeds - 1
    bool hidden = false;      // first_seed was drawn at random (reported as such)
    int part = 0;             // grade only this part; 0: every part
    std::string protocol;     // grade this protocol instead of the lab's (e.g. a reference)
    // Protocol options set in every system running the lab's protocol (e.g. mistake = "...").
    std::vector<std::pair<std::string, std::string>> set;
    unsigned jobs = 0;        // worker threads; 0: one per core
    // On the calling thread: seed runs done, of total, and how many of them failed so far.
    std::function<void(uint64_t done, uint64_t total, uint64_t failing)> on_progress;
};

// The first failing seed of a check, told in a student's terms: client and node names, seconds
// of virtual time, trace event numbers.
struct CheckFailure {
    uint64_t seed = 0;
    std::string system;                 // the scenario's system that failed
    std::vector<std::string> expected;  // "linearizable: expected true, linearizability says violation"
    std::vector<std::string> story;     // what happened, a line each
    std::optional<double> at_ms;        // where the viewer opens (the counterexample, the first violation)
    std::optional<int64_t> run_id;      // set once stored
    // The failing run with its whole trace, and the scenario it ran (store_grading stores it).
    std::shared_ptr<const RunOutcome> run;
    std::shared_ptr<const scenario::Scenario> scenario;
};

struct CheckResult {
    LabCheck check;
    uint64_t seeds_run = 0;
    uint64_t seeds_failed = 0;
    uint64_t internal_errors = 0;  // runs that ended in an assertion or exception
    std::string load_error;        // the check's scenario did not load (then no seed ran)
    std::optional<CheckFailure> failure;
    bool passed() const { return load_error.empty() && seeds_failed == 0 && seeds_run > 0; }
    int score() const { return passed() ? check.points : 0; }
};

struct GradeReport {
    std::string lab, title, protocol;
    uint64_t first_seed = 1;
    bool hidden = false;
    int part = 0;
    std::vector<CheckResult> checks;
    int score() const;
    int points() const;
    bool load_errors() const;
};

// Errors in the options (an unknown option for --set, a bad value) before anything runs.
std::variant<GradeReport, std::string> grade_lab(const Lab& lab, const GradeOptions& options);

// Runs each check's failing seed again with its full trace, stores it (filling run_id and the
// story), saves the grading and prunes old ones. Returns an error message, or "".
std::string store_grading(GradeReport& report, const Lab& lab, const GradeOptions& options, store::RunStore& db);

// The report for a person. `db_flag` is appended to the replay and view commands (" --db F").
std::string grade_text(const GradeReport& report, const std::string& db_flag);
nlohmann::ordered_json grade_json(const GradeReport& report);
// Gradescope's autograder results.json: {"score", "tests": [{"name", "score", "max_score", "output"}]}.
nlohmann::ordered_json gradescope_json(const GradeReport& report, const std::string& db_flag);

}  // namespace faultline::runner::labs
