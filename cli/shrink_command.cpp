// faultline shrink RUN|SCENARIO [--seed N] [--db F] [-o OUT.toml] [--max-runs N] [--json]:
// the smallest scenario that, with the same seed, still fails the same way (runner/shrink.h,
// docs/shrink.md). RUN is a stored run id (its scenario text and seed come from the store; a run
// of one system of several shrinks that system); SCENARIO is a file, run with --seed or its own.
//
// Exit codes (README): 0 a failing scenario was written (smaller, or the original was already
// minimal); 2 the run does not fail (nothing to shrink), bad input, or an output path that cannot
// be written.
#include "cli/common.h"

#include "runner/shrink.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace faultline::cli {

namespace {

struct ShrinkArgs {
    std::string target;
    std::optional<uint64_t> seed;
    std::string db = default_db;
    std::string output;
    int runs_max = 300;
    bool json = false;
};

nlohmann::ordered_json size_json(const runner::ShrinkSize& z) {
    return {{"systems", z.systems},       {"faults", z.faults},         {"fault_ms", z.fault_ms},
            {"nemesis", z.nemesis},       {"clients", z.clients},       {"ops_per_client", z.ops_per_client},
            {"duration_ms", z.duration_ms}, {"nodes", z.nodes},         {"keys", z.keys},
            {"expectations", z.expectations}, {"client_ops", z.client_ops}, {"trace_events", z.trace_events}};
}

// The scenario and seed to shrink, from the store or a file; nullopt after printing why.
struct Target {
    scenario::Scenario scenario;
    uint64_t seed = 0;
    std::string source;        // for the header: "scenarios/x.toml" or "run 17 (faultline.db)"
    std::string default_out;   // where the result goes without -o
};

std::optional<Target> load_target(const ShrinkArgs& a) {
    const bool is_run_id = !a.target.empty() && a.target.find_first_not_of("0123456789") == std::string::npos;
    if (!is_run_id) {
        auto s = load_scenario(a.target);
        if (!s) return std::nullopt;
        const uint64_t seed = a.seed.value_or(s->seed);
        const std::string stem = std::filesystem::path(a.target).stem().string();
        return Target{*s, seed, a.target, fmt::format("{}-shrunk-seed{}.toml", stem, seed)};
    }
    if (a.seed) {
        std::fprintf(stderr, "faultline: --seed applies to a scenario file; run %s has its own seed\n", a.target.c_str());
        return std::nullopt;
    }
    auto db = open_store(a.db, true);
    if (!db) return std::nullopt;
    const auto id = runner::parse_run_id(a.target);
    if (!id) {
        std::fprintf(stderr, "faultline: '%s' is not a run id (a whole number from 1) or a file\n", a.target.c_str());
        return std::nullopt;
    }
    auto r = db->load_run(*id, false);
    if (!r) {
        std::fprintf(stderr, "faultline: %s\n", r.error().describe().c_str());
        return std::nullopt;
    }
    const store::RunRecord& run = r.value();
    auto s = load_scenario_text(run.scenario_text, stored_scenario_label(run));
    if (!s) {
        std::fprintf(stderr, "faultline: the scenario stored with run %s no longer parses\n", a.target.c_str());
        return std::nullopt;
    }
    // A run of one system of several ("name/system"): shrink that system.
    const std::string prefix = s->name + "/";
    if (s->systems.size() > 1 && run.scenario_name.rfind(prefix, 0) == 0) {
        const std::string system = run.scenario_name.substr(prefix.size());
        std::erase_if(s->systems, [&](const scenario::System& x) { return x.name != system; });
        std::erase_if(s->expect, [&](const auto& entry) { return entry.first != system; });
        if (s->systems.empty()) {
            std::fprintf(stderr, "faultline: run %s is of system '%s', which its scenario does not have\n", a.target.c_str(),
                         system.c_str());
            return std::nullopt;
        }
    }
    return Target{*s, run.seed, fmt::format("run {} ({})", a.target, a.db), fmt::format("run{}-shrunk.toml", a.target)};
}

int do_shrink(const ShrinkArgs& a) {
    if (a.runs_max < 0) {
        std::fprintf(stderr, "faultline: --max-runs must be >= 0, got %d\n", a.runs_max);
        return exit_input;
    }
    auto target = load_target(a);
    if (!target) return exit_input;
    const std::string out_path = a.output.empty() ? target->default_out : a.output;
    std::ostream& progress = a.json ? std::cerr : std::cout;

    runner::ShrinkOptions o;
    o.runs_max = a.runs_max;
    o.source = target->source;
    o.output = out_path;
    // Each accepted step is saved at once, so an interrupted shrink leaves the smallest failing
    // scenario found so far (without the header, which is written at the end).
    o.on_step = [&progress, &out_path](const runner::ShrinkStep& step) {
        progress << fmt::format("  [run {:>3}] {}\n", step.run, step.what) << std::flush;
        std::ofstream(out_path, std::ios::binary | std::ios::trunc) << step.toml;
    };
    progress << fmt::format("shrinking {} with seed {} (at most {} runs)\n", target->source, target->seed, a.runs_max)
             << std::flush;
    const auto start = std::chrono::steady_clock::now();
    const runner::ShrinkResult r = runner::shrink(target->scenario, target->seed, o);
    const int64_t wall = wall_ms_since(start);

    if (!r.failed) {
        std::fprintf(stderr, "faultline: %s does not fail with seed %llu (every expectation met, no failed check): nothing to shrink\n",
                     target->source.c_str(), static_cast<unsigned long long>(target->seed));
        return exit_input;
    }
    {
        std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
        out << r.toml;
        if (!out.flush()) {
            std::fprintf(stderr, "faultline: cannot write %s (choose another with -o)\n", out_path.c_str());
            return exit_input;
        }
    }
    const std::string replay = fmt::format("faultline run {} --seed {}", out_path, r.seed);
    if (a.json) {
        nlohmann::ordered_json steps = nlohmann::ordered_json::array();
        for (const auto& step : r.steps) steps.push_back({{"run", step.run}, {"what", step.what}});
        nlohmann::ordered_json j{{"source", target->source},
                                 {"seed", r.seed},
                                 {"failure", r.signature},
                                 {"demonstration", r.demonstration},
                                 {"runs", r.runs},
                                 {"budget_spent", r.budget_spent},
                                 {"wall_ms", wall},
                                 {"before", size_json(r.before)},
                                 {"after", size_json(r.after)},
                                 {"steps", steps},
                                 {"output", out_path},
                                 {"replay", replay}};
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << (r.demonstration ? "the run meets its expectations; the violations it demonstrates, kept:\n"
                                  : "the failure kept:\n");
    for (const std::string& line : r.failure) std::cout << "  " << line << "\n";
    if (r.smaller()) {
        std::cout << fmt::format("shrunk in {} runs, {:.1f} s{}:\n", r.runs, static_cast<double>(wall) / 1000.0,
                                 r.budget_spent ? " (the run budget ran out; --max-runs for more)" : "");
    } else if (r.budget_spent) {
        std::cout << fmt::format("no smaller failing scenario within the run budget ({} runs, {:.1f} s; --max-runs for more)\n",
                                 r.runs, static_cast<double>(wall) / 1000.0);
    } else {
        std::cout << fmt::format("already minimal: no change kept it failing the same way ({} runs, {:.1f} s)\n", r.runs,
                                 static_cast<double>(wall) / 1000.0);
    }
    std::cout << runner::format_shrink_table(r.before, r.after);
    std::cout << fmt::format("wrote {}\nreplay: {}\n", out_path, replay);
    return exit_ok;
}

}  // namespace

Command add_shrink_command(CLI::App& app) {
    auto a = std::make_shared<ShrinkArgs>();
    auto* c = app.add_subcommand("shrink", "Minimise a failing run: the smallest scenario that fails the same way with its seed");
    c->add_option("TARGET", a->target, "A run id from the store, or a scenario file")->required();
    c->add_option("--seed", a->seed, "Seed (with a scenario file; default: the scenario's)")
        ->transform(whole_number(0, std::numeric_limits<uint64_t>::max()));
    c->add_option("--db", a->db, "Run store (SQLite file), for a run id");
    c->add_option("-o,--output", a->output, "Where to write the shrunk scenario (default: <name>-shrunk-seed<N>.toml)");
    c->add_option("--max-runs", a->runs_max, "Run budget (default 300)")->transform(whole_number(1, 1'000'000));
    c->add_flag("--json", a->json, "Print the result as JSON (progress goes to stderr)");
    return {c, [a] { return do_shrink(*a); }};
}

}  // namespace faultline::cli
