// A seed that trips an assertion is one failed seed, not the end of a sweep, a run or a shrink.
// Method: Raft with its PLANTED FAULT `planted_assert_from_term` (protocols/raft/options.h): a
// server that becomes leader of a late enough term fails an FL_ASSERT. Under a nemesis of crashes
// and partitions, some seeds reach that term and some do not. Require: run_scenario returns the
// assertion as the run's RunError (deterministically); a sweep finishes every seed, stores every
// row, lists the asserting seeds as `internal_error` with a stored run and its replay command, and
// --resume still works; `faultline run` on such a seed exits 3 with the assertion's place; and
// shrink keeps "the same assertion at the same place" as its failure.
#include "cli_support.h"

#include "runner/run.h"
#include "runner/shrink.h"
#include "runner/catalog.h"
#include "scenario/scenario_parser.h"
#include "store/run_store.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace faultline;
using faultline::test::faultline_cli;

namespace {

constexpr std::string_view planted_assert_scenario = R"(# Raft with a PLANTED FAULT: a leader of term 4 or later fails an FL_ASSERT.
[scenario]
version = 1
name = "raft-planted-assert"
duration_ms = 3_000
seed = 1

[cluster]
nodes = 3

[[system]]
name = "raft"
protocol = "raft"
planted_assert_from_term = 4

[workload]
clients = 2
ops_per_client = 0
think_time_ms = 30
keys = 2
timeout_ms = 300

[nemesis]
enabled = true
kinds = ["crash", "partition"]
start_ms = 300
end_ms = 2_500
interval_ms = 300
episode_ms = 300

[liveness]
enabled = false

[expect]
linearizable = true
)";

constexpr uint64_t seed_count = 12;

scenario::Scenario planted() {
    auto parsed = scenario::parse_scenario_text(std::string(planted_assert_scenario), "planted_assert.toml", runner::catalog());
    INFO((parsed.ok() ? std::string() : parsed.errors.front().message));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

using test::run_seed;

// Seeds 1..seed_count split into those whose run asserts and those whose run completes.
struct Split {
    std::vector<uint64_t> asserting, completing;
};

Split split_seeds(const scenario::Scenario& s) {
    Split out;
    for (uint64_t seed = 1; seed <= seed_count; ++seed)
        (run_seed(s, seed).internal_error() ? out.asserting : out.completing).push_back(seed);
    INFO("asserting " << out.asserting.size() << ", completing " << out.completing.size());
    REQUIRE(!out.asserting.empty());
    REQUIRE(!out.completing.empty());
    return out;
}

std::string write_scenario(const std::filesystem::path& dir) {
    auto path = dir / "planted_assert.toml";
    std::ofstream(path) << planted_assert_scenario;
    return path.string();
}

}  // namespace

TEST_CASE("runner: a seed that trips a protocol assertion is a run result, the same on every run", "[runner][internal_error]") {
    auto s = planted();
    Split seeds = split_seeds(s);
    const uint64_t seed = seeds.asserting.front();
    auto a = run_seed(s, seed, TraceLevel::full);
    REQUIRE(a.internal_error());
    REQUIRE_FALSE(a.expectations_met);
    const auto& o = a.systems.front();
    REQUIRE(o.error.has_value());
    REQUIRE(o.error->kind == "assertion");
    REQUIRE(o.error->file == "protocols/raft/raft_node.cpp");
    REQUIRE(o.error->message.find("PLANTED FAULT") != std::string::npos);
    REQUIRE(o.error->describe().rfind("assertion failed at protocols/raft/raft_node.cpp:", 0) == 0);
    REQUIRE(o.expectations.empty());  // no check ran
    REQUIRE(o.trace.size() == o.event_count);  // the trace up to the failure is kept whole
    REQUIRE(o.error->event > 0);
    // Determinism: the trace hash and the failing event do not depend on the trace level.
    auto b = run_seed(s, seed, TraceLevel::off);
    REQUIRE(b.systems.front().trace_hash == o.trace_hash);
    REQUIRE(b.systems.front().error->event == o.error->event);
    REQUIRE(b.systems.front().error->describe() == o.error->describe());
    // A completing seed has no error and is judged by its checks as before.
    auto c = run_seed(s, seeds.completing.front());
    REQUIRE_FALSE(c.systems.front().error.has_value());
    REQUIRE(c.systems.front().verdict("linearizability") != "skipped");
}

TEST_CASE("shrink: an asserting run shrinks and keeps the same assertion at the same place", "[runner][internal_error][shrink]") {
    auto s = planted();
    const uint64_t seed = split_seeds(s).asserting.front();
    const auto signature = runner::failure_signature(run_seed(s, seed));
    REQUIRE(signature.size() == 1);
    REQUIRE(signature.front().rfind("raft: assertion protocols/raft/raft_node.cpp:", 0) == 0);

    runner::ShrinkOptions options;
    options.runs_max = 40;
    auto r = runner::shrink(s, seed, options);
    REQUIRE(r.failed);
    REQUIRE(r.signature == signature);
    REQUIRE(r.smaller());
    REQUIRE(r.after.trace_events < r.before.trace_events);
    // The written scenario, parsed back and run with the seed, trips the same assertion.
    auto parsed = scenario::parse_scenario_text(r.toml, "shrunk.toml", runner::catalog());
    REQUIRE(parsed.ok());
    REQUIRE(runner::failure_signature(run_seed(*parsed.scenario, seed)) == signature);
}

TEST_CASE("cli: a sweep where some seeds assert finishes, lists them as internal errors and stores every seed", "[cli][sweep][internal_error]") {
    auto dir = test::temp_dir("sweep_assert");
    const std::string file = write_scenario(dir);
    const std::string db = (dir / "sweep.db").string();
    Split seeds = split_seeds(planted());

    auto sweep = faultline_cli(fmt::format("sweep {} --seeds 1..{} --jobs 2 --db {}", file, seed_count, db));
    INFO(sweep.output);
    REQUIRE(sweep.exit_code == 1);  // some seeds failed; the sweep itself worked
    REQUIRE(sweep.output.find(fmt::format("{} with an internal error", seeds.asserting.size())) != std::string::npos);
    REQUIRE(sweep.output.find("internal_error=assertion failed at protocols/raft/raft_node.cpp:") != std::string::npos);
    REQUIRE(sweep.output.find(fmt::format("faultline replay {} --seed {}", file, seeds.asserting.front())) !=
            std::string::npos);

    auto store = store::RunStore::open(db);
    REQUIRE(store.ok());
    auto rows = store.value().sweep_results(store.value().list_sweeps().value().back());
    REQUIRE(rows.ok());
    REQUIRE(rows.value().size() == seed_count);  // every seed is stored, the asserting ones too
    for (const auto& row : rows.value()) {
        const bool asserting = std::find(seeds.asserting.begin(), seeds.asserting.end(), row.seed) != seeds.asserting.end();
        INFO("seed " << row.seed << " verdicts " << row.verdicts.dump());
        REQUIRE(row.verdicts.contains("internal_error") == asserting);
        if (!asserting) continue;
        REQUIRE(row.status == store::RunStatus::failed);
        REQUIRE(row.run_id.has_value());
        // The stored run keeps the trace up to the failure, and the error as a check.
        auto run = store.value().load_run(*row.run_id, false);
        REQUIRE(run.ok());
        REQUIRE(run.value().status == store::RunStatus::failed);
        bool has_error_check = false;
        for (const auto& c : run.value().checks) has_error_check |= c.checker == "internal_error" && c.verdict == "assertion";
        REQUIRE(has_error_check);
    }

    // The stored run of an asserting seed replays to the same trace (and says how it ends).
    auto first_failed = *std::find_if(rows.value().begin(), rows.value().end(),
                                      [](const auto& row) { return row.verdicts.contains("internal_error"); });
    auto replay = faultline_cli(fmt::format("replay {} --db {}", *first_failed.run_id, db));
    INFO(replay.output);
    REQUIRE(replay.exit_code == 0);
    REQUIRE(replay.output.find("identical") != std::string::npos);
    REQUIRE(replay.output.find("the run ends in an internal error: assertion failed at") != std::string::npos);

    // --resume of the finished sweep has nothing left to do and reports the same failures.
    auto resumed = faultline_cli(fmt::format("sweep {} --seeds 1..{} --jobs 2 --db {} --resume --json", file, seed_count, db));
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 1);
    REQUIRE(resumed.output.find(fmt::format("{} seeds already done, 0 to go", seed_count)) != std::string::npos);
    REQUIRE(resumed.output.find(fmt::format("\"internal_errors\": {}", seeds.asserting.size())) != std::string::npos);
    REQUIRE(resumed.output.find("\"kind\": \"internal_error\"") != std::string::npos);
}

TEST_CASE("cli: run of an asserting seed exits 3 and names the assertion", "[cli][run][internal_error]") {
    auto dir = test::temp_dir("run_assert");
    const std::string file = write_scenario(dir);
    const std::string db = (dir / "runs.db").string();
    Split seeds = split_seeds(planted());

    auto run = faultline_cli(fmt::format("run {} --seed {} --db {}", file, seeds.asserting.front(), db));
    INFO(run.output);
    REQUIRE(run.exit_code == 3);
    REQUIRE(run.output.find("INTERNAL ERROR    assertion failed at protocols/raft/raft_node.cpp:") != std::string::npos);
    REQUIRE(run.output.find("PLANTED FAULT") != std::string::npos);
    REQUIRE(run.output.find(fmt::format("run: seed {} at event", seeds.asserting.front())) != std::string::npos);
    REQUIRE(run.output.find("stored as run 1") != std::string::npos);

    auto json = faultline_cli(fmt::format("run {} --seed {} --no-store --json", file, seeds.asserting.front()));
    REQUIRE(json.exit_code == 3);
    REQUIRE(json.output.find("\"internal_error\": true") != std::string::npos);
    REQUIRE(json.output.find("\"kind\": \"assertion\"") != std::string::npos);

    auto fine = faultline_cli(fmt::format("run {} --seed {} --no-store", file, seeds.completing.front()));
    INFO(fine.output);
    REQUIRE(fine.exit_code != 3);
    REQUIRE(fine.output.find("INTERNAL ERROR") == std::string::npos);
}
