// faultline run SCENARIO [--seed N]: one run of every system of a scenario, stored.
// faultline replay RUN|SCENARIO [--seed N] [--until MS]: re-execute and verify the trace hash.
#include "cli/common.h"

#include "runner/record.h"
#include "runner/run.h"

#include <fmt/format.h>

#include <iostream>

namespace faultline::cli {

namespace {

struct RunArgs {
    std::string scenario;
    std::optional<uint64_t> seed;
    std::string db = default_db;
    bool json = false;
    bool no_store = false;
};

int do_run(const RunArgs& a) {
    auto s = load_scenario(a.scenario);
    if (!s) return exit_input;
    runner::RunOptions o;
    o.seed = a.seed.value_or(s->seed);
    o.trace_level = TraceLevel::full;
    auto start = std::chrono::steady_clock::now();
    runner::RunOutcome run = runner::run_scenario(*s, o);
    int64_t wall = wall_ms_since(start);
    std::vector<int64_t> ids;
    if (!a.no_store) {
        auto db = open_store(a.db);
        if (!db) return exit_input;
        for (const auto& sys : run.systems) {
            auto id = db->save_run(runner::to_record(*s, run, sys, wall));
            if (!id) {
                std::fprintf(stderr, "faultline: %s\n", id.error().describe().c_str());
                return exit_internal;
            }
            ids.push_back(id.value());
        }
    }
    if (a.json) {
        std::cout << runner::summary_json(*s, run, wall, ids).dump(2) << "\n";
    } else {
        std::cout << runner::format_summary(*s, run, wall);
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::cout << fmt::format("stored as run {} in {}  (show: faultline show {}, view: faultline view {})\n", ids[i],
                                     a.db, ids[i], ids[i]);
        if (!run.expectations_met)
            std::cout << fmt::format("replay: faultline replay {} --seed {}\n", a.scenario, o.seed);
    }
    return run.expectations_met ? exit_ok : exit_failed;
}

struct ReplayArgs {
    std::string target;
    std::optional<uint64_t> seed;
    std::optional<double> until_ms;
    std::string db = default_db;
    bool json = false;
};

// The first event where two traces differ, as text for the determinism-bug report.
std::string first_divergence(const std::vector<TraceEvent>& a, const std::vector<TraceEvent>& b,
                             const std::vector<std::string>& names_a, const std::vector<std::string>& names_b) {
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& x = a[i];
        const auto& y = b[i];
        bool same = x.time == y.time && x.local_time == y.local_time && x.lamport == y.lamport && x.id == y.id &&
                    x.cause == y.cause && x.node == y.node && x.peer == y.peer && x.kind == y.kind && x.reason == y.reason &&
                    names_a[x.name] == names_b[y.name];
        if (!same)
            return fmt::format("first divergent event #{}: stored {} {} node {} | replayed {} {} node {}", i,
                               to_string(x.time), to_string(x.kind), x.node, to_string(y.time), to_string(y.kind), y.node);
    }
    if (a.size() != b.size()) return fmt::format("traces agree for {} events, then one ends", n);
    return "traces agree event by event (the difference is in text only)";
}

int do_replay(const ReplayArgs& a) {
    std::optional<scenario::Scenario> s;
    std::optional<store::RunRecord> stored;
    bool is_run_id = !a.target.empty() && a.target.find_first_not_of("0123456789") == std::string::npos;
    if (is_run_id) {
        auto db = open_store(a.db, true);
        if (!db) return exit_input;
        auto r = db->load_run(std::stoll(a.target), true);
        if (!r) {
            std::fprintf(stderr, "faultline: %s\n", r.error().describe().c_str());
            return exit_input;
        }
        stored = std::move(r.value());
        s = load_scenario_text(stored->scenario_text, stored_scenario_label(*stored));
        if (!s) return exit_input;
    } else {
        s = load_scenario(a.target);
        if (!s) return exit_input;
    }
    runner::RunOptions o;
    o.seed = stored ? stored->seed : a.seed.value_or(s->seed);
    o.trace_level = TraceLevel::full;
    if (a.until_ms) o.until = Instant::zero() + nanoseconds(static_cast<int64_t>(*a.until_ms * 1e6));
    runner::RunOutcome run = runner::run_scenario(*s, o);
    if (!stored) {
        std::cout << runner::format_summary(*s, run, -1);
        return run.expectations_met ? exit_ok : exit_failed;
    }
    // Find the system this run was.
    const runner::SystemOutcome* sys = nullptr;
    for (const auto& o2 : run.systems)
        if (runner::run_name(*s, o2) == stored->scenario_name) sys = &o2;
    if (sys == nullptr) {
        std::fprintf(stderr, "faultline: run %s is of system '%s', which the scenario no longer has\n", a.target.c_str(),
                     stored->scenario_name.c_str());
        return exit_input;
    }
    if (stored->build_id != runner::build_id())
        std::fprintf(stderr, "faultline: warning: run %s was made by build %s, this is %s; a different trace may be legitimate\n",
                     a.target.c_str(), stored->build_id.c_str(), runner::build_id().c_str());
    if (a.until_ms) {
        std::cout << fmt::format("replayed run {} up to {} ms: {} events, hash {:016x} (a partial run has its own hash)\n",
                                 a.target, *a.until_ms, sys->event_count, sys->trace_hash);
        return exit_ok;
    }
    bool same = sys->trace_hash == stored->trace_hash;
    if (a.json) {
        nlohmann::ordered_json j{{"run_id", std::stoll(a.target)},
                                 {"seed", o.seed},
                                 {"stored_trace_hash", store::hash_to_hex(stored->trace_hash)},
                                 {"replayed_trace_hash", store::hash_to_hex(sys->trace_hash)},
                                 {"identical", same}};
        std::cout << j.dump(2) << "\n";
    } else if (same) {
        std::cout << fmt::format("replay of run {} (seed {}): identical, trace hash {:016x}, {} events\n", a.target, o.seed,
                                 sys->trace_hash, sys->event_count);
    } else {
        std::cout << fmt::format("replay of run {} (seed {}): DIFFERENT trace hash: stored {:016x}, replayed {:016x}\n",
                                 a.target, o.seed, stored->trace_hash, sys->trace_hash);
        std::cout << "this is a determinism bug (or a different build): ";
        if (!stored->events.empty()) {
            std::cout << first_divergence(stored->events, sys->trace, stored->names, sys->names) << "\n";
        } else {
            std::cout << "the stored run has no events to compare\n";
        }
    }
    return same ? exit_ok : exit_failed;
}

}  // namespace

Command add_run_command(CLI::App& app) {
    auto a = std::make_shared<RunArgs>();
    auto* c = app.add_subcommand("run", "Run a scenario once (every system in it), check it, store it");
    c->add_option("SCENARIO", a->scenario, "Scenario file (.toml)")->required();
    c->add_option("--seed", a->seed, "Run seed (default: the scenario's)");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the summary as JSON");
    c->add_flag("--no-store", a->no_store, "Do not store the run");
    return {c, [a] { return do_run(*a); }};
}

Command add_replay_command(CLI::App& app) {
    auto a = std::make_shared<ReplayArgs>();
    auto* c = app.add_subcommand("replay", "Re-execute a stored run (or a scenario and seed) and verify its trace hash");
    c->add_option("TARGET", a->target, "A run id from the store, or a scenario file")->required();
    c->add_option("--seed", a->seed, "Seed (with a scenario file)");
    c->add_option("--until", a->until_ms, "Stop at this virtual time (ms)");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_replay(*a); }};
}

}  // namespace faultline::cli
