// Thousands of seeds for correct Raft: the random nemesis (crashes and restarts, pauses,
// partitions of every shape, lossy, duplicating and reordering links, clock drift; no disk
// faults, since Raft assumes stable storage) against Raft with every option on (PreVote,
// CheckQuorum, snapshots, lease reads within their drift bound):
// scenarios/raft/nemesis_all_options.toml. And fenced primary-backup through the same runner,
// with linearizability and both invariants but not liveness (nemesis_fenced.toml says why), 4 blocks
// of 250 (its own harness runs 2,000 more in tests/primary_backup/primary_backup_test.cpp).
// Method: run_scenario (the path users see) on every seed, which checks linearizability, the
// protocol's invariants and liveness after the heal against the file's [expect]; every seed must
// meet every expectation, and, since a system that stopped answering would be trivially safe,
// most client operations of a block must complete ok.
// Each block of seeds is its own test case (its own CTest test), so `ctest -j2` spreads them over
// both cores. The release build runs 8 blocks of 250 seeds per protocol (2,000 each); the
// AddressSanitizer build (FAULTLINE_SANITIZE, `scripts/test --sanitize`), about ten times
// slower, runs 8 blocks of 15 (120): it looks for memory errors on the same code paths, the
// release build covers the seeds.
// A failing seed prints its replay command (`faultline run FILE --seed N`).
#include "runner/record.h"
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

#if defined(FAULTLINE_SANITIZE)
constexpr uint64_t seeds_per_block = 15;
#else
constexpr uint64_t seeds_per_block = 250;
#endif

const std::string raft_file = "scenarios/raft/nemesis_all_options.toml";
const std::string fenced_file = "scenarios/primary_backup/nemesis_fenced.toml";

// Runs seeds block * seeds_per_block + 1 .. (block + 1) * seeds_per_block of `relative_path`.
void sweep_block(const std::string& relative_path, uint64_t block) {
    const scenario::Scenario s = test::load_scenario(relative_path);
    double ok = 0, all = 0;
    const uint64_t first = block * seeds_per_block + 1;
    for (uint64_t seed = first; seed < first + seeds_per_block; ++seed) {
        runner::RunOutcome run = test::run_seed(s, seed);
        INFO(runner::format_summary(s, run, -1) << "replay: faultline run " << relative_path << " --seed " << seed);
        REQUIRE(run.expectations_met);
        for (const auto& system : run.systems) {
            ok += system.figures.at("ops_ok");
            all += system.figures.at("ops_ok") + system.figures.at("ops_fail") + system.figures.at("ops_info");
        }
    }
    INFO(ok << " of " << all << " operations completed ok");
    REQUIRE(ok > all * 0.5);
}

}  // namespace

TEST_CASE("seed sweep: raft with every option under the nemesis (block 1 of 8)", "[sweep][raft]") { sweep_block(raft_file, 0); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 2 of 8)", "[sweep][raft]") { sweep_block(raft_file, 1); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 3 of 8)", "[sweep][raft]") { sweep_block(raft_file, 2); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 4 of 8)", "[sweep][raft]") { sweep_block(raft_file, 3); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 5 of 8)", "[sweep][raft]") { sweep_block(raft_file, 4); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 6 of 8)", "[sweep][raft]") { sweep_block(raft_file, 5); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 7 of 8)", "[sweep][raft]") { sweep_block(raft_file, 6); }
TEST_CASE("seed sweep: raft with every option under the nemesis (block 8 of 8)", "[sweep][raft]") { sweep_block(raft_file, 7); }

TEST_CASE("seed sweep: fenced primary-backup under the nemesis (block 1 of 4)", "[sweep][primary_backup]") { sweep_block(fenced_file, 0); }
TEST_CASE("seed sweep: fenced primary-backup under the nemesis (block 2 of 4)", "[sweep][primary_backup]") { sweep_block(fenced_file, 1); }
TEST_CASE("seed sweep: fenced primary-backup under the nemesis (block 3 of 4)", "[sweep][primary_backup]") { sweep_block(fenced_file, 2); }
TEST_CASE("seed sweep: fenced primary-backup under the nemesis (block 4 of 4)", "[sweep][primary_backup]") { sweep_block(fenced_file, 3); }


TEST_CASE("seed sweep regression: a candidate that wins an older term late is no leader-completeness violation",
          "[sweep][raft][invariants]") {
    // Seed 1711 of the Raft sweep: n1, a candidate for term 3, is paused with a granted vote in
    // its queue; meanwhile term 4 elects a leader and commits entry 200. On resume n1 counts the
    // vote and leads term 3, without entry 200. Raft allows this (Leader Completeness binds
    // leaders of later terms only; n1 is deposed once it hears term 4), and the invariant monitor
    // once reported it. The monitor now checks a leader only against entries committed in
    // earlier terms.
    const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/" + raft_file;
    auto parsed = scenario::parse_scenario_file(path, runner::catalog());
    REQUIRE(parsed.ok());
    runner::RunOptions o;
    o.seed = 1711;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    runner::RunOutcome run = runner::run_scenario(*parsed.scenario, o);
    REQUIRE(run.systems.size() == 1);
    INFO(runner::format_summary(*parsed.scenario, run, -1));
    REQUIRE(run.systems[0].verdict("invariants") == "ok");
    REQUIRE(run.expectations_met);
}
