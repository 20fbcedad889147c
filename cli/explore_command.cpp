// faultline explore SCENARIO [--depth D] [--budget-s S] [--seed N] [--system NAME]... [--jobs J]
//                            [-o OUT.toml] [--db F] [--no-store] [--json]:
// bounded exhaustive exploration of a small scenario's schedules (runner/explore/explore.h,
// docs/explore.md). For each system: breadth first over runs that differ from the seeded run in
// at most D choices (a message lost, late, or its sender crashing as it leaves; a buggify site
// fired), pruning states seen before. A run found (a planted bug shown, or a failure) is written
// as a scenario with its choices in [explored], stored with its trace, and printed with the
// commands that replay and view it.
//
// Exit codes (README): 0 nothing unexpected: every system expecting a violation showed it, and no
// other system failed; 1 a system failed (its run is written and stored) or a planted bug was not
// found within the depth and budget; 2 bad input.
#include "cli/common.h"

#include "runner/explore/explore.h"
#include "runner/record.h"
#include "runner/run.h"
#include "scenario/scenario_writer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <variant>

namespace faultline::cli {

namespace {

struct ExploreArgs {
    std::string scenario;
    int depth = 3;
    double budget_s = 60;
    std::optional<uint64_t> seed;
    std::vector<std::string> systems;
    unsigned jobs = 0;
    std::string output;
    std::string db = default_db;
    bool no_store = false;
    bool json = false;
};

std::string schedule_text(const std::vector<scenario::ExploredChoice>& schedule) {
    if (schedule.empty()) return "(the seeded run itself)";
    std::string out;
    for (const auto& c : schedule) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", c.index, choice_name(c.choice));
    return out;
}

// Writes the found run's scenario (with a header) and parses it back, so that what is stored and
// replayed is exactly the file. nullopt after printing why.
std::optional<scenario::Scenario> write_found(const runner::ExploreReport& r, const std::string& source, uint64_t seed,
                                              const std::string& path) {
    const std::string text =
        fmt::format("# Found by faultline explore {} --seed {}: system {}, choices {}.\n# Replay: faultline run {}\n", source,
                    seed, r.system, schedule_text(r.schedule), path) +
        scenario::write_scenario_toml(r.found_scenario);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::fprintf(stderr, "faultline: cannot write %s (choose another with -o)\n", path.c_str());
            return std::nullopt;
        }
    }
    return load_scenario(path);
}

// Where a found run's scenario goes: -o when one system is found; with several, -o's name with
// the system's as a suffix; without -o, <scenario>-explored-<system>.toml here.
std::string found_path(const ExploreArgs& a, const std::string& system, std::ptrdiff_t found_count) {
    if (a.output.empty())
        return fmt::format("{}-explored-{}.toml", std::filesystem::path(a.scenario).stem().string(), system);
    if (found_count == 1) return a.output;
    const std::filesystem::path o(a.output);
    return (o.parent_path() / fmt::format("{}-{}{}", o.stem().string(), system, o.extension().string())).string();
}

// Runs the written scenario with its trace and stores it; the run's id, or nullopt (no store).
// An exit code when storing failed.
std::variant<std::optional<int64_t>, int> store_found(std::optional<store::RunStore>& db, const scenario::Scenario& written,
                                                      uint64_t seed) {
    if (!db) return std::optional<int64_t>{};
    runner::RunOptions ro;
    ro.seed = seed;
    ro.trace_level = TraceLevel::full;
    const runner::RunOutcome run = runner::run_scenario(written, ro);
    if (run.systems.empty()) return std::optional<int64_t>{};
    auto saved = db->save_run(runner::to_record(written, run, run.systems.front(), 0));
    if (!saved) {
        std::fprintf(stderr, "faultline: the explored run was not stored: %s\n", saved.error().describe().c_str());
        return exit_internal;
    }
    return std::optional<int64_t>{saved.value()};
}

nlohmann::ordered_json report_json(const runner::ExploreReport& r) {
    return {{"system", r.system},     {"expects_violation", r.expects_violation},
            {"found", r.found},       {"runs", r.runs},
            {"states", r.states},     {"pruned", r.pruned},
            {"choice_points", r.choice_points}, {"depth_done", r.depth_done},
            {"budget_spent", r.budget_spent},   {"scope_too_large", r.scope_too_large},
            {"seconds", r.seconds}};
}

std::string not_found_line(const runner::ExploreReport& r) {
    const std::string reach =
        r.scope_too_large ? fmt::format("depth {} done; depth {} outgrew the explorer's memory: make the scope smaller",
                                        r.depth_done, r.depth_done + 1)
        : r.budget_spent  ? fmt::format("depth {} done, depth {} cut by the budget", r.depth_done, r.depth_done + 1)
                          : fmt::format("every schedule to depth {} explored", r.depth_done);
    return fmt::format("  {}: {} in {} runs, {} states, {:.1f} s ({}; {} choice points in the seeded run)\n", r.system,
                       r.expects_violation ? "the planted bug was NOT found" : "no violation", r.runs, r.states, r.seconds,
                       reach, r.choice_points);
}

// Writes, stores and describes one found run (into `j` and `line`); an exit code on failure.
std::optional<int> report_found(const ExploreArgs& a, const runner::ExploreReport& r, uint64_t seed, std::ptrdiff_t found_count,
                                std::optional<store::RunStore>& db, nlohmann::ordered_json& j, std::string& line) {
    const std::string path = found_path(a, r.system, found_count);
    auto written = write_found(r, a.scenario, seed, path);
    if (!written) return exit_input;
    auto stored = store_found(db, *written, seed);
    if (const int* code = std::get_if<int>(&stored)) return *code;
    const std::optional<int64_t> id = std::get<std::optional<int64_t>>(stored);
    j["choices"] = schedule_text(r.schedule);
    j["detail"] = r.detail;
    j["output"] = path;
    j["replay"] = fmt::format("faultline run {} --seed {}", path, seed);
    if (id) j["run"] = *id;
    const std::string dbarg = a.db == default_db ? "" : " --db " + a.db;
    line = fmt::format("  {}: {} after {} runs, {} states, {:.1f} s: {} choice{} off the seeded run: {}\n"
                       "    {}\n    wrote {}\n    replay: faultline run {} --seed {}{}\n",
                       r.system, r.expects_violation ? "the planted bug shows" : "FAILS", r.runs, r.states, r.seconds,
                       r.schedule.size(), r.schedule.size() == 1 ? "" : "s", schedule_text(r.schedule), r.detail, path, path,
                       seed, id ? fmt::format("\n    view:   faultline view {}{}", *id, dbarg) : std::string());
    return std::nullopt;
}

// A progress bar per system and level, on stderr.
std::function<void(const std::string&, int, uint64_t, uint64_t)> progress_bars(std::optional<Progress>& bar) {
    struct Last {
        int level = 0;
        std::string system;
        uint64_t total = 0;
    };
    auto last = std::make_shared<Last>();
    return [&bar, last](const std::string& system, int level, uint64_t done, uint64_t candidates) {
        if (system != last->system || level != last->level) {
            if (bar) bar->finish(last->total, 0);
            *last = {level, system, candidates};
            // No failure count: the search stops at the first run found.
            bar.emplace(fmt::format("{}, {} choice{} off", system, level, level == 1 ? "" : "s"), candidates, "");
        }
        bar->update(done, 0);
    };
}

int do_explore(const ExploreArgs& a) {
    if (!(a.budget_s >= 0 && a.budget_s <= 86'400)) {  // NaN passes CLI11's range check
        std::fprintf(stderr, "faultline: --budget-s takes seconds from 0 to 86400\n");
        return exit_input;
    }
    auto s = load_scenario(a.scenario);
    if (!s) return exit_input;
    for (const std::string& name : a.systems) {
        if (std::none_of(s->systems.begin(), s->systems.end(), [&](const auto& x) { return x.name == name; })) {
            std::fprintf(stderr, "faultline: %s has no system '%s'\n", a.scenario.c_str(), name.c_str());
            return exit_input;
        }
    }
    std::optional<store::RunStore> db;
    if (!a.no_store) {
        db = open_store(a.db);
        if (!db) return exit_input;
    }
    const uint64_t seed = a.seed.value_or(s->seed);
    (a.json ? std::cerr : std::cout) << fmt::format("exploring {} with seed {}: at most {} choices off the seeded run, {} s a system\n",
                                                    a.scenario, seed, a.depth, a.budget_s)
                                     << std::flush;
    runner::ExploreOptions o;
    o.depth = a.depth;
    o.budget_s = a.budget_s;
    o.seed = seed;
    o.jobs = a.jobs;
    o.systems = a.systems;
    std::optional<Progress> bar;
    o.on_progress = progress_bars(bar);
    const std::vector<runner::ExploreReport> reports = runner::explore(*s, o);
    bar.reset();

    int exit_code = exit_ok;
    const auto found_count = std::count_if(reports.begin(), reports.end(), [](const auto& r) { return r.found; });
    nlohmann::ordered_json systems = nlohmann::ordered_json::array();
    for (const runner::ExploreReport& r : reports) {
        if (r.found != r.expects_violation) exit_code = exit_failed;
        nlohmann::ordered_json j = report_json(r);
        std::string line = r.found ? std::string() : not_found_line(r);
        if (r.found)
            if (auto failed = report_found(a, r, seed, found_count, db, j, line)) return *failed;
        if (!a.json) std::cout << line;
        systems.push_back(std::move(j));
    }
    if (a.json) {
        nlohmann::ordered_json j{{"scenario", a.scenario}, {"seed", seed},        {"depth", a.depth},
                                 {"budget_s", a.budget_s}, {"systems", systems}};
        std::cout << json_text(j) << "\n";
    }
    return exit_code;
}

}  // namespace

Command add_explore_command(CLI::App& app) {
    auto a = std::make_shared<ExploreArgs>();
    auto* c = app.add_subcommand("explore", "Explore a small scenario's schedules exhaustively to a depth: lost, late and crash choices, buggify sites");
    c->add_option("SCENARIO", a->scenario, "Scenario file (keep it small: 2-3 servers, 1-2 clients, a few operations)")->required();
    c->add_option("--depth", a->depth, "The most choices off the seeded run (default 3)")->transform(whole_number(0, 8));
    c->add_option("--budget-s", a->budget_s, "Wall-clock seconds a system (default 60; 0: no limit)")
        ->check(CLI::Range(0.0, 86'400.0, "SECONDS"));
    c->add_option("--seed", a->seed, "Seed of the root run (default: the scenario's)")
        ->transform(whole_number(0, std::numeric_limits<uint64_t>::max()));
    c->add_option("--system", a->systems, "Explore only this system (repeatable)");
    c->add_option("--jobs", a->jobs, "Worker threads (default: the number of cores)")->transform(whole_number(1, 256));
    c->add_option("-o,--output", a->output, "Where to write a found run's scenario (default: <name>-explored-<system>.toml)");
    c->add_option("--db", a->db, "Run store for found runs (default faultline.db)");
    c->add_flag("--no-store", a->no_store, "Store nothing (the found run is still written as a scenario)");
    c->add_flag("--json", a->json, "Print the result as JSON (progress goes to stderr)");
    return {c, [a] { return do_explore(*a); }};
}

}  // namespace faultline::cli
