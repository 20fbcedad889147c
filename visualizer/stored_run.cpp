#include "visualizer/stored_run.h"

#include "check/checker.h"
#include "runner/record.h"
#include "runner/session.h"
#include "scenario/scenario_writer.h"
#include "sim/assert.h"
#include "sim/faults/fault_kind.h"
#include "store/run_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <type_traits>

namespace faultline::view {

namespace {

// The operation of the model invoked at `time_ns` (the history and the trace share virtual time).
std::optional<std::size_t> op_invoked_at(const RunModel& m, int64_t time_ns) {
    auto it = std::lower_bound(m.ops().begin(), m.ops().end(), time_ns,
                               [](const ClientOp& op, int64_t t) { return op.begin.ns() < t; });
    if (it == m.ops().end() || it->begin.ns() != time_ns) return std::nullopt;
    return static_cast<std::size_t>(it - m.ops().begin());
}

// What a failed check blames, mapped onto the model: an invariant's events, the liveness window,
// or (re-checking the stored history within a small budget) a linearizability counterexample.
void mark_blame(const RunModel& m, const store::RunRecord& r, const store::CheckRecord& c, VerdictMark& v) {
    const auto& d = c.details;
    // Findings (any checker's): their trace events, and a line each in the summary.
    if (d.contains("findings") && d["findings"].is_array() && !d["findings"].empty()) {
        for (const auto& x : d["findings"]) {
            int64_t e = x.value("event", int64_t{-1});
            if (e >= 0 && static_cast<std::size_t>(e) < m.events().size()) v.events.push_back(static_cast<EventIndex>(e));
            if (auto op = op_invoked_at(m, x.value("op_invoke_ns", int64_t{-1}))) v.ops.push_back(*op);
            if (v.summary.size() < 200)
                v.summary += fmt::format("; {} at {}: {}", x.value("what", std::string("?")),
                                         to_string(Instant::from_ns(x.value("time_ns", int64_t{0}))), x.value("detail", std::string()));
        }
    }
    // A window of blame (e.g. liveness: from the heal to its deadline).
    if (d.contains("window_ns") && d["window_ns"].is_array() && d["window_ns"].size() == 2) {
        const Instant from = Instant::from_ns(d["window_ns"][0].get<int64_t>());
        v.window = Interval{from, std::max(from, std::min(Instant::from_ns(d["window_ns"][1].get<int64_t>()), m.end()))};
    }
    // A counterexample the checker kept: its operations by invocation time.
    if (d.contains("counterexample") && d["counterexample"].is_object()) {
        const auto& story = d["counterexample"];
        for (const auto& t : story.value("ops_invoke_ns", nlohmann::ordered_json::array()))
            if (auto op = op_invoked_at(m, t.get<int64_t>())) v.ops.push_back(*op);
        if (story.contains("culprit_invoke_ns"))
            if (auto op = op_invoked_at(m, story["culprit_invoke_ns"].get<int64_t>()))
                if (m.ops()[*op].complete != no_event) v.events.push_back(m.ops()[*op].complete);
        if (story.contains("window_ns") && story["window_ns"].size() == 2) {
            const int64_t begin = story["window_ns"][0].get<int64_t>();
            const int64_t end = std::min(story["window_ns"][1].get<int64_t>(), m.end().ns());
            v.window = Interval{Instant::from_ns(begin), Instant::from_ns(std::max(end, begin))};
        }
        return;
    }
    if (!v.events.empty() || v.window) return;
    // A record from before the checker kept its counterexample: re-check the stored history.
    if (c.checker != "linearizability" || r.history.events.empty()) return;
    auto paired = check::pair_operations(r.history);
    if (!paired) return;
    check::Model model = check::Model::key_value_map();
    if (check::find_unsupported_operation(paired.value(), model)) model = check::Model::cas_register();
    if (check::find_unsupported_operation(paired.value(), model)) return;
    check::Budget budget;
    budget.steps_max = 2'000'000;
    budget.shrink_steps_max = 2'000'000;
    budget.memory_bytes_max = 64ull << 20;
    check::CheckResult result = check::check_operations(paired.value(), model, budget);
    for (const check::KeyResult& k : result.keys) {
        if (!k.counterexample) continue;
        const check::Counterexample& cx = *k.counterexample;
        const auto& chosen = cx.minimal.empty() ? cx.window : cx.minimal;
        for (check::OpId id : chosen)
            if (auto op = op_invoked_at(m, paired.value().at(static_cast<std::size_t>(id)).invoke_time_ns)) v.ops.push_back(*op);
        int64_t end_ns = std::min(cx.end_time_ns, m.end().ns());
        v.window = Interval{Instant::from_ns(cx.begin_time_ns), Instant::from_ns(std::max(end_ns, cx.begin_time_ns))};
        if (cx.culprit >= 0)
            if (auto op = op_invoked_at(m, paired.value().at(static_cast<std::size_t>(cx.culprit)).invoke_time_ns))
                if (m.ops()[*op].complete != no_event) v.events.push_back(m.ops()[*op].complete);
        break;
    }
}

}  // namespace

RunModel model_of_record(const store::RunRecord& r, std::string title) {
    FL_ASSERT(r.events.size() == r.event_count, "run {} was loaded without its events ({} of {})", r.run_id,
              r.events.size(), r.event_count);
    RunInfo info;
    info.title = std::move(title);
    info.seed = r.seed;
    info.trace_hash = r.trace_hash;
    RunModel m = RunModel::build(r.events, r.names, r.node_names, Instant::from_ns(r.virtual_duration_ns), info);
    for (const store::CheckRecord& c : r.checks) {
        VerdictMark v;
        v.checker = c.checker;
        // A checker that returns figures only (no verdict) passed; its findings are marked all the same.
        v.ok = c.verdict == "ok" || c.verdict.empty();
        v.decided = c.verdict != "unknown";
        v.summary = fmt::format("{}: {}", c.checker, c.verdict);
        v.explanation = c.details.contains("explanation") && c.details["explanation"].is_string()
                            ? c.details["explanation"].get<std::string>()
                            : c.details.dump(2);
        if (!v.ok || c.details.contains("findings")) mark_blame(m, r, c, v);
        m.add_verdict(std::move(v));
    }
    return m;
}

namespace {

// The scenario's planned faults (for the editor's list), from a session built but not run.
faults::FaultSchedule planned_faults(const ViewRunSpec& spec) {
    auto parsed = parse_view_scenario(spec);
    if (!std::holds_alternative<scenario::Scenario>(parsed)) return {};
    const scenario::Scenario& s = std::get<scenario::Scenario>(parsed);
    const scenario::System* sys = view_system(s, spec);
    if (sys == nullptr) return {};
    runner::SystemSession session(s, *sys, view_run_options(spec));
    return session.planned();
}

}  // namespace

std::variant<ViewRun, std::string> load_stored_run(const std::string& db, const std::string& run) {
    store::OpenOptions options;
    options.read_only = true;
    auto st = store::RunStore::open(db, options);
    if (!st.ok()) return fmt::format("cannot open the run store {}: {}", db, st.error().describe());
    int64_t id = 0;
    if (run == "latest") {
        auto latest = st.value().latest_run();
        if (!latest.ok()) return latest.error().describe();
        if (!latest.value()) return fmt::format("the run store {} holds no runs", db);
        id = latest.value()->run_id;
    } else {
        auto [p, ec] = std::from_chars(run.data(), run.data() + run.size(), id);
        if (ec != std::errc() || p != run.data() + run.size() || id <= 0)
            return fmt::format("'{}' is not a run id (a positive number, or 'latest')", run);
    }
    auto record = st.value().load_run(id, true);
    if (!record.ok()) return record.error().describe();
    const store::RunRecord& r = record.value();
    ViewRunSpec spec;
    spec.scenario_text = r.scenario_text;
    spec.scenario_label = runner::stored_scenario_label(r.scenario_name);
    spec.system = runner::stored_system_name(r.scenario_name);
    spec.seed = r.seed;
    const std::string title = fmt::format("run {}: {}, seed {}", r.run_id, r.scenario_name, r.seed);
    ViewRun out;
    if (r.events.size() != r.event_count || r.events.empty()) {
        // Stored without its trace (summary only, or a run past --trace-events-max): a run
        // is a function of its scenario and seed, so run it again and show that.
        auto rerun = run_view(spec);
        if (auto* error = std::get_if<std::string>(&rerun))
            return fmt::format("run {} was stored without its trace; running it again: {}", id, *error);
        out = std::move(std::get<ViewRun>(rerun));
        out.title = title + " (run again: stored without its trace)";
    } else {
        out.spec = spec;
        out.title = title;
        out.model = model_of_record(r, out.title);
    }
    out.stored = StoredOrigin{r.run_id, db};
    out.planned = planned_faults(out.spec);
    out.editable = std::holds_alternative<scenario::Scenario>(parse_view_scenario(out.spec));
    return out;
}

std::variant<std::string, std::string> edited_scenario_text(const ViewRun& run) {
    using Result = std::variant<std::string, std::string>;
    const ViewRunSpec& spec = run.spec;
    if (!spec.edits.dropped_messages.empty())
        return Result(std::in_place_index<1>, "a message dropped by hand has no scenario form: save a run without drops");
    if (!spec.edits.removed.empty())
        return Result(std::in_place_index<1>, "a planned fault left out has no scenario form yet: save a run that only adds faults");
    auto parsed = parse_view_scenario(spec);
    if (auto* error = std::get_if<std::string>(&parsed)) return Result(std::in_place_index<1>, *error);
    const scenario::Scenario& s = std::get<scenario::Scenario>(parsed);
    // A scenario's faults name servers; clients and helper nodes cannot be targeted: blank them.
    std::vector<std::string> targetable;
    for (const Lane& l : run.model.lanes())
        targetable.push_back(std::find(s.nodes.begin(), s.nodes.end(), l.name) != s.nodes.end() ? l.name : std::string());
    std::string text = spec.scenario_text;
    if (!spec.edits.added.empty()) text += "\n\n# Faults added in the viewer.\n";
    for (const faults::ScheduledFault& f : spec.edits.added) {
        const faults::FaultKind& kind = faults::kind_of(f.fault);
        std::optional<faults::FaultArgs> args = kind.args_of ? kind.args_of(f.fault, targetable) : std::nullopt;
        if (!args)
            return Result(std::in_place_index<1>,
                          kind.args_of ? fmt::format("this {} cannot be written as a scenario's fault: a scenario's faults "
                                                     "target servers, and a partition must split them", kind.name)
                                       : fmt::format("a {} fault cannot be added to a scenario from the viewer", kind.name));
        const scenario::FaultSpec written{std::string(kind.name), static_cast<double>(f.at.ns()) / 1e6, std::nullopt, *args, 0};
        text += scenario::write_fault_toml(written) + "\n";
    }
    return Result(std::in_place_index<0>, text);
}

std::variant<int64_t, std::string> save_edited_run(const ViewRun& run, const std::string& db) {
    auto text = edited_scenario_text(run);
    if (text.index() == 1) return std::get<1>(text);
    ViewRunSpec spec = run.spec;
    spec.scenario_text = std::get<0>(text);
    spec.edits = {};
    auto parsed = parse_view_scenario(spec);
    if (auto* error = std::get_if<std::string>(&parsed)) return "the edited scenario does not parse:\n" + *error;
    const scenario::Scenario& s = std::get<scenario::Scenario>(parsed);
    const scenario::System* sys = view_system(s, spec);
    if (sys == nullptr) return fmt::format("scenario {} has no system '{}'", s.name, spec.system);
    runner::RunOptions o = view_run_options(spec);
    o.checker_options.clear();  // a stored run is checked as its scenario says
    runner::RunOutcome outcome;
    outcome.scenario = s.name;
    outcome.seed = spec.seed;
    outcome.systems.push_back(runner::run_system(s, *sys, o));
    auto st = store::RunStore::open(db);
    if (!st.ok()) return fmt::format("cannot open the run store {}: {}", db, st.error().describe());
    auto id = st.value().save_run(runner::to_record(s, outcome, outcome.systems.front(), 0));
    if (!id.ok()) return id.error().describe();
    return id.value();
}

}  // namespace faultline::view
