// faultline sweep SCENARIO --seeds A..B [--jobs N] [--shard K/N] [--resume]
// faultline merge SHARD.db... --into OUT.db
//
// Thin: arguments in, runner::run_sweep / runner::merge_sweeps (runner/sweep.h), a progress bar,
// and the result as a failure table or JSON. docs/sweeps.md describes both.
#include "cli/common.h"

#include "runner/sweep.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <atomic>
#include <csignal>
#include <iostream>

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

void print_json(const SweepArgs& a, const scenario::Scenario& s, const runner::SweepReport& r, int shard_k, int shard_n) {
    nlohmann::ordered_json j{{"sweep_id", r.sweep_id}, {"scenario", s.name}, {"seeds", a.seeds},
                             {"shard", fmt::format("{}/{}", shard_k, shard_n)}, {"completed", r.rows.size()},
                             {"failed", r.failed}, {"internal_errors", r.internal_errors}, {"interrupted", r.interrupted}};
    auto& f = j["failures"] = nlohmann::ordered_json::array();
    for (const auto& row : r.rows) {
        if (row.status != store::RunStatus::failed) continue;
        const auto missed = runner::bugs_not_reproduced(s, row);
        nlohmann::ordered_json fj{{"seed", row.seed},
                                  {"kind", runner::is_internal_error(row) ? "internal_error"
                                           : missed.empty()               ? "check_failed"
                                                                          : "bug_not_reproduced"},
                                  {"verdicts", row.verdicts}};
        if (!missed.empty()) fj["not_reproduced"] = missed;
        fj["trace_hash"] = store::hash_to_hex(row.trace_hash);  // every system's, combined: as `run --json` says
        if (row.run_id) fj["run_id"] = *row.run_id;
        fj["replay"] = fmt::format("faultline replay {} --seed {}", a.scenario, row.seed);
        f.push_back(fj);
    }
    std::cout << j.dump(2) << "\n";
}

void print_table(const SweepArgs& a, const scenario::Scenario& s, const runner::SweepReport& r) {
    // A scenario that plants a bug expects violations: a seed that misses them did not reproduce
    // the bug, which is worth saying apart from a seed where something broke that should not.
    std::vector<std::vector<std::string>> missed(r.rows.size());  // per row
    std::size_t not_reproduced = 0;
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        missed[i] = runner::bugs_not_reproduced(s, r.rows[i]);
        not_reproduced += !missed[i].empty();
    }
    std::cout << fmt::format("sweep {} of {}: {} seeds done, {} failing{}{}{}\n", r.sweep_id, s.name, r.rows.size(), r.failed,
                             not_reproduced > 0 ? fmt::format(" ({} of them: bug not reproduced)", not_reproduced) : "",
                             r.internal_errors > 0 ? fmt::format(" ({} with an internal error)", r.internal_errors) : "",
                             r.interrupted ? " (interrupted: finish it with --resume)" : "");
    if (r.failed == 0) return;
    // The verdicts that failed on each failing seed; the column is as wide as its widest cell.
    auto failed_verdicts = [&](std::size_t i) {
        const store::SweepResult& row = r.rows[i];
        if (!missed[i].empty()) return fmt::format("bug not reproduced ({})", fmt::join(missed[i], ", "));
        std::string v;
        for (auto it = row.verdicts.begin(); it != row.verdicts.end(); ++it)
            if (it.value() != "ok") v += fmt::format("{}{}={}", v.empty() ? "" : " ", it.key(), it.value().get<std::string>());
        return v.empty() ? std::string("expectations") : v;
    };
    std::size_t width = 8;
    for (std::size_t i = 0; i < r.rows.size(); ++i)
        if (r.rows[i].status == store::RunStatus::failed) width = std::max(width, failed_verdicts(i).size());
    std::cout << fmt::format("\n  {:>8}  {:>6}  {:<{}}  {}\n", "seed", "run", "verdicts", width, "replay");
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const store::SweepResult& row = r.rows[i];
        if (row.status != store::RunStatus::failed) continue;
        std::cout << fmt::format("  {:>8}  {:>6}  {:<{}}  faultline replay {} --seed {}\n", row.seed,
                                 row.run_id ? std::to_string(*row.run_id) : "-", failed_verdicts(i), width, a.scenario,
                                 row.seed);
    }
    // Where to look next, with the first failure's stored run; for a planted bug, a seed that
    // shows it rather than one that did not.
    if (not_reproduced > 0 && not_reproduced == r.failed) {
        for (const auto& row : r.rows) {
            if (row.status != store::RunStatus::passed) continue;
            std::cout << fmt::format("\n  the bug shows on seed {0}: faultline run {1} --seed {0}   (then view, shrink)\n", row.seed,
                                     a.scenario);
            break;
        }
        return;
    }
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const store::SweepResult& row = r.rows[i];
        if (row.status != store::RunStatus::failed || !row.run_id || !missed[i].empty()) continue;
        std::string db = a.db == default_db ? "" : " --db " + a.db;
        std::cout << fmt::format("\n  look at run {0}: faultline view {0}{1}   (or: show {0}{1}, shrink {0}{1}, replay {0}{1})\n",
                                 *row.run_id, db);
        break;
    }
}

int do_sweep(const SweepArgs& a) {
    runner::SweepOptions o;
    if (!runner::parse_seed_range(a.seeds, o.seed_first, o.seed_last)) {
        std::fprintf(stderr, "faultline: --seeds takes A..B with A <= B, e.g. --seeds 1..1000 (got '%s')\n", a.seeds.c_str());
        return exit_input;
    }
    if (o.seed_last - o.seed_first >= runner::sweep_seeds_max) {
        std::fprintf(stderr, "faultline: --seeds %s is more than %llu seeds; split the search into several sweeps\n",
                     a.seeds.c_str(), static_cast<unsigned long long>(runner::sweep_seeds_max));
        return exit_input;
    }
    if (!a.shard.empty() && !runner::parse_shard(a.shard, o.shard_index, o.shard_count)) {
        std::fprintf(stderr, "faultline: --shard takes K/N with 0 <= K < N, e.g. --shard 2/8 (got '%s')\n", a.shard.c_str());
        return exit_input;
    }
    auto s = load_scenario(a.scenario);
    if (!s) return exit_input;
    auto db = open_store(a.db);
    if (!db) return exit_input;
    o.jobs = a.jobs;
    o.resume = a.resume;
    o.stop = &interrupted;
    std::optional<Progress> progress;
    o.on_start = [&](int64_t id, uint64_t already_done, uint64_t to_run) {
        if (already_done > 0)
            std::fprintf(stderr, "faultline: resuming sweep %lld: %llu seeds already done, %llu to go\n",
                         static_cast<long long>(id), static_cast<unsigned long long>(already_done),
                         static_cast<unsigned long long>(to_run));
        progress.emplace(fmt::format("sweep {}", s->name), to_run);
    };
    o.on_progress = [&](uint64_t done, uint64_t, uint64_t failing) { progress->update(done, failing); };
    std::signal(SIGINT, on_sigint);
    auto report = runner::run_sweep(*s, *db, o);
    std::signal(SIGINT, SIG_DFL);
    if (!report) {
        std::fprintf(stderr, "faultline: %s\n", report.error().describe().c_str());
        return exit_internal;
    }
    const runner::SweepReport& r = report.value();
    if (progress) progress->finish(r.finished, r.failed);
    if (a.json) print_json(a, *s, r, o.shard_index, o.shard_count);
    else print_table(a, *s, r);
    if (r.write_errors > 0) {
        std::fprintf(stderr, "faultline: %d results could not be written to %s\n", r.write_errors, a.db.c_str());
        return exit_internal;
    }
    if (r.interrupted) return exit_failed;
    return r.failed > 0 ? exit_failed : exit_ok;
}

struct MergeArgs {
    std::vector<std::string> inputs;
    std::string into;
    bool json = false;
};

int do_merge(const MergeArgs& a) {
    auto out = open_store(a.into);
    if (!out) return exit_input;
    auto merged = runner::merge_sweeps(a.inputs, *out);
    if (auto* e = std::get_if<runner::MergeError>(&merged)) {
        std::fprintf(stderr, "faultline: %s\n", e->message.c_str());
        return e->kind == runner::MergeError::Kind::conflict ? exit_failed
               : e->kind == runner::MergeError::Kind::store  ? exit_internal
                                                             : exit_input;
    }
    const auto& r = std::get<runner::MergeReport>(merged);
    if (a.json) {
        std::cout << nlohmann::ordered_json{{"sweep_id", r.sweep_id}, {"seeds", r.seeds}, {"expected", r.expected},
                                            {"failed", r.failed}, {"complete", r.complete()}, {"shards", r.shards}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << fmt::format("merged {} shard(s) into sweep {} of {}: {} of {} seeds, {} failing{}\n", r.shards,
                                 r.sweep_id, a.into, r.seeds, r.expected, r.failed,
                                 r.complete() ? "" : " (INCOMPLETE: some shards are missing)");
    }
    if (!r.complete()) return exit_failed;
    return r.failed > 0 ? exit_failed : exit_ok;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
    auto a = std::make_shared<SweepArgs>();
    auto* c = app.add_subcommand("sweep", "Run a scenario over many seeds, in parallel, keeping every result");
    c->add_option("SCENARIO", a->scenario, "Scenario file (.toml)")->required();
    c->add_option("--seeds", a->seeds, "Seed range A..B (inclusive)")->required();
    c->add_option("--jobs", a->jobs, "Worker threads, at most 256 (default, or 0: the number of cores)")
        ->transform(whole_number(0, runner::jobs_max));
    c->add_option("--shard", a->shard, "Run only shard K of N (K/N, 0-based), for spreading a sweep over machines");
    c->add_flag("--resume", a->resume, "Continue the same sweep (same scenario, seeds and shard), skipping finished seeds");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_sweep(*a); }};
}

Command add_merge_command(CLI::App& app) {
    auto a = std::make_shared<MergeArgs>();
    auto* c = app.add_subcommand("merge", "Merge the stores of a sharded sweep into one sweep");
    c->add_option("SHARDS", a->inputs, "Shard stores (SQLite files)")->required();
    c->add_option("--into", a->into, "The store to merge into")->required();
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_merge(*a); }};
}

}  // namespace faultline::cli
