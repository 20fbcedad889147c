// faultline sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--resume]
//
// Runs many seeds. Worker threads each run whole scenarios (every run stays single-threaded,
// its own World); the main thread is the only writer to the store and commits every seed as it
// finishes, so Ctrl-C or kill -9 loses no finished seed and `--resume` continues where it
// stopped. Seeds run with the trace off (hash only); a failing seed is run again with the full
// trace and stored as a run, whose id the failure table gives with the exact replay command.
// --shard K/N runs the seeds whose offset from A is K modulo N (see docs/sweeps.md).
// A seed whose run trips an assertion (runner::RunError) is a failed seed with the verdict
// `internal_error`, stored and listed like any other failure; the sweep goes on.
#include "cli/common.h"

#include "runner/record.h"
#include "runner/run.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <map>
#include <thread>

namespace faultline::cli {

namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted.store(true); }

struct SweepArgs {
    std::string scenario;
    std::string seeds;
    unsigned jobs = 0;
    std::string shard;
    bool resume = false;
    std::string db = default_db;
    bool json = false;
};

struct SeedResult {
    uint64_t seed = 0;
    runner::RunOutcome run;
    int64_t wall_ms = 0;
    std::optional<runner::RunOutcome> full;  // failing seeds: the run again, with its trace
    int64_t full_wall_ms = 0;
};

bool parse_range(const std::string& text, uint64_t& a, uint64_t& b) {
    auto dots = text.find("..");
    if (dots == std::string::npos) return false;
    try {
        a = std::stoull(text.substr(0, dots));
        b = std::stoull(text.substr(dots + 2));
    } catch (...) {
        return false;
    }
    return a <= b;
}

bool parse_shard(const std::string& text, int& k, int& n) {
    auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    try {
        k = std::stoi(text.substr(0, slash));
        n = std::stoi(text.substr(slash + 1));
    } catch (...) {
        return false;
    }
    return n >= 1 && k >= 0 && k < n;
}

nlohmann::ordered_json verdicts_of(const runner::RunOutcome& run) {
    nlohmann::ordered_json v = nlohmann::ordered_json::object();
    for (const auto& o : run.systems) {
        std::string prefix = run.systems.size() > 1 ? o.system + "." : "";
        if (o.error) {
            // The run did not complete: no check ran, the error is the verdict.
            v[prefix + "internal_error"] = o.error->describe();
            continue;
        }
        const nlohmann::ordered_json verdicts = runner::verdicts_json(o);
        for (const auto& [name, value] : verdicts.items()) v[prefix + name] = value;
    }
    return v;
}

// A failed seed whose run ended in an assertion or exception (verdict `internal_error`).
bool is_internal_error(const store::SweepResult& row) {
    for (auto it = row.verdicts.begin(); it != row.verdicts.end(); ++it) {
        const std::string& key = it.key();
        if (key == "internal_error" || key.ends_with(".internal_error")) return true;
    }
    return false;
}

uint64_t combined_hash(const runner::RunOutcome& run) {
    uint64_t h = 0;
    for (const auto& o : run.systems) h = h * 0x100000001b3ull ^ o.trace_hash;
    return h;
}

int do_sweep(const SweepArgs& a) {
    uint64_t first = 0, last = 0;
    if (!parse_range(a.seeds, first, last)) {
        std::fprintf(stderr, "faultline: --seeds takes A..B with A <= B, e.g. --seeds 1..1000 (got '%s')\n", a.seeds.c_str());
        return exit_input;
    }
    int shard_k = 0, shard_n = 1;
    if (!a.shard.empty() && !parse_shard(a.shard, shard_k, shard_n)) {
        std::fprintf(stderr, "faultline: --shard takes K/N with 0 <= K < N, e.g. --shard 2/8 (got '%s')\n", a.shard.c_str());
        return exit_input;
    }
    auto s = load_scenario(a.scenario);
    if (!s) return exit_input;
    auto db = open_store(a.db);
    if (!db) return exit_input;

    store::SweepSpec spec{s->name, runner::scenario_hash(*s), runner::build_id(), first, last, shard_k, shard_n};
    int64_t sweep_id = 0;
    std::set<uint64_t> done_before;
    if (a.resume) {
        auto found = db->find_sweep(spec);
        if (found && found.value()) {
            sweep_id = *found.value();
            auto f = db->finished_seeds(sweep_id);
            if (f) done_before = f.value();
        }
    }
    if (sweep_id == 0) {
        auto id = db->begin_sweep(spec);
        if (!id) {
            std::fprintf(stderr, "faultline: %s\n", id.error().describe().c_str());
            return exit_internal;
        }
        sweep_id = id.value();
    }
    std::vector<uint64_t> todo;
    for (uint64_t seed = first;; ++seed) {
        if (static_cast<int>((seed - first) % static_cast<uint64_t>(shard_n)) == shard_k && !done_before.count(seed))
            todo.push_back(seed);
        if (seed == last) break;
    }
    unsigned jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = std::min<unsigned>(jobs, std::max<std::size_t>(1, todo.size()));
    if (!done_before.empty())
        std::fprintf(stderr, "faultline: resuming sweep %lld: %zu seeds already done, %zu to go\n",
                     static_cast<long long>(sweep_id), done_before.size(), todo.size());

    std::signal(SIGINT, on_sigint);
    std::mutex mu;
    std::condition_variable cv;
    std::deque<SeedResult> results;
    std::atomic<std::size_t> next{0};
    std::atomic<unsigned> workers_left{jobs};
    const scenario::Scenario& sc = *s;
    auto worker = [&] {
        while (!interrupted.load()) {
            std::size_t i = next.fetch_add(1);
            if (i >= todo.size()) break;
            SeedResult r;
            r.seed = todo[i];
            runner::RunOptions o;
            o.seed = r.seed;
            o.trace_level = TraceLevel::off;
            o.keep_trace = false;
            auto t0 = std::chrono::steady_clock::now();
            r.run = runner::run_scenario(sc, o);
            r.wall_ms = wall_ms_since(t0);
            if (!r.run.expectations_met) {
                o.trace_level = TraceLevel::full;
                o.keep_trace = true;
                auto t1 = std::chrono::steady_clock::now();
                r.full = runner::run_scenario(sc, o);
                r.full_wall_ms = wall_ms_since(t1);
            }
            std::lock_guard lock(mu);
            results.push_back(std::move(r));
            cv.notify_one();
        }
        std::lock_guard lock(mu);
        workers_left.fetch_sub(1);
        cv.notify_one();
    };
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);

    Progress progress(fmt::format("sweep {}", s->name), todo.size());
    std::vector<std::pair<uint64_t, std::vector<int64_t>>> failures;
    uint64_t finished = 0;
    int write_errors = 0;
    while (true) {
        SeedResult r;
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return !results.empty() || workers_left.load() == 0; });
            if (results.empty()) break;
            r = std::move(results.front());
            results.pop_front();
        }
        store::SweepResult row;
        row.seed = r.seed;
        row.status = r.run.expectations_met ? store::RunStatus::passed : store::RunStatus::failed;
        row.trace_hash = combined_hash(r.run);
        row.verdicts = verdicts_of(r.run);
        row.wall_time_ms = r.wall_ms;
        if (r.full) {
            std::vector<int64_t> ids;
            for (const auto& sys : r.full->systems) {
                auto id = db->save_run(runner::to_record(sc, *r.full, sys, r.full_wall_ms));
                if (id) ids.push_back(id.value());
                else ++write_errors;
            }
            if (!ids.empty()) row.run_id = ids.front();
            failures.emplace_back(r.seed, ids);
        }
        if (!db->record_sweep_result(sweep_id, row)) ++write_errors;
        ++finished;
        progress.update(finished, failures.size());
    }
    for (auto& t : threads) t.join();
    progress.finish(finished, failures.size());
    std::signal(SIGINT, SIG_DFL);

    auto all = db->sweep_results(sweep_id);
    std::size_t total_failed = 0, total_internal = 0;
    if (all) {
        for (const auto& row : all.value()) {
            total_failed += row.status == store::RunStatus::failed;
            total_internal += is_internal_error(row);
        }
    }
    if (a.json) {
        nlohmann::ordered_json j{{"sweep_id", sweep_id}, {"scenario", s->name}, {"seeds", a.seeds},
                                 {"shard", fmt::format("{}/{}", shard_k, shard_n)}, {"completed", all ? all.value().size() : 0},
                                 {"failed", total_failed}, {"internal_errors", total_internal},
                                 {"interrupted", interrupted.load()}};
        auto& f = j["failures"] = nlohmann::ordered_json::array();
        if (all) {
            for (const auto& row : all.value()) {
                if (row.status != store::RunStatus::failed) continue;
                nlohmann::ordered_json fj{{"seed", row.seed},
                                          {"kind", is_internal_error(row) ? "internal_error" : "check_failed"},
                                          {"verdicts", row.verdicts}};
                if (row.run_id) fj["run_id"] = *row.run_id;
                fj["replay"] = fmt::format("faultline replay {} --seed {}", a.scenario, row.seed);
                f.push_back(fj);
            }
        }
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << fmt::format("sweep {} of {}: {} seeds done, {} failing{}{}\n", sweep_id, s->name,
                                 all ? all.value().size() : finished, total_failed,
                                 total_internal > 0 ? fmt::format(" ({} with an internal error)", total_internal) : "",
                                 interrupted.load() ? " (interrupted: finish it with --resume)" : "");
        if (total_failed > 0 && all) {
            std::cout << fmt::format("\n  {:>8}  {:>6}  {:<40}  {}\n", "seed", "run", "verdicts", "replay");
            for (const auto& row : all.value()) {
                if (row.status != store::RunStatus::failed) continue;
                std::string v;
                for (auto it = row.verdicts.begin(); it != row.verdicts.end(); ++it)
                    if (it.value() != "ok") v += fmt::format("{}={} ", it.key(), it.value().get<std::string>());
                std::cout << fmt::format("  {:>8}  {:>6}  {:<40}  faultline replay {} --seed {}\n", row.seed,
                                         row.run_id ? std::to_string(*row.run_id) : "-", v.empty() ? "expectations" : v,
                                         a.scenario, row.seed);
            }
            // Where to look next, with the first failure's stored run.
            for (const auto& row : all.value()) {
                if (row.status != store::RunStatus::failed || !row.run_id) continue;
                std::string db = a.db == default_db ? "" : " --db " + a.db;
                std::cout << fmt::format("\n  look at run {0}: faultline view {0}{1}   (or: show {0}, shrink {0}, replay {0})\n",
                                         *row.run_id, db);
                break;
            }
        }
    }
    if (write_errors > 0) {
        std::fprintf(stderr, "faultline: %d results could not be written to %s\n", write_errors, a.db.c_str());
        return exit_internal;
    }
    if (interrupted.load()) return exit_failed;
    return total_failed > 0 ? exit_failed : exit_ok;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
    auto a = std::make_shared<SweepArgs>();
    auto* c = app.add_subcommand("sweep", "Run a scenario over many seeds, in parallel, keeping every result");
    c->add_option("SCENARIO", a->scenario, "Scenario file (.toml)")->required();
    c->add_option("--seeds", a->seeds, "Seed range A..B (inclusive)")->required();
    c->add_option("--jobs", a->jobs, "Worker threads (default: the number of cores)");
    c->add_option("--shard", a->shard, "Run only shard K of N (K/N, 0-based), for spreading a sweep over machines");
    c->add_flag("--resume", a->resume, "Continue the same sweep (same scenario, seeds and shard), skipping finished seeds");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_sweep(*a); }};
}

}  // namespace faultline::cli

// faultline merge SHARD.db... --into OUT.db
//
// Combines the sweeps of shard stores (each made by `sweep --shard K/N`) into one sweep in OUT:
// every seed's result row, in seed order, as if one machine had run the whole range. Failing
// seeds' stored runs are copied too, and their run ids rewritten. The shards must be of one
// scenario (same scenario hash) and one seed range; a seed present twice must agree.
namespace faultline::cli {

namespace {

struct MergeArgs {
    std::vector<std::string> inputs;
    std::string into;
    bool json = false;
};

int do_merge(const MergeArgs& a) {
    auto out = open_store(a.into);
    if (!out) return exit_input;
    std::optional<store::SweepSpec> spec;
    std::map<uint64_t, store::SweepResult> rows;
    std::set<int> shards_seen;
    for (const auto& path : a.inputs) {
        auto in = open_store(path, true);
        if (!in) return exit_input;
        auto ids = in->list_sweeps();
        if (!ids || ids.value().empty()) {
            std::fprintf(stderr, "faultline: %s holds no sweep\n", path.c_str());
            return exit_input;
        }
        for (int64_t id : ids.value()) {
            auto info = in->sweep(id);
            if (!info) return exit_input;
            const auto& sp = info.value().spec;
            if (spec && (sp.scenario_hash != spec->scenario_hash || sp.seed_first != spec->seed_first ||
                         sp.seed_last != spec->seed_last || sp.shard_count != spec->shard_count)) {
                std::fprintf(stderr, "faultline: %s: sweep %lld is of another scenario, seed range or shard count\n",
                             path.c_str(), static_cast<long long>(id));
                return exit_input;
            }
            if (!spec) spec = sp;
            shards_seen.insert(sp.shard_index);
            auto results = in->sweep_results(id);
            if (!results) return exit_input;
            for (auto r : results.value()) {
                if (r.run_id) {
                    auto run = in->load_run(*r.run_id, true);
                    if (run) {
                        auto new_id = out->save_run(run.value());
                        r.run_id = new_id ? std::optional<int64_t>(new_id.value()) : std::nullopt;
                    }
                }
                auto [it, fresh] = rows.emplace(r.seed, r);
                if (!fresh && it->second.trace_hash != r.trace_hash) {
                    std::fprintf(stderr, "faultline: seed %llu has two different results (a determinism bug or two builds)\n",
                                 static_cast<unsigned long long>(r.seed));
                    return exit_failed;
                }
            }
        }
    }
    store::SweepSpec merged = *spec;
    merged.shard_index = 0;
    merged.shard_count = 1;
    auto id = out->begin_sweep(merged);
    if (!id) return exit_internal;
    std::size_t failed = 0;
    for (const auto& [seed, r] : rows) {
        if (!out->record_sweep_result(id.value(), r)) return exit_internal;
        failed += r.status == store::RunStatus::failed;
    }
    uint64_t expected = merged.seed_last - merged.seed_first + 1;
    bool complete = rows.size() == expected;
    if (a.json) {
        std::cout << nlohmann::ordered_json{{"sweep_id", id.value()}, {"seeds", rows.size()}, {"expected", expected},
                                            {"failed", failed}, {"complete", complete}, {"shards", shards_seen.size()}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << fmt::format("merged {} shard(s) into sweep {} of {}: {} of {} seeds, {} failing{}\n",
                                 shards_seen.size(), id.value(), a.into, rows.size(), expected, failed,
                                 complete ? "" : " (INCOMPLETE: some shards are missing)");
    }
    if (!complete) return exit_failed;
    return failed > 0 ? exit_failed : exit_ok;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
    auto a = std::make_shared<MergeArgs>();
    auto* c = app.add_subcommand("merge", "Merge the stores of a sharded sweep into one sweep");
    c->add_option("SHARDS", a->inputs, "Shard stores (SQLite files)")->required();
    c->add_option("--into", a->into, "The store to merge into")->required();
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_merge(*a); }};
}

}  // namespace faultline::cli
