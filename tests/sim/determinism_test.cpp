// Determinism: a run is a pure function of (scenario, seed, build).
// Method: the kernel tour (handlers, fibers, disk, timers, buggify, and a nemesis plus a fault of
// every kind) run for hundreds of seeds twice in this process; a scenario with every fault kind
// run in this process and, for a sample of seeds, in a second process (the faultline binary):
// hashes must match. Different seeds must give different traces.
#include "tests/runner/cli_support.h"
#include "tests/runner/scenario_support.h"
#include "tests/sim/kernel_tour.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <set>
#include <string>

using namespace faultline;

namespace {
test::tour::DemoResult run(uint64_t seed, TraceLevel level = TraceLevel::off) {
    test::tour::DemoOptions o;
    o.seed = seed;
    o.trace_level = level;
    o.duration = seconds(5);
    return test::tour::run_demo(o);
}
}  // namespace

TEST_CASE("determinism: the same seed twice in one process gives the same trace hash", "[determinism]") {
    std::set<uint64_t> distinct;
    for (uint64_t seed = 1; seed <= 500; ++seed) {
        auto a = run(seed);
        auto b = run(seed);
        INFO("seed " << seed << " of the kernel tour (tests/sim/kernel_tour.h)");
        REQUIRE(a.trace_hash == b.trace_hash);
        REQUIRE(a.events == b.events);
        distinct.insert(a.trace_hash);
    }
    // Different seeds give different executions.
    REQUIRE(distinct.size() == 500);
}

TEST_CASE("determinism: the workload really uses every fault kind", "[determinism]") {
    auto r = run(3, TraceLevel::events);
    // Counted through the tour's own summary: a fault kind that never fires would show as absent.
    for (const char* kind : {"crash", "restart", "pause", "resume", "partition", "heal", "link_change", "clock_jump",
                             "clock_drift", "disk_corrupt", "disk_fault_change", "duplicate", "drop", "fiber_block",
                             "timer_fire", "disk_sync", "buggify"}) {
        INFO(kind);
        REQUIRE(r.summary.find(std::string("  ") + kind + " ") != std::string::npos);
    }
}

TEST_CASE("determinism: a second process computes the same hashes", "[determinism]") {
    const std::string file = "scenarios/raft/nemesis_all_options.toml";
    const scenario::Scenario s = test::load_scenario(file);
    const auto dir = test::temp_dir("determinism");
    for (uint64_t seed : {1u, 2u, 17u, 123u, 9999u}) {
        const runner::RunOutcome in_process = test::run_seed(s, seed);
        auto r = test::faultline_cli(fmt::format("run {}/{} --seed {} --json --db {}/runs.db", FAULTLINE_SOURCE_DIR, file, seed,
                                                 dir.string()));
        INFO(r.output);
        REQUIRE(r.output.find(fmt::format("\"trace_hash\": \"{:016x}\"", in_process.systems[0].trace_hash)) != std::string::npos);
    }
}
