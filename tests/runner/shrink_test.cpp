// Shrinking (runner/shrink.h) against a planted bug: naive primary-backup splits its brain under
// a partition (a backup promotes itself while the old primary keeps acknowledging writes), so a
// scenario expecting `linearizable = true` fails.
// Method: a scenario with the partition that causes the failure and three faults that do not (a
// pause of n3 shorter than promote_after_ms, clock drift on n2, a late crash and restart of n3),
// four unbounded clients and a 12 s run. Shrink it with its seed and require: it failed; the
// result is strictly smaller (the irrelevant faults gone, the partition kept, fewer clients, ops
// and a shorter run); and run through run_scenario, the written file fails the same way.
#include "cli_support.h"

#include "runner/catalog.h"
#include "runner/run.h"
#include "runner/shrink.h"
#include "scenario/scenario_parser.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace faultline;

namespace {

constexpr std::string_view split_brain_with_noise = R"(# Naive primary-backup under a partition of n1, with three faults that do not matter.
[scenario]
version = 1
name = "pb-naive-noise"
duration_ms = 12_000
seed = 3

[cluster]
nodes = 3

[[system]]
name = "naive"
protocol = "primary_backup"
mode = "naive"

[workload]
clients = 4
ops_per_client = 0
think_time_ms = 20
keys = 3
mix = { get = 0.3, put = 0.3, append = 0.4 }
timeout_ms = 300

[[fault]]
kind = "partition"
at_ms = 2_000
until_ms = 5_000
sides = [["n1"], ["n2", "n3"]]

[[fault]]
kind = "pause"
at_ms = 8_000
node = "n3"
duration_ms = 100

[[fault]]
kind = "clock_drift"
at_ms = 1_000
node = "n2"
drift_ppm = 200
until_ms = 6_000

[[fault]]
kind = "crash"
at_ms = 9_000
node = "n3"
until_ms = 10_000

[expect]
linearizable = true
)";

constexpr uint64_t seed = 3;

scenario::Scenario parse(std::string_view text, std::string_view label) {
    auto parsed = scenario::parse_scenario_text(text, label, runner::catalog());
    INFO(scenario::format_errors(parsed.errors) << "--- text ---\n" << text);
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

runner::RunOutcome run(const scenario::Scenario& s, uint64_t run_seed) {
    runner::RunOptions o;
    o.seed = run_seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    return runner::run_scenario(s, o);
}

std::string steps_text(const runner::ShrinkResult& r) {
    std::string out;
    for (const auto& step : r.steps) out += "  [run " + std::to_string(step.run) + "] " + step.what + "\n";
    return out + runner::format_shrink_table(r.before, r.after);
}

}  // namespace

TEST_CASE("shrink: naive primary-backup split brain shrinks to the partition alone", "[shrink]") {
    const scenario::Scenario original = parse(split_brain_with_noise, "pb_naive_noise.toml");
    // The planted bug is there: the original fails linearizable = true with this seed ...
    const runner::RunOutcome first = run(original, seed);
    REQUIRE_FALSE(first.expectations_met);
    REQUIRE(runner::failure_signature(first) == std::vector<std::string>{"naive: linearizable"});
    // ... and the partition is what causes it: without it the same seed passes.
    scenario::Scenario no_partition = original;
    no_partition.faults.erase(no_partition.faults.begin());
    REQUIRE(run(no_partition, seed).expectations_met);

    runner::ShrinkOptions options;
    options.source = "pb_naive_noise.toml";
    options.output = "pb_naive_noise-shrunk.toml";
    const runner::ShrinkResult r = runner::shrink(original, seed, options);
    INFO(steps_text(r) << "--- shrunk ---\n" << r.toml);

    REQUIRE(r.failed);
    REQUIRE(r.smaller());
    REQUIRE(r.seed == seed);
    REQUIRE(r.runs <= options.runs_max + 1);
    REQUIRE(r.signature == std::vector<std::string>{"naive: linearizable"});
    // The irrelevant faults are gone; the partition of n1 stays.
    REQUIRE(r.after.faults == 1);
    REQUIRE(r.minimal.faults.size() == 1);
    REQUIRE(r.minimal.faults[0].kind == "partition");
    REQUIRE(r.minimal.faults[0].args.groups("sides") == std::vector<std::vector<std::string>>{{"n1"}, {"n2", "n3"}});
    // Strictly smaller: fewer clients, bounded ops, a shorter run, fewer operations and events.
    REQUIRE(r.after.clients < r.before.clients);
    REQUIRE(r.before.ops_per_client == 0);
    REQUIRE(r.after.ops_per_client > 0);
    REQUIRE(r.after.duration_ms < r.before.duration_ms);
    REQUIRE(r.after.client_ops < r.before.client_ops);
    REQUIRE(r.after.trace_events < r.before.trace_events);
    REQUIRE(r.after.fault_ms < r.before.fault_ms);
    REQUIRE(r.after.nodes <= r.before.nodes);
    REQUIRE(r.after.keys <= r.before.keys);

    // The written file is the result: it parses, names its seed, and fails the same way.
    const scenario::Scenario written = parse(r.toml, "pb_naive_noise-shrunk.toml");
    REQUIRE(written.seed == seed);
    REQUIRE(written.description.find("Shrunk by `faultline shrink` from pb_naive_noise.toml with seed 3") == 0);
    REQUIRE(written.description.find("faultline run pb_naive_noise-shrunk.toml --seed 3") != std::string::npos);
    const runner::RunOutcome replay = run(written, written.seed);
    REQUIRE_FALSE(replay.expectations_met);
    REQUIRE(runner::failure_signature(replay) == r.signature);
    const runner::ShrinkSize measured = runner::size_of(written, replay);
    REQUIRE(measured.client_ops == r.after.client_ops);
    REQUIRE(measured.trace_events == r.after.trace_events);
}

TEST_CASE("shrink: a run that does not fail is left alone", "[shrink]") {
    scenario::Scenario passing = parse(split_brain_with_noise, "pb_naive_noise.toml");
    passing.faults.erase(passing.faults.begin());  // without the partition it passes with seed 3
    const runner::ShrinkResult r = runner::shrink(passing, seed);
    REQUIRE_FALSE(r.failed);
    REQUIRE(r.signature.empty());
    REQUIRE(r.runs == 1);
    REQUIRE(r.steps.empty());
    REQUIRE(r.minimal.faults.size() == passing.faults.size());
}

TEST_CASE("shrink: the run budget is a hard limit and the result still fails", "[shrink]") {
    const scenario::Scenario original = parse(split_brain_with_noise, "pb_naive_noise.toml");
    runner::ShrinkOptions options;
    options.runs_max = 5;
    const runner::ShrinkResult r = runner::shrink(original, seed, options);
    REQUIRE(r.failed);
    REQUIRE(r.budget_spent);
    REQUIRE(r.runs == 6);  // the original's run, then the 5 candidates
    const runner::RunOutcome replay = run(parse(r.toml, "budget.toml"), seed);
    REQUIRE(runner::failure_signature(replay) == r.signature);
}

TEST_CASE("shrink: systems outside the failure are dropped, and the result is deterministic", "[shrink]") {
    // The split-brain lesson with a raft system beside the naive one; only naive fails.
    std::string text(split_brain_with_noise);
    text += "\n[[system]]\nname = \"raft\"\nprotocol = \"raft\"\n\n[expect.raft]\ninvariants_hold = true\n";
    const scenario::Scenario original = parse(text, "two_systems.toml");
    REQUIRE(original.systems.size() == 2);
    runner::ShrinkOptions options;
    options.runs_max = 40;
    const runner::ShrinkResult a = runner::shrink(original, seed, options);
    REQUIRE(a.failed);
    REQUIRE(a.signature == std::vector<std::string>{"naive: linearizable"});
    REQUIRE(a.after.systems == 1);
    REQUIRE(a.minimal.systems[0].name == "naive");
    REQUIRE_FALSE(a.minimal.expect.contains("raft"));
    const runner::ShrinkResult b = runner::shrink(original, seed, options);
    REQUIRE(a.toml == b.toml);
    REQUIRE(a.runs == b.runs);
}

TEST_CASE("cli: shrink a stored run, write the file, and the file fails with its seed", "[shrink][cli]") {
    const auto dir = test::temp_dir("shrink_cli");
    const std::string scenario = (dir / "pb_naive_noise.toml").string();
    std::ofstream(scenario) << split_brain_with_noise;
    const std::string db = (dir / "runs.db").string();
    const std::string out = (dir / "min.toml").string();

    const test::CliResult stored = test::faultline_cli(fmt::format("run {} --db {}", scenario, db));
    INFO(stored.output);
    REQUIRE(stored.exit_code == 1);
    REQUIRE(stored.output.find("stored as run 1") != std::string::npos);

    const test::CliResult shrunk = test::faultline_cli(fmt::format("shrink 1 --db {} -o {}", db, out));
    INFO(shrunk.output);
    REQUIRE(shrunk.exit_code == 0);
    REQUIRE(shrunk.output.find("faults 4 -> ") != std::string::npos);
    REQUIRE(shrunk.output.find("naive: linearizable (expected true, linearizability says violation)") != std::string::npos);
    REQUIRE(shrunk.output.find(fmt::format("replay: faultline run {} --seed 3", out)) != std::string::npos);

    const test::CliResult replay = test::faultline_cli(fmt::format("run {} --no-store", out));
    INFO(replay.output);
    REQUIRE(replay.exit_code == 1);
    REQUIRE(replay.output.find("expect linearizable       NOT MET") != std::string::npos);

    // With --json the progress lines go to stderr, which faultline_cli merges in front of the JSON.
    const test::CliResult json = test::faultline_cli(fmt::format("shrink {} --seed 3 -o {} --json", scenario, out));
    INFO(json.output);
    REQUIRE(json.exit_code == 0);
    REQUIRE(json.output.find('{') != std::string::npos);
    const auto j = nlohmann::json::parse(json.output.substr(json.output.find('{')));
    REQUIRE(j["seed"] == 3);
    REQUIRE(j["failure"] == nlohmann::json::array({"naive: linearizable"}));
    REQUIRE(j["after"]["faults"] == 1);
    REQUIRE(j["before"]["faults"] == 4);
}

TEST_CASE("cli: shrink of a run that does not fail exits 2", "[shrink][cli]") {
    // -o names a path of its own: were the run to fail, the default output would land in the
    // source folder every test process shares.
    const auto out = test::unique_temp_path("shrink_nothing.toml");
    const test::CliResult r =
        test::faultline_cli(fmt::format("shrink scenarios/tutorial/register_partition_fixed.toml -o {}", out.string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("nothing to shrink") != std::string::npos);
}

TEST_CASE("shrink: a run that shows its planted bug is shrunk for what it demonstrates, its nemesis written as faults",
          "[shrink][aim]") {
    // Seed 4 of the vote-without-persisting scenario meets every expectation: the buggy system
    // breaks an invariant as expected. There is no failure, but there is a lesson to keep: the
    // shrink keeps "buggy: invariants_hold = false" with every other expectation met, and turns
    // the aimed nemesis into the [[fault]]s it drew, which still show the bug on their own.
    const std::string path = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/planted_vote_without_persisting.toml";
    auto parsed = scenario::parse_scenario_file(path, runner::catalog());
    REQUIRE(parsed.ok());
    runner::ShrinkOptions options;
    options.runs_max = 60;
    const runner::ShrinkResult r = runner::shrink(*parsed.scenario, 4, options);
    REQUIRE(r.failed);
    REQUIRE(r.demonstration);
    REQUIRE(r.signature == std::vector<std::string>{"buggy: invariants_hold = false"});
    REQUIRE_FALSE(r.minimal.nemesis.enabled);
    REQUIRE(r.minimal.faults.size() >= 2);
    bool crash_with_restart = false;
    for (const auto& f : r.minimal.faults) crash_with_restart |= f.kind == "crash" && f.until_ms.has_value();
    REQUIRE(crash_with_restart);
    const runner::RunOutcome replay = run(parse(r.toml, "demonstrated.toml"), 4);
    REQUIRE(replay.expectations_met);
    REQUIRE(runner::failure_signature(replay).empty());
}
