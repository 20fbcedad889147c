// Primary-backup's buggify sites (protocols/primary_backup/entry.cpp): each, listed alone on a
// fenced primary-backup under crashes and partitions, fires, and the system stays linearizable
// with every invariant. A site whose code were removed would not fire and fail here.
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

using namespace faultline;

namespace {

scenario::Scenario fenced_with_site(const std::string& site) {
    const std::string text = fmt::format(R"([scenario]
version = 1
duration_ms = 6_000
[cluster]
nodes = 3
[[system]]
protocol = "primary_backup"
mode = "fenced"
[network]
latency = "exponential"
latency_ms = 1
latency_spread_ms = 3
[workload]
clients = 3
ops_per_client = 0
think_time_ms = 20
keys = 2
mix = {{ get = 0.3, put = 0.3, append = 0.3, cas = 0.1 }}
timeout_ms = 300
[nemesis]
swarm = false
kinds = ["crash", "partition"]
start_ms = 500
end_ms = 4_000
[buggify]
sites = ["{}"]
[expect]
linearizable = true
invariants_hold = true
)",
                                         site);
    auto parsed = scenario::parse_scenario_text(text, "site.toml", runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

}  // namespace

TEST_CASE("primary-backup buggify sites: each fires, and a fenced primary-backup stays safe",
          "[primary_backup][buggify]") {
    for (const char* site : {"primary_backup.crash_after_ack", "primary_backup.client_impatient_retry"})
        test::require_site_fires_safely(fenced_with_site(site), site, {1, 2, 3});
}
