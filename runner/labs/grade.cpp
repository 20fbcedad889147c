// Grading a lab (grade.h). Sections: [preparing] [running] [the story of a failure] [storing].
#include "runner/labs/grade.h"

#include "check/history.h"
#include "runner/catalog.h"
#include "runner/parallel.h"
#include "runner/record.h"
#include "runner/world_setup.h"

#include <fmt/format.h>

#include <charconv>
#include <algorithm>
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
            return scenario::OptionValue{v};
        }
        case scenario::OptionType::real: {
            double v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || end != text.data() + text.size() || !(v >= spec->min && v <= spec->max))
                return bad(fmt::format("a number from {} to {}", spec->min, spec->max));
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

std::string seconds(int64_t ns) { return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9); }

std::string client_name(const SystemOutcome& o, int process) {
    if (process == detail::probe_process) return "probe";
    const NodeId id = detail::client_of_process(process);
    return id < o.node_names.size() ? o.node_names[id] : fmt::format("client {}", process);
}

// "c2 get k1 -> "a b", invoked at 1.204 s, answered at 1.210 s"
std::string describe_op(const SystemOutcome& o, const check::Operation& op) {
    std::string args;
    switch (op.f) {
        case check::Function::get: break;
        case check::Function::cas:
            args = fmt::format(" {} -> {}", check::describe_value(op.expected), check::describe_value(op.value));
            break;
        default: args = " " + check::describe_value(op.value);
    }
    std::string result;
    if (op.completion == check::Completion::ok) {
        if (op.f == check::Function::get) result = fmt::format(" returned {}", check::describe_value(op.output));
        else if (op.f == check::Function::cas) result = op.cas_swapped ? " swapped" : " did not swap";
        else result = " ok";
        result += fmt::format(", invoked at {}, answered at {}", seconds(op.invoke_time_ns), seconds(op.complete_time_ns));
    } else if (op.completion == check::Completion::fail) {
        result = fmt::format(" refused, invoked at {}", seconds(op.invoke_time_ns));
    } else {
        result = fmt::format(" unanswered (it may or may not have happened), invoked at {}", seconds(op.invoke_time_ns));
    }
    return fmt::format("{} {} {}{}{}", client_name(o, op.process), check::to_string(op.f), op.key, args, result);
}

// The linearizability counterexample: the operations no order explains, the culprit first.
void tell_counterexample(const SystemOutcome& o, CheckFailure& f) {
    const CheckOutcome* c = o.check("linearizability");
    if (!c || c->verdict() != "violation" || !c->details.contains("counterexample")) return;
    const auto& story = c->details["counterexample"];
    auto paired = check::pair_operations(o.history);
    if (!paired.ok()) return;
    const auto& ops = paired.value();
    auto op_at = [&](int64_t invoke_ns) -> const check::Operation* {
        for (const auto& op : ops)
            if (op.invoke_time_ns == invoke_ns) return &op;
        return nullptr;
    };
    f.story.push_back(fmt::format("no order of these operations on key {} explains what the clients saw:",
                                  story.value("key", std::string("?"))));
    int64_t first_ns = -1;
    if (story.contains("culprit_invoke_ns"))
        if (const auto* op = op_at(story["culprit_invoke_ns"].get<int64_t>())) {
            f.story.push_back("  the one that cannot be placed: " + describe_op(o, *op));
            first_ns = op->invoke_time_ns;
        }
    const int64_t culprit_ns = story.value("culprit_invoke_ns", int64_t{-1});
    int shown = 0;
    for (const auto& ns : story.value("ops_invoke_ns", nlohmann::ordered_json::array())) {
        const auto* op = op_at(ns.get<int64_t>());
        if (!op || op->invoke_time_ns == culprit_ns) continue;
        if (++shown > 8) {
            f.story.push_back("  ...");
            break;
        }
        f.story.push_back("  " + describe_op(o, *op));
        if (first_ns < 0 || op->invoke_time_ns < first_ns) first_ns = op->invoke_time_ns;
    }
    // A read that no order explains: the writes whose values it holds, so that a value read twice
    // or read after it was overwritten shows.
    const check::Operation* culprit = culprit_ns >= 0 ? op_at(culprit_ns) : nullptr;
    if (culprit && culprit->f == check::Function::get && culprit->output) {
        const std::string& read = *culprit->output;
        auto occurrences = [&read](const std::string& v) {
            std::size_t times = 0;
            for (std::size_t at = read.find(v); at != std::string::npos; at = read.find(v, at + 1)) ++times;
            return times;
        };
        std::vector<const check::Operation*> writes;
        for (const auto& w : ops) {
            if (w.key != culprit->key || w.f == check::Function::get || !w.value || w.value->empty()) continue;
            if (w.invoke_time_ns > culprit->invoke_time_ns) continue;
            if (occurrences(*w.value) > 0) writes.push_back(&w);
        }
        if (!writes.empty()) f.story.push_back("  the writes whose values that read holds:");
        for (std::size_t i = 0; i < writes.size() && i < 8; ++i) {
            const std::size_t times = occurrences(*writes[i]->value);
            f.story.push_back(fmt::format("    {}{}", describe_op(o, *writes[i]),
                                          times > 1 ? fmt::format(" (the read holds it {} times)", times) : ""));
        }
    }
    if (first_ns >= 0) f.at_ms = static_cast<double>(first_ns) / 1e6;
}

// A checker's words in a student's: "p300" (a history process) becomes the client's name.
std::string in_client_names(const SystemOutcome& o, const std::string& text) {
    static const std::regex process(R"(\bp(\d{1,9})\b)");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), process);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += text.substr(last, static_cast<std::size_t>(it->position()) - last);
        out += client_name(o, std::stoi((*it)[1]));
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    return out + text.substr(last);
}

// Other checks' findings (invariants, lost writes, ...): the first few, with their trace events.
void tell_findings(const SystemOutcome& o, CheckFailure& f) {
    // The findings behind the unmet expectations first: a check that reports several verdicts
    // (the session guarantees) also finds breaches nobody asked about.
    std::set<std::string> unmet;
    for (const auto& e : o.expectations)
        if (!e.met) unmet.insert(e.name);
    for (const CheckOutcome& c : o.checks) {
        if (c.verdict() != "violation" || c.checker == "linearizability") continue;
        const bool any_named = std::any_of(c.findings.begin(), c.findings.end(), [&](const Finding& x) { return unmet.count(x.what) != 0; });
        int shown = 0;
        for (const Finding& x : c.findings) {
            if (any_named && unmet.count(x.what) == 0) continue;
            if (++shown > 3) break;
            std::string event = x.event != no_event ? fmt::format(" (trace event {})", x.event) : "";
            f.story.push_back(fmt::format("{} at {}{}: {}", x.what, seconds(x.at.ns()), event, in_client_names(o, x.detail)));
            const double ms = static_cast<double>(x.at.ns()) / 1e6;
            if (!f.at_ms || ms < *f.at_ms) f.at_ms = ms;
        }
        if (c.findings.empty() && !c.summary.empty()) f.story.push_back(fmt::format("{}: {}", c.checker, c.summary));
    }
}

CheckFailure tell(const SystemOutcome& o, uint64_t seed) {
    CheckFailure f;
    f.seed = seed;
    f.system = o.system;
    for (const auto& e : o.expectations)
        if (!e.met) f.expected.push_back(fmt::format("{}: {}", e.name, e.detail));
    if (o.error) {
        f.story.push_back(fmt::format("the run stopped at {} (trace event {}): {}", seconds(o.error->time.ns()),
                                      o.error->event, o.error->describe()));
        f.at_ms = static_cast<double>(o.error->time.ns()) / 1e6;
        return f;
    }
    tell_counterexample(o, f);
    tell_findings(o, f);
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
    const auto verdicts = map_in_parallel<SeedVerdict>(
        items.size(), o.jobs, [&](uint64_t n) { return run_seed(*prepared[items[n].first].scenario, items[n].second); },
        o.on_progress);

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
