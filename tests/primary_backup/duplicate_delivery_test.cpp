// Primary-backup under duplicated messages: a copy of an old request that arrives after a newer
// one is a protocol's problem (the store refuses it, the client sees fail), never an internal
// error. Issue 11 found naive primary-backup tripping protocols/kv/store.cpp ("client went back
// from sequence") on 12 of 200 seeds at duplicate = 0.05 and 44 of 200 at 0.2.
// Method: both modes, one partition and many duplicates, run through the runner as a user's
// scenario file would; every seed must complete, its checks deciding (naive may well fail them).
// At the reported rate (22% of seeds at 0.2) 30 seeds all miss with probability 0.0006.
#include "tests/runner/scenario_support.h"

#include <fmt/format.h>

using namespace faultline;

namespace {

constexpr const char* scenario_text = R"(
[scenario]
version = 1
duration_ms = 3000
[cluster]
nodes = 3
[[system]]
name = "naive"
protocol = "primary_backup"
mode = "naive"
[[system]]
name = "fenced"
protocol = "primary_backup"
mode = "fenced"
[network]
latency = "exponential"
latency_ms = 1
latency_spread_ms = 2
duplicate = 0.2
[workload]
clients = 4
ops_per_client = 0
think_time_ms = 20
keys = 2
mix = { get = 0.3, append = 0.7 }
timeout_ms = 300
[[fault]]
kind = "partition"
at_ms = 1000
until_ms = 2000
sides = [["n1"], ["n2", "n3"]]
)";

}  // namespace

TEST_CASE("primary-backup: duplicated messages never end a run in an internal error", "[primary_backup][duplicate]") {
    auto parsed = scenario::parse_scenario_text(scenario_text, "duplicates.toml", runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    const int seeds = test::seeds_for(30);
    for (int seed = 1; seed <= seeds; ++seed) {
        const runner::RunOutcome run = test::run_seed(*parsed.scenario, static_cast<uint64_t>(seed));
        for (const runner::SystemOutcome& system : run.systems) {
            INFO(fmt::format("replay: faultline run <this scenario> --seed {} (system {})", seed, system.system));
            INFO((system.error ? system.error->describe() : std::string()));
            REQUIRE_FALSE(system.error.has_value());
        }
    }
}
