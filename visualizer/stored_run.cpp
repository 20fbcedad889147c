#include "visualizer/stored_run.h"

#include "sim/assert.h"
#include "sim/store/run_store.h"

#include <fmt/format.h>

#include <charconv>

namespace faultline::view {

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
        v.explanation = c.details.dump(2);
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
