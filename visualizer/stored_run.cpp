#include "visualizer/stored_run.h"

#include "sim/assert.h"
#include "sim/check/checker.h"
#include "sim/store/run_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

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
    if (c.checker == "invariants" && d.contains("violations") && d["violations"].is_array()) {
        for (const auto& x : d["violations"]) {
            int64_t e = x.value("event", int64_t{-1});
            if (e >= 0 && static_cast<std::size_t>(e) < m.events().size()) v.events.push_back(static_cast<EventIndex>(e));
            if (v.summary.size() < 200)
                v.summary += fmt::format("; {} at {}: {}", x.value("invariant", std::string("?")),
                                         to_string(Instant::from_ns(x.value("time_ns", int64_t{0}))), x.value("detail", std::string()));
        }
        return;
    }
    if (c.checker == "liveness" && d.contains("heal_at_ns")) {
        Instant heal = Instant::from_ns(d["heal_at_ns"].get<int64_t>());
        v.window = Interval{heal, m.end()};
        return;
    }
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
    out.editable = false;
    out.spec.seed = r.seed;
    out.model = model_of_record(r);
    return out;
}

}  // namespace faultline::view
