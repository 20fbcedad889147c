// Grading a lab (grade.h). Sections: [preparing] [running] [the story of a failure] [storing].
#include "runner/labs/grade.h"

#include "check/history.h"
#include "runner/catalog.h"
#include "runner/failure_story.h"
#include "runner/parallel.h"
#include "runner/record.h"
#include "runner/world_setup.h"
#include "scenario/duration_limits.h"

#include <fmt/format.h>

#include <charconv>
#include <algorithm>
#include <atomic>
#include <memory>
#include <regex>
#include <set>

namespace faultline::runner::labs {

namespace {

// ============================================================================================
// [preparing]
// ============================================================================================

// A check ready to run: its scenario with the graded protocol and options in place.
struct Prepared {
    const LabCheck* check = nullptr;
    std::shared_ptr<const scenario::Scenario> scenario;
    uint64_t seeds = 0;
    std::string load_error;
};

std::variant<scenario::OptionValue, std::string> option_value(const scenario::ProtocolSpec& p, const std::string& key,
                                                              const std::string& text) {
    const scenario::OptionSpec* spec = nullptr;
    for (const auto& o : p.options)
        if (o.name == key) spec = &o;
    if (!spec) {
        std::string known;
        for (const auto& o : p.options) known += (known.empty() ? "" : ", ") + o.name;
        return fmt::format("--set {}: protocol {} has no option '{}' (its options: {})", key, p.name, key,
                           known.empty() ? "none" : known);
    }
    const auto bad = [&](std::string_view what) {
        return fmt::format("--set {}={}: {} option {} takes {}", key, text, p.name, key, what);
    };
    switch (spec->type) {
        case scenario::OptionType::integer: {
            int64_t v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || end != text.data() + text.size() || v < spec->min || v > spec->max)
                return bad(fmt::format("an integer from {} to {}", spec->min, spec->max));
            if (scenario::names_a_duration(key))
                if (auto problem = scenario::duration_problem(static_cast<double>(v))) return bad(*problem);
            return scenario::OptionValue{v};
        }
        case scenario::OptionType::real: {
            double v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || end != text.data() + text.size() || !(v >= spec->min && v <= spec->max))
                return bad(fmt::format("a number from {} to {}", spec->min, spec->max));
            if (scenario::names_a_duration(key))
                if (auto problem = scenario::duration_problem(v)) return bad(*problem);
            return scenario::OptionValue{v};
        }
        case scenario::OptionType::boolean:
            if (text == "true") return scenario::OptionValue{true};
            if (text == "false") return scenario::OptionValue{false};
            return bad("true or false");
        case scenario::OptionType::string:
            if (!spec->choices.empty() && std::find(spec->choices.begin(), spec->choices.end(), text) == spec->choices.end()) {
                std::string list;
                for (const auto& c : spec->choices) list += (list.empty() ? "" : ", ") + c;
                return bad(fmt::format("one of: {}", list));
            }
            return scenario::OptionValue{text};
    }
    return bad("a value");
}

Prepared prepare(const Lab& lab, const LabCheck& check, const GradeOptions& o, const scenario::ProtocolSpec& target,
                 const scenario::OptionValues& set) {
    Prepared p;
    p.check = &check;
    p.seeds = o.seeds != 0 ? o.seeds : check.seeds;
    const std::string path = (lab.folder / check.scenario).string();
    auto parsed = scenario::parse_scenario_file(path, catalog());
    if (!parsed.ok() || !parsed.scenario) {
        p.load_error = scenario::format_errors(parsed.errors);
        return p;
    }
    scenario::Scenario s = std::move(*parsed.scenario);
    bool runs_lab_protocol = false;
    for (auto& sys : s.systems) {
        if (sys.protocol != lab.protocol) continue;
        runs_lab_protocol = true;
        sys.protocol = target.name;
        for (const auto& [k, v] : set) sys.options[k] = v;
        // The options together, as the parser checks a file's (min <= max, and the like).
        if (target.check_options)
            for (const auto& e : target.check_options(sys.options, static_cast<int>(s.nodes.size())))
                p.load_error += fmt::format("{}: system {}: --set {}: {}\n", path, sys.name, e.option, e.message);
    }
    if (!runs_lab_protocol) p.load_error = fmt::format("{}: runs no system of the lab's protocol {}\n", path, lab.protocol);
    p.scenario = std::make_shared<const scenario::Scenario>(std::move(s));
    return p;
}

// ============================================================================================
// [running]
// ============================================================================================

struct SeedVerdict {
    bool failed = false;
    bool internal_error = false;
};

SeedVerdict run_seed(const scenario::Scenario& s, uint64_t seed) {
    RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    const RunOutcome r = run_scenario(s, o);
    return {!r.expectations_met || r.internal_error(), r.internal_error()};
}

// ============================================================================================
// [the story of a failure]
// ============================================================================================

CheckFailure tell(const SystemOutcome& o, uint64_t seed) {
    CheckFailure f;
    f.seed = seed;
    f.system = o.system;
    for (const auto& e : o.expectations)
        if (!e.met) f.expected.push_back(fmt::format("{}: {}", e.name, e.detail));
    if (o.error) {
        f.story.push_back(fmt::format("the run stopped at {} (trace event {}): {}", seconds_text(o.error->time.ns()),
                                      o.error->event, o.error->describe()));
        f.at_ms = static_cast<double>(o.error->time.ns()) / 1e6;
        return f;
    }
    StoryInput input{o.history, o.node_names, {}, {}};
    for (const CheckOutcome& c : o.checks) input.checks.push_back({c.checker, c.verdict(), c.summary, c.details});
    for (const auto& e : o.expectations)
        if (!e.met) input.unmet.insert(e.name);
    Story story = failure_story(input);
    f.story.insert(f.story.end(), story.lines.begin(), story.lines.end());
    f.at_ms = story.at_ms;
    return f;
}

// The failing seed again, with its whole trace: the story, and the run to store.
struct FailedRun {
    std::shared_ptr<const RunOutcome> run;
    CheckFailure failure;
};

FailedRun rerun(const scenario::Scenario& s, uint64_t seed) {
    RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::full;
    o.keep_trace = true;
    auto run = std::make_shared<const RunOutcome>(run_scenario(s, o));
    for (const auto& sys : run->systems)
        if (!sys.expectations_met || sys.error) return {run, tell(sys, seed)};
    CheckFailure f;  // cannot happen: runs are deterministic
    f.seed = seed;
    f.story.push_back("this seed failed once and passed when run again: please report it as a Faultline bug");
    return {run, f};
}

}  // namespace

int GradeReport::score() const {
    int sum = 0;
    for (const auto& c : checks) sum += c.score();
    return sum;
}

int GradeReport::points() const {
    int sum = 0;
    for (const auto& c : checks) sum += c.check.points;
    return sum;
}

bool GradeReport::load_errors() const {
    for (const auto& c : checks)
        if (!c.load_error.empty()) return true;
    return false;
}

std::variant<GradeReport, std::string> grade_lab(const Lab& lab, const GradeOptions& o) {
    const std::string target_name = o.protocol.empty() ? lab.protocol : o.protocol;
    const scenario::ProtocolSpec* target = catalog().protocol(target_name);
    if (!target) {
        return fmt::format("this build has no protocol '{}' (faultline list protocols shows those it has){}", target_name,
                           o.protocol.empty() ? "; is the lab's starter registered in labs/CMakeLists.txt?" : "");
    }
    scenario::OptionValues set;
    for (const auto& [k, v] : o.set) {
        auto value = option_value(*target, k, v);
        if (auto* err = std::get_if<std::string>(&value)) return *err;
        set[k] = std::get<scenario::OptionValue>(value);
    }
    if (o.part < 0 || o.part > lab.parts()) return fmt::format("lab {} has parts 1 to {} (got --part {})", lab.id, lab.parts(), o.part);

    std::vector<Prepared> prepared;
    for (const auto& c : lab.checks)
        if (o.part == 0 || c.part == o.part) prepared.push_back(prepare(lab, c, o, *target, set));

    // Every (check, seed) pair as one work item, so that short and long checks share the threads.
    std::vector<std::pair<std::size_t, uint64_t>> items;
    for (std::size_t i = 0; i < prepared.size(); ++i)
        if (prepared[i].load_error.empty())
            for (uint64_t k = 0; k < prepared[i].seeds; ++k) items.emplace_back(i, o.first_seed + k);
    std::atomic<uint64_t> failing{0};
    const auto verdicts = map_in_parallel<SeedVerdict>(
        items.size(), o.jobs,
        [&](uint64_t n) {
            SeedVerdict v = run_seed(*prepared[items[n].first].scenario, items[n].second);
            if (v.failed) ++failing;
            return v;
        },
        [&](uint64_t done, uint64_t total) {
            if (o.on_progress) o.on_progress(done, total, failing.load());
        });

    GradeReport report;
    report.lab = lab.id;
    report.title = lab.title;
    report.protocol = target_name;
    report.first_seed = o.first_seed;
    report.hidden = o.hidden;
    report.part = o.part;
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        CheckResult r;
        r.check = *prepared[i].check;
        r.load_error = prepared[i].load_error;
        std::optional<uint64_t> first_failing;
        for (std::size_t n = 0; n < items.size(); ++n) {
            if (items[n].first != i) continue;
            ++r.seeds_run;
            if (verdicts[n].internal_error) ++r.internal_errors;
            if (!verdicts[n].failed) continue;
            ++r.seeds_failed;
            if (!first_failing) first_failing = items[n].second;
        }
        if (first_failing) {
            FailedRun again = rerun(*prepared[i].scenario, *first_failing);
            r.failure = std::move(again.failure);
            r.failure->run = again.run;
            r.failure->scenario = prepared[i].scenario;
        }
        report.checks.push_back(std::move(r));
    }
    return report;
}

// ============================================================================================
// [storing]
// ============================================================================================

std::string store_grading(GradeReport& report, const Lab& lab, const GradeOptions& o, store::RunStore& db) {
    store::LabGrade g;
    g.lab = lab.id;
    g.protocol = report.protocol;
    g.score = report.score();
    g.points = report.points();
    g.build_id = build_id();
    // A run graded with another protocol or with options set is not what its stored scenario
    // text says, so a replay of it would differ: such gradings store no runs.
    const bool replayable = o.protocol.empty() && o.set.empty();
    for (auto& c : report.checks) {
        if (!replayable || !c.failure || !c.failure->run) continue;
        const RunOutcome& run = *c.failure->run;
        for (const auto& sys : run.systems) {
            if (sys.system != c.failure->system) continue;
            auto id = db.save_run(to_record(*c.failure->scenario, run, sys, 0));
            if (!id.ok()) return id.error().describe();
            c.failure->run_id = id.value();
            g.run_ids.push_back(id.value());
        }
    }
    g.report = grade_json(report);
    auto saved = db.save_lab_grade(g);
    if (!saved.ok()) return saved.error().describe();
    auto pruned = db.prune_lab_grades(lab.id, kept_gradings);
    if (!pruned.ok()) return pruned.error().describe();
    return "";
}

}  // namespace faultline::runner::labs
