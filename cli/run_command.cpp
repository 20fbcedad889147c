// faultline run SCENARIO [--seed N]: one run of every system of a scenario, stored.
// (replay lives in replay_command.cpp.)
#include "cli/common.h"

#include "runner/record.h"
#include "runner/run.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <iostream>

namespace faultline::cli {

namespace {

struct RunArgs {
    std::string scenario;
    std::optional<uint64_t> seed;
    std::string db = default_db;
    bool json = false;
    bool no_store = false;
    uint64_t trace_events_max = runner::default_trace_events_max;
};

int do_run(const RunArgs& a) {
    auto s = load_scenario(a.scenario);
    if (!s) return exit_input;
    runner::RunOptions o;
    o.seed = a.seed.value_or(s->seed);
    o.trace_level = TraceLevel::full;
    o.trace_events_max = a.trace_events_max;
    // The store first: one that cannot be opened is the user's to fix before a long run, not after.
    std::optional<store::RunStore> db;
    if (!a.no_store) {
        db = open_store(a.db);
        if (!db) return exit_input;
    }
    auto start = std::chrono::steady_clock::now();
    runner::RunOutcome run = runner::run_scenario(*s, o);
    int64_t wall = wall_ms_since(start);
    std::vector<int64_t> ids;
    std::optional<store::StoreError> not_stored;
    if (db) {
        for (const auto& sys : run.systems) {
            auto id = db->save_run(runner::to_record(*s, run, sys, wall));
            if (!id) {
                not_stored = id.error();
                break;
            }
            ids.push_back(id.value());
        }
    }
    if (not_stored) {
        // The run happened: show it, then say why it is not in the store. A store that refuses
        // writes (read-only file or folder, full disk) is the user's to fix: exit 2; else 3.
        if (a.json) std::cout << runner::summary_json(*s, run, wall, ids).dump(2) << "\n";
        else std::cout << runner::format_summary(*s, run, wall);
        std::fprintf(stderr, "faultline: the run was not stored: %s\n", not_stored->describe().c_str());
        const int code = not_stored->sqlite_code & 0xff;
        const bool theirs = code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM ||
                            code == SQLITE_FULL || code == SQLITE_IOERR;
        return theirs ? exit_input : exit_internal;
    }
    if (a.json) {
        std::cout << runner::summary_json(*s, run, wall, ids).dump(2) << "\n";
    } else {
        std::cout << runner::format_summary(*s, run, wall);
        // The follow-up commands name the store the user named: copied as printed, they open it.
        const std::string db = a.db == default_db ? "" : " --db " + a.db;
        for (std::size_t i = 0; i < ids.size(); ++i)
            std::cout << fmt::format("stored as run {0} in {1}  (show: faultline show {0}{2}, view: faultline view {0}{2})\n",
                                     ids[i], a.db, db);
        if (!run.expectations_met)
            std::cout << fmt::format("replay: faultline replay {} --seed {}\n", a.scenario, o.seed);
    }
    if (run.internal_error()) {
        // The assertion report (seed, event, trace tail) goes to stderr, as an uncontained one would.
        for (const auto& sys : run.systems) {
            if (!sys.error) continue;
            std::fprintf(stderr, "faultline: [%s] %s\n%s", sys.system.c_str(), sys.error->describe().c_str(),
                         sys.error->context.c_str());
        }
        // Decision (docs/sweeps.md): the run did not complete, so its checks have no verdict: exit 3,
        // wherever the assertion sits (kernel or protocol code).
        return exit_internal;
    }
    return run.expectations_met ? exit_ok : exit_failed;
}

}  // namespace

Command add_run_command(CLI::App& app) {
    auto a = std::make_shared<RunArgs>();
    auto* c = app.add_subcommand("run", "Run a scenario once (every system in it), check it, store it");
    c->add_option("SCENARIO", a->scenario, "Scenario file (.toml)")->required();
    c->add_option("--seed", a->seed, "Run seed (default: the scenario's)")
        ->transform(whole_number(0, std::numeric_limits<uint64_t>::max()));
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the summary as JSON");
    c->add_flag("--no-store", a->no_store, "Do not store the run");
    c->add_option("--trace-events-max", a->trace_events_max,
                  "Keep at most this many trace events in memory; a longer run is stored without them (default "
                  "1000000, about 350 MB)")
        ->transform(whole_number(1, std::numeric_limits<uint64_t>::max()));
    return {c, [a] { return do_run(*a); }};
}

}  // namespace faultline::cli
