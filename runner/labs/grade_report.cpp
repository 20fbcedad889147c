// A grading for a person, for a script and for Gradescope (grade.h).
#include "runner/labs/grade.h"

#include <fmt/format.h>

namespace faultline::runner::labs {

namespace {

std::string seed_range(const GradeReport& r, const CheckResult& c) {
    if (c.seeds_run == 0) return "no seeds";
    return fmt::format("seeds {}..{}", r.first_seed, r.first_seed + c.seeds_run - 1);
}

// The commands that lead to the failure: replay it, and open the viewer where it shows.
std::vector<std::string> follow_up(const CheckFailure& f, const std::string& db_flag) {
    std::vector<std::string> out;
    if (!f.run_id) return out;
    out.push_back(fmt::format("replay it: faultline replay {}{}", *f.run_id, db_flag));
    out.push_back(f.at_ms ? fmt::format("look at it: faultline view {} --at {:.3f}{}", *f.run_id, *f.at_ms, db_flag)
                          : fmt::format("look at it: faultline view {}{}", *f.run_id, db_flag));
    return out;
}

// The lines explaining a failed check (the text report's and Gradescope's output).
std::vector<std::string> explain(const GradeReport& r, const CheckResult& c, const std::string& db_flag) {
    std::vector<std::string> out;
    if (!c.load_error.empty()) {
        out.push_back("the check's scenario did not load:");
        std::size_t start = 0;
        while (start < c.load_error.size()) {
            std::size_t end = c.load_error.find('\n', start);
            if (end == std::string::npos) end = c.load_error.size();
            out.push_back("  " + c.load_error.substr(start, end - start));
            start = end + 1;
        }
        return out;
    }
    out.push_back("what must hold: " + c.check.what);
    if (!c.failure) return out;
    const CheckFailure& f = *c.failure;
    out.push_back(fmt::format("{} of {} seeds failed ({}); the first is seed {}{}", c.seeds_failed, c.seeds_run,
                              seed_range(r, c), f.seed, f.system.empty() ? "" : fmt::format(" (system {})", f.system)));
    for (const auto& e : f.expected) out.push_back("expected " + e);
    for (const auto& s : f.story) out.push_back(s);
    if (!c.check.hint.empty()) out.push_back("hint: " + c.check.hint);
    for (const auto& cmd : follow_up(f, db_flag)) out.push_back(cmd);
    if (!f.run_id && f.at_ms) out.push_back(fmt::format("it shows at {:.3f} ms of virtual time", *f.at_ms));
    return out;
}

}  // namespace

std::string grade_text(const GradeReport& r, const std::string& db_flag) {
    std::string out = fmt::format("lab {}: {}\n", r.lab, r.title);
    out += fmt::format("  grading protocol {}, {} seeds from {}{}\n", r.protocol, r.hidden ? "hidden" : "public",
                       r.first_seed, r.hidden ? fmt::format(" (grade the same seeds again: --first-seed {})", r.first_seed) : "");
    int part = -1;
    for (const auto& c : r.checks) {
        if (c.check.part != part) {
            part = c.check.part;
            out += fmt::format("\n  part {}\n", part);
        }
        const std::string status = c.passed() ? "pass" : "FAIL";
        out += fmt::format("  {}  {:<34} {:>3}/{:<3}  {}\n", status, c.check.name, c.score(), c.check.points,
                           c.load_error.empty() ? seed_range(r, c) : "not run");
        if (c.passed()) continue;
        for (const auto& line : explain(r, c, db_flag)) out += "        " + line + "\n";
    }
    out += fmt::format("\n  score {}/{}\n", r.score(), r.points());
    return out;
}

nlohmann::ordered_json grade_json(const GradeReport& r) {
    nlohmann::ordered_json j;
    j["lab"] = r.lab;
    j["title"] = r.title;
    j["protocol"] = r.protocol;
    j["first_seed"] = r.first_seed;
    j["hidden"] = r.hidden;
    j["part"] = r.part;
    j["score"] = r.score();
    j["points"] = r.points();
    auto& checks = j["checks"] = nlohmann::ordered_json::array();
    for (const auto& c : r.checks) {
        nlohmann::ordered_json x;
        x["name"] = c.check.name;
        x["part"] = c.check.part;
        x["passed"] = c.passed();
        x["score"] = c.score();
        x["points"] = c.check.points;
        x["seeds_run"] = c.seeds_run;
        x["seeds_failed"] = c.seeds_failed;
        x["internal_errors"] = c.internal_errors;
        if (!c.load_error.empty()) x["load_error"] = c.load_error;
        if (c.failure) {
            auto& f = x["failure"];
            f["seed"] = c.failure->seed;
            f["system"] = c.failure->system;
            f["expected"] = c.failure->expected;
            f["story"] = c.failure->story;
            if (c.failure->at_ms) f["at_ms"] = *c.failure->at_ms;
            if (c.failure->run_id) f["run_id"] = *c.failure->run_id;
        }
        checks.push_back(std::move(x));
    }
    return j;
}

nlohmann::ordered_json gradescope_json(const GradeReport& r, const std::string& db_flag) {
    nlohmann::ordered_json j;
    j["score"] = r.score();
    j["output"] = fmt::format("lab {}: {}; protocol {}; {} seeds from {}", r.lab, r.title, r.protocol,
                              r.hidden ? "hidden" : "public", r.first_seed);
    auto& tests = j["tests"] = nlohmann::ordered_json::array();
    for (const auto& c : r.checks) {
        nlohmann::ordered_json t;
        t["name"] = fmt::format("part {}: {}", c.check.part, c.check.name);
        t["score"] = c.score();
        t["max_score"] = c.check.points;
        std::string output;
        if (c.passed()) output = fmt::format("passed on {}: {}", seed_range(r, c), c.check.what);
        else
            for (const auto& line : explain(r, c, db_flag)) output += line + "\n";
        t["output"] = output;
        t["visibility"] = "visible";
        tests.push_back(std::move(t));
    }
    return j;
}

}  // namespace faultline::runner::labs
