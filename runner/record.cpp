#include "runner/record.h"

#include "check/report.h"
#include "sim/rng.h"
#include "store/run_store.h"

#include <fmt/format.h>

namespace faultline::runner {

std::string scenario_hash(const scenario::Scenario& s) { return store::hash_to_hex(hash_label(s.text)); }

std::string run_name(const scenario::Scenario& s, const SystemOutcome& o) {
    return s.systems.size() > 1 ? s.name + "/" + o.system : s.name;
}

std::string stored_scenario_label(const std::string& run_name) {
    // A run is named "<scenario>" or "<scenario>/<system>"; an unnamed scenario is named after
    // its file's stem, which holds no '/'. (A named scenario ignores the label.)
    return run_name.substr(0, run_name.find('/')) + ".toml";
}

std::string stored_system_name(const std::string& run_name) {
    const auto slash = run_name.find('/');
    return slash == std::string::npos ? std::string() : run_name.substr(slash + 1);
}

store::CheckRecord error_check(const RunError& e) {
    store::CheckRecord c;
    c.checker = "internal_error";
    c.verdict = e.kind;
    c.details = error_json(e);
    return c;
}

nlohmann::ordered_json error_json(const RunError& e) {
    nlohmann::ordered_json j{{"kind", e.kind}, {"description", e.describe()}, {"signature", e.signature()}};
    if (!e.file.empty()) {
        j["file"] = e.file;
        j["line"] = e.line;
    }
    j["condition"] = e.condition;
    j["message"] = e.message;
    j["event"] = e.event;
    j["time_ns"] = e.time.ns();
    return j;
}

store::RunRecord to_record(const scenario::Scenario& s, const RunOutcome& run, const SystemOutcome& o,
                           int64_t wall_time_ms) {
    store::RunRecord r;
    r.scenario_name = run_name(s, o);
    r.scenario_text = s.text;
    r.scenario_hash = scenario_hash(s);
    r.seed = run.seed;
    r.build_id = build_id();
    r.virtual_duration_ns = o.end.ns();
    r.wall_time_ms = wall_time_ms;
    r.trace_hash = o.trace_hash;
    r.event_count = o.event_count;
    r.trace_level = o.trace.empty() ? TraceLevel::off : TraceLevel::full;
    r.node_names = o.node_names;
    r.names = o.names;
    r.events = o.trace;
    r.history = o.history;
    for (const auto& [at, text] : o.faults) {
        auto space = text.find(' ');
        r.faults.push_back({at.ns(), text.substr(0, space), text});
    }
    for (const CheckOutcome& c : o.checks) {
        // Figures only: they are stored as figures; a record is kept only for the findings (the
        // operations and events the viewer marks), with no verdict.
        if (c.verdicts.empty() && !c.details.contains("findings")) continue;
        store::CheckRecord rec;
        rec.checker = c.checker;
        rec.verdict = c.verdict();
        rec.details = c.details;
        if (c.verdicts.size() > 1) {
            auto& all = rec.details["verdicts"] = nlohmann::ordered_json::object();
            for (const auto& [name, value] : c.verdicts) all[name] = value;
        }
        r.checks.push_back(std::move(rec));
    }
    if (o.error) r.checks.push_back(error_check(*o.error));
    for (const auto& [name, value] : o.figures) r.figures.push_back({name, value});
    for (const auto& e : o.expectations) r.expectations.push_back({o.system + "." + e.name, e.met, e.detail});
    r.status = o.expectations_met ? store::RunStatus::passed : store::RunStatus::failed;
    return r;
}

namespace {

// The figures no checker reported: the protocol's own ("minority_ok_writes 0, ..."); "" if none.
std::string protocol_figures_line(const SystemOutcome& o) {
    std::map<std::string, double> own = o.figures;
    for (const CheckOutcome& c : o.checks)
        for (const auto& [name, value] : c.figures) own.erase(name);
    if (own.empty()) return {};
    std::string line;
    for (const auto& [name, value] : own) line += fmt::format("{}{} {}", line.empty() ? "" : ", ", name, value);
    return fmt::format("  {:<17} {}\n", "protocol figures", line);
}

}  // namespace

std::string format_summary(const scenario::Scenario& s, const RunOutcome& run, int64_t wall_time_ms) {
    std::string out = fmt::format("scenario {} (seed {})\n", s.name, run.seed);
    if (!s.description.empty()) {
        auto first_line = s.description.substr(0, s.description.find('\n'));
        out += fmt::format("  {}\n", first_line);
    }
    for (const auto& o : run.systems) {
        out += fmt::format("\n[{}] protocol {}\n", o.system, o.protocol);
        if (o.error) {
            // The run did not complete: no verdict or figure to show.
            out += fmt::format("  INTERNAL ERROR    {}\n", o.error->describe());
            out += fmt::format("                    after {} trace events (true time {}); no check ran\n",
                               o.error->event, to_string(o.error->time));
            out += fmt::format("  faults            {}\n", o.faults.size());
            out += fmt::format("  virtual time      {}   events {}   trace hash {:016x}\n",
                               to_string(o.end - Instant::zero()), o.event_count, o.trace_hash);
            continue;
        }
        for (const CheckOutcome& c : o.checks) out += fmt::format("  {:<17} {}\n", c.checker, c.summary);
        out += protocol_figures_line(o);
        out += fmt::format("  faults            {}\n", o.faults.size());
        out += fmt::format("  virtual time      {}   events {}   trace hash {:016x}\n", to_string(o.end - Instant::zero()),
                           o.event_count, o.trace_hash);
        if (o.trace_dropped)
            out += fmt::format("  trace             not kept: more events than a run keeps in memory (run "
                               "--trace-events-max, default {}); the hash covers every event, so replay still "
                               "verifies the run\n",
                               default_trace_events_max);
        for (const auto& e : o.expectations)
            out += fmt::format("  expect {:<18} {}  ({})\n", e.name, e.met ? "met" : "NOT MET", e.detail);
    }
    out += fmt::format("\n{}", run.internal_error()       ? "INTERNAL ERROR: the run did not complete"
                                 : run.expectations_met ? "all expectations met"
                                                        : "EXPECTATIONS NOT MET");
    if (wall_time_ms >= 0) out += fmt::format("   (wall time {} ms)", wall_time_ms);
    out += "\n";
    return out;
}

nlohmann::ordered_json verdicts_json(const SystemOutcome& o) {
    auto v = nlohmann::ordered_json::object();
    for (const CheckOutcome& c : o.checks)
        for (const auto& [name, value] : c.verdicts) v[name] = value;
    return v;
}

nlohmann::ordered_json summary_json(const scenario::Scenario& s, const RunOutcome& run, int64_t wall_time_ms,
                                    const std::vector<int64_t>& run_ids) {
    nlohmann::ordered_json j;
    j["scenario"] = s.name;
    j["seed"] = run.seed;
    j["expectations_met"] = run.expectations_met;
    j["internal_error"] = run.internal_error();
    j["wall_time_ms"] = wall_time_ms;
    auto& systems = j["systems"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < run.systems.size(); ++i) {
        const auto& o = run.systems[i];
        nlohmann::ordered_json sj;
        if (i < run_ids.size()) sj["run_id"] = run_ids[i];
        sj["system"] = o.system;
        sj["protocol"] = o.protocol;
        sj["trace_hash"] = store::hash_to_hex(o.trace_hash);
        sj["events"] = o.event_count;
        sj["trace_dropped"] = o.trace_dropped;
        sj["verdicts"] = verdicts_json(o);
        sj["figures"] = o.figures;
        auto& ex = sj["expectations"] = nlohmann::ordered_json::array();
        for (const auto& e : o.expectations) ex.push_back({{"name", e.name}, {"met", e.met}, {"detail", e.detail}});
        sj["expectations_met"] = o.expectations_met;
        sj["internal_error"] = o.error ? error_json(*o.error) : nlohmann::ordered_json();
        systems.push_back(std::move(sj));
    }
    // At top level: the run's trace hash over every system, the one a sweep records for the seed
    // (RunOutcome::trace_hash; for one system, that system's); and the first system's run and verdicts,
    // for scripts that run one-system scenarios.
    if (!run.systems.empty()) {
        j["run_id"] = run_ids.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(run_ids.front());
        j["trace_hash"] = store::hash_to_hex(run.trace_hash());
        j["verdicts"] = j["systems"][0]["verdicts"];
    }
    return j;
}

}  // namespace faultline::runner
