#include "visualizer/stored_run.h"

#include "sim/assert.h"
#include "check/checker.h"
#include "store/run_store.h"
#if defined(FAULTLINE_HAS_RUNNER)
#include "runner/record.h"
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#include "scenario/scenario_writer.h"
#include "sim/faults/fault_kind.h"
#endif

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
    if (!v.events.empty() || v.window) return;
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

RunModel model_of_record(const store::RunRecord& r) {
    FL_ASSERT(r.events.size() == r.event_count, "run {} was loaded without its events ({} of {})", r.run_id,
              r.events.size(), r.event_count);
    RunInfo info;
    info.title = fmt::format("run {}: {}, seed {}", r.run_id, r.scenario_name, r.seed);
    info.seed = r.seed;
    info.trace_hash = r.trace_hash;
    RunModel m = RunModel::build(r.events, r.names, r.node_names, Instant::from_ns(r.virtual_duration_ns), info);
    for (const store::CheckRecord& c : r.checks) {
        VerdictMark v;
        v.checker = c.checker;
        v.ok = c.verdict == "ok";
        v.decided = c.verdict != "unknown";
        v.summary = fmt::format("{}: {}", c.checker, c.verdict);
        v.explanation = c.details.contains("explanation") && c.details["explanation"].is_string()
                            ? c.details["explanation"].get<std::string>()
                            : c.details.dump(2);
        if (!v.ok) mark_blame(m, r, c, v);
        m.add_verdict(std::move(v));
    }
    return m;
}

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
    if (r.events.size() != r.event_count || r.events.empty())
        return fmt::format("run {} was stored without its trace (level {}): nothing to draw; replay it with "
                           "`faultline replay {}` to store one", id, store::to_string(r.trace_level), id);
    ViewRun out;
    out.spec.seed = r.seed;
    out.model = model_of_record(r);
    out.source = StoredSource{r.scenario_text, r.scenario_name, r.run_id, db};
#if defined(FAULTLINE_HAS_RUNNER)
    out.editable = true;
#else
    out.editable = false;
#endif
    return out;
}

#if defined(FAULTLINE_HAS_RUNNER)
namespace {

// The stored scenario's text with the added faults appended as [[fault]] tables, so the fork is
// an ordinary scenario: it validates, runs, stores and replays like any other.
// False with `error` set when an edit cannot be expressed in a scenario.
bool forked_text(const StoredSource& source, const ViewRunSpec& spec, const std::vector<std::string>& node_names,
                 const std::vector<std::string>& servers, std::string& text, std::string& error_out) {
    if (!spec.dropped_messages.empty()) {
        error_out = "dropping a message by hand needs the viewer's own workload";
        return false;
    }
    // A scenario's faults name servers; clients and helper nodes cannot be targeted: blank them.
    std::vector<std::string> targetable = node_names;
    for (std::string& name : targetable)
        if (std::find(servers.begin(), servers.end(), name) == servers.end()) name.clear();
    text = source.scenario_text;
    if (!spec.added.empty()) text += "\n\n# Faults added in the viewer (fork from here).\n";
    for (const faults::ScheduledFault& f : spec.added) {
        const faults::FaultKind& kind = faults::kind_of(f.fault);
        std::optional<faults::FaultArgs> args = kind.args_of ? kind.args_of(f.fault, targetable) : std::nullopt;
        if (!args) {
            error_out = kind.args_of ? fmt::format("this {} cannot be written as a scenario's fault: a scenario's faults "
                                                   "target servers, and a partition must split them", kind.name)
                                     : fmt::format("a {} fault cannot be added to a scenario from the viewer", kind.name);
            return false;
        }
        scenario::FaultSpec spec_of{std::string(kind.name), static_cast<double>(f.at.ns()) / 1e6, std::nullopt, *args, 0};
        text += scenario::write_fault_toml(spec_of) + "\n";
    }
    return true;
}

// Runs the fork; on success the record of the same system as the stored run.
std::variant<store::RunRecord, std::string> run_fork(const StoredSource& source, const ViewRunSpec& spec,
                                                     const std::vector<std::string>& node_names) {
    auto original = scenario::parse_scenario_text(source.scenario_text, source.run_name + ".toml", runner::catalog());
    if (!original.ok()) return "the stored scenario no longer parses:\n" + scenario::format_errors(original.errors);
    std::string text, error;
    if (!forked_text(source, spec, node_names, original.scenario->nodes, text, error)) return error;
    auto parsed = scenario::parse_scenario_text(text, source.run_name + ".toml", runner::catalog());
    if (!parsed.ok()) return "the edited scenario does not validate:\n" + scenario::format_errors(parsed.errors);
    const scenario::Scenario& sc = *parsed.scenario;
    runner::RunOptions options;
    options.seed = spec.seed;
    runner::RunOutcome outcome = runner::run_scenario(sc, options);
    for (const runner::SystemOutcome& o : outcome.systems)
        if (runner::run_name(sc, o) == source.run_name) return runner::to_record(sc, outcome, o, 0);
    return fmt::format("the scenario has no system named like the stored run '{}'", source.run_name);
}

}  // namespace
#endif

std::variant<ViewRun, std::string> fork_stored_run(const StoredSource& source, const ViewRunSpec& spec,
                                                   const std::vector<std::string>& node_names) {
#if defined(FAULTLINE_HAS_RUNNER)
    auto result = run_fork(source, spec, node_names);
    if (auto* error = std::get_if<std::string>(&result)) return *error;
    store::RunRecord& r = std::get<store::RunRecord>(result);
    r.run_id = source.run_id;
    r.scenario_name = fmt::format("fork of {} (+{} fault(s))", source.run_name, spec.added.size());
    ViewRun out;
    out.spec = spec;
    out.source = source;
    out.editable = true;
    out.model = model_of_record(r);
    return out;
#else
    (void)source;
    (void)spec;
    (void)node_names;
    return std::string("this build has no scenario runner: stored runs cannot be forked");
#endif
}

std::variant<int64_t, std::string> save_fork(const StoredSource& source, const ViewRunSpec& spec,
                                             const std::vector<std::string>& node_names) {
#if defined(FAULTLINE_HAS_RUNNER)
    if (source.db.empty()) return std::string("the run did not come from a run store");
    auto result = run_fork(source, spec, node_names);
    if (auto* error = std::get_if<std::string>(&result)) return *error;
    auto st = store::RunStore::open(source.db);
    if (!st.ok()) return fmt::format("cannot open the run store {}: {}", source.db, st.error().describe());
    auto id = st.value().save_run(std::get<store::RunRecord>(result));
    if (!id.ok()) return id.error().describe();
    return id.value();
#else
    (void)source;
    (void)spec;
    (void)node_names;
    return std::string("this build has no scenario runner: stored runs cannot be forked");
#endif
}

}  // namespace faultline::view
