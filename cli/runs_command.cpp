// faultline runs [--scenario TEXT] [--status passed|failed] [--limit N] [--json]
// faultline prune (--keep N | --status passed|failed | --run ID ...) [--scenario TEXT] [--dry-run] [--vacuum]
//
// What the store holds, and taking runs out of it. The policy that keeps a store small is the
// writers' (docs/run_store.md, "What is stored"): a sweep stores the full run of a failing seed
// only, a passing one as a row of its hash and verdicts; `run` stores every run it makes; a lab
// grading keeps its newest 10. `prune` is for what a user no longer wants: old passing runs, or
// everything but the newest few.
#include "cli/common.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <limits>

namespace faultline::cli {

namespace {

struct RunsArgs {
    std::string db = default_db;
    std::string scenario;
    std::string status;
    int limit = 20;
    bool json = false;
};

struct PruneArgs {
    std::string db = default_db;
    std::string scenario;
    std::string status;
    std::optional<int> keep;
    std::vector<int64_t> runs;
    bool dry_run = false;
    bool vacuum = false;
    bool json = false;
};

// The store's size on disk: the file, its WAL and shared-memory files.
uint64_t store_bytes(const std::string& path) {
    uint64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(path + suffix, ec);
        if (!ec) total += n;
    }
    return total;
}

std::string megabytes(uint64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

std::optional<store::RunStatus> status_of(const std::string& text) {
    if (text == "passed") return store::RunStatus::passed;
    if (text == "failed") return store::RunStatus::failed;
    return std::nullopt;
}

int do_runs(const RunsArgs& a) {
    auto db = open_store(a.db, /*read_only=*/true);
    if (!db) return exit_input;
    store::RunFilter filter{a.scenario, status_of(a.status), a.limit};
    auto runs = db->list_runs(filter);
    if (!runs) {
        std::fprintf(stderr, "faultline: %s\n", runs.error().describe().c_str());
        return exit_input;
    }
    if (a.json) {
        nlohmann::ordered_json j = nlohmann::ordered_json::array();
        for (const auto& r : runs.value())
            j.push_back({{"run_id", r.run_id},        {"written_at", r.written_at},
                         {"scenario", r.scenario_name}, {"seed", r.seed},
                         {"status", store::to_string(r.status)},
                         {"events", r.event_count},   {"events_stored", r.events_stored},
                         {"virtual_duration_ns", r.virtual_duration_ns}, {"trace_hash", store::hash_to_hex(r.trace_hash)}});
        std::cout << nlohmann::ordered_json{{"db", a.db}, {"bytes", store_bytes(a.db)}, {"runs", j}}.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << fmt::format("{:>6}  {:<20}  {:<32}  {:>6}  {:<6}  {:>10}  {}\n", "run", "written (UTC)", "scenario",
                             "seed", "status", "events", "trace");
    for (const auto& r : runs.value())
        std::cout << fmt::format("{:>6}  {:<20}  {:<32}  {:>6}  {:<6}  {:>10}  {}\n", r.run_id, r.written_at.substr(0, 19),
                                 r.scenario_name.substr(0, 32), r.seed, store::to_string(r.status), r.event_count,
                                 r.events_stored ? "stored" : "hash only");
    std::cout << fmt::format("\n{} run{} shown (newest first; --limit N for more), {} in {}\n", runs.value().size(),
                             runs.value().size() == 1 ? "" : "s", megabytes(store_bytes(a.db)), a.db);
    if (!runs.value().empty())
        std::cout << fmt::format("  show one: faultline show ID{0}   remove some: faultline prune --keep N{0}\n",
                                 a.db == default_db ? "" : " --db " + a.db);
    return exit_ok;
}

int do_prune(const PruneArgs& a) {
    if (!a.keep && a.status.empty() && a.runs.empty()) {
        std::fprintf(stderr, "faultline prune: say which runs to remove: --keep N (all but the newest N), --status "
                             "passed|failed, or --run ID\n");
        return exit_input;
    }
    auto db = open_store(a.db);
    if (!db) return exit_input;
    std::vector<int64_t> doomed;
    bool more = false;
    if (a.keep || !a.status.empty() || !a.scenario.empty()) {
        store::RunFilter filter{a.scenario, status_of(a.status), store::max_list_limit};
        auto runs = db->list_runs(filter);
        if (!runs) {
            std::fprintf(stderr, "faultline: %s\n", runs.error().describe().c_str());
            return exit_input;
        }
        more = runs.value().size() == static_cast<std::size_t>(store::max_list_limit);
        const std::size_t keep = a.keep ? static_cast<std::size_t>(*a.keep) : 0;
        for (std::size_t i = keep; i < runs.value().size(); ++i) {
            const int64_t id = runs.value()[i].run_id;
            if (a.runs.empty() || std::find(a.runs.begin(), a.runs.end(), id) != a.runs.end()) doomed.push_back(id);
        }
    } else {
        for (int64_t id : a.runs) {
            auto r = db->load_run(id, /*with_events=*/false);
            if (!r) {
                std::fprintf(stderr, "faultline prune: %s\n", r.error().describe().c_str());
                return exit_input;
            }
            doomed.push_back(id);
        }
    }
    const uint64_t before = store_bytes(a.db);
    if (!a.dry_run) {
        if (auto d = db->delete_runs(doomed); !d) {
            std::fprintf(stderr, "faultline: %s\n", d.error().describe().c_str());
            return exit_internal;
        }
        if (a.vacuum) {
            if (auto v = db->vacuum(); !v) {
                std::fprintf(stderr, "faultline: %s\n", v.error().describe().c_str());
                return exit_internal;
            }
        }
    }
    const uint64_t after = store_bytes(a.db);
    if (a.json) {
        std::cout << nlohmann::ordered_json{{"db", a.db},          {"removed", doomed},   {"dry_run", a.dry_run},
                                            {"more_remain", more}, {"bytes_before", before}, {"bytes_after", after}}
                         .dump(2)
                  << "\n";
        return exit_ok;
    }
    std::cout << fmt::format("{} {} run{}{}\n", a.dry_run ? "would remove" : "removed", doomed.size(),
                             doomed.size() == 1 ? "" : "s", a.dry_run ? " (--dry-run: nothing removed)" : "");
    if (more) std::cout << fmt::format("  more runs match than one prune takes ({}): run it again\n", store::max_list_limit);
    std::cout << fmt::format("{}: {} before, {} now{}\n", a.db, megabytes(before), megabytes(after),
                             a.vacuum || a.dry_run || doomed.empty()
                                 ? ""
                                 : " (the freed pages are reused by later runs; --vacuum gives them back to the disk)");
    return exit_ok;
}

}  // namespace

Command add_runs_command(CLI::App& app) {
    auto a = std::make_shared<RunsArgs>();
    auto* c = app.add_subcommand("runs", "List the runs a store holds, newest first: id, scenario, seed, status, events");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_option("--scenario", a->scenario, "Only runs whose scenario name contains this");
    c->add_option("--status", a->status, "Only passed or failed runs")->check(CLI::IsMember({"passed", "failed"}));
    c->add_option("--limit", a->limit, "At most this many runs")->transform(whole_number(1, store::max_list_limit));
    c->add_flag("--json", a->json, "Print as JSON");
    return {c, [a] { return do_runs(*a); }};
}

Command add_prune_command(CLI::App& app) {
    auto a = std::make_shared<PruneArgs>();
    auto* c = app.add_subcommand("prune", "Remove stored runs: all but the newest N, the passed or failed ones, or by id");
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_option("--keep", a->keep, "Keep the newest N runs (of those --scenario and --status select), remove the rest")
        ->transform(whole_number(0, store::max_list_limit));
    c->add_option("--status", a->status, "Remove the passed (or failed) runs")->check(CLI::IsMember({"passed", "failed"}));
    c->add_option("--scenario", a->scenario, "Only runs whose scenario name contains this");
    c->add_option("--run", a->runs, "Remove this run (repeatable)")->transform(whole_number(1, std::numeric_limits<int64_t>::max()));
    c->add_flag("--dry-run", a->dry_run, "Say what would be removed, remove nothing");
    c->add_flag("--vacuum", a->vacuum, "Then compact the file (rewrites it: takes a while on a large store)");
    c->add_flag("--json", a->json, "Print as JSON");
    return {c, [a] { return do_prune(*a); }};
}

}  // namespace faultline::cli
