// faultline cap [--seeds A..B] [--json] [--svg FILE]: the CAP suite (runner/cap.h) as one table.
#include "cli/common.h"

#include "runner/cap.h"
#include "runner/sweep.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>

namespace faultline::cli {

namespace {

struct CapArgs {
    std::string seeds = "1..20";
    std::string partition = "scenarios/cap/partition.toml";
    std::string latency = "scenarios/cap/pacelc.toml";
    unsigned jobs = 0;
    std::string db = default_db;
    std::string svg;
    bool json = false;
    bool no_store = false;
};

// The suite costs about 0.1 s of one core per seed; a sweep is the tool for more.
constexpr uint64_t seeds_max = 10'000;

int do_cap(const CapArgs& a) {
    runner::CapOptions o;
    if (!runner::parse_seed_range(a.seeds, o.seed_first, o.seed_last)) {
        std::fprintf(stderr, "faultline: --seeds takes A..B with A <= B, e.g. --seeds 1..20 (got '%s')\n", a.seeds.c_str());
        return exit_input;
    }
    if (o.seed_last - o.seed_first >= seeds_max) {
        std::fprintf(stderr, "faultline: --seeds %s is more than %llu seeds; run the files with `faultline sweep` instead\n",
                     a.seeds.c_str(), static_cast<unsigned long long>(seeds_max));
        return exit_input;
    }
    auto partition = load_scenario(a.partition);
    if (!partition) return exit_input;
    auto latency = load_scenario(a.latency);
    if (!latency) return exit_input;
    std::optional<store::RunStore> db;
    if (!a.no_store) {
        db = open_store(a.db);
        if (!db) return exit_input;
    }
    std::ofstream svg_out;
    if (!a.svg.empty()) {
        svg_out.open(a.svg);
        if (!svg_out) {
            std::fprintf(stderr, "faultline: cannot write %s\n", a.svg.c_str());
            return exit_input;
        }
    }
    o.jobs = a.jobs;
    Progress progress("cap suite", o.seed_last - o.seed_first + 1);
    o.on_progress = [&](uint64_t done, uint64_t) { progress.update(done, 0); };
    runner::CapReport report = runner::run_cap_suite(*partition, *latency, o);
    progress.finish(o.seed_last - o.seed_first + 1, 0);
    int refused = 0;
    if (db) refused = runner::witness(report, *partition, *latency, *db);
    if (a.json) std::cout << runner::cap_json(report).dump(2) << "\n";
    else std::cout << runner::cap_table(report);
    if (!a.svg.empty()) {
        svg_out << runner::cap_svg(report);
        if (!a.json) std::cout << fmt::format("\n  chart: {}\n", a.svg);
    }
    if (db && !a.json) {
        const std::string flag = a.db == default_db ? "" : " --db " + a.db;
        std::cout << fmt::format("  runs stored in {}: faultline view N{}\n", a.db, flag);
    }
    if (refused > 0) {
        std::fprintf(stderr, "faultline: %d runs could not be written to %s\n", refused, a.db.c_str());
        return exit_internal;
    }
    if (report.internal_errors > 0) return exit_internal;
    return report.expectations_unmet > 0 ? exit_failed : exit_ok;
}

}  // namespace

Command add_cap_command(CLI::App& app) {
    auto a = std::make_shared<CapArgs>();
    auto* c = app.add_subcommand("cap", "Run the CAP suite (a partition against CP and AP designs, and their latency "
                                        "without one) over seeds, as one table");
    c->add_option("--seeds", a->seeds, "Seed range A..B (inclusive; default 1..20)");
    c->add_option("--partition", a->partition, "The partition scenario (default scenarios/cap/partition.toml)");
    c->add_option("--latency", a->latency, "The no-partition scenario, same system names (default scenarios/cap/pacelc.toml)");
    c->add_option("--jobs", a->jobs, "Worker threads, at most 256 (default, or 0: the number of cores)")
        ->transform(whole_number(0, runner::jobs_max));
    c->add_option("--db", a->db, "Run store (SQLite file) for the runs the cells name");
    c->add_flag("--no-store", a->no_store, "Store nothing (the cells name no runs)");
    c->add_option("--svg", a->svg, "Also draw the table as a chart (SVG file)");
    c->add_flag("--json", a->json, "Print the table as JSON");
    return {c, [a] { return do_cap(*a); }};
}

}  // namespace faultline::cli
