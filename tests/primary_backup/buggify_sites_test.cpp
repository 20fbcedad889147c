// Primary-backup's buggify sites (protocols/primary_backup/entry.cpp): each, listed alone on a
// fenced primary-backup under crashes and partitions, fires, and the system stays linearizable
// with every invariant. A site whose code were removed would not fire and fail here.
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

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
    for (const char* site : {"primary_backup.crash_after_ack", "primary_backup.client_impatient_retry"}) {
        int fired = 0;
        for (uint64_t seed : {1, 2, 3}) {
            runner::RunOptions o;
            o.seed = seed;
            o.trace_level = TraceLevel::events;
            o.keep_trace = true;
            const runner::RunOutcome out = runner::run_scenario(fenced_with_site(site), o);
            const runner::SystemOutcome& sys = out.systems.at(0);
            INFO(site << " seed " << seed);
            REQUIRE_FALSE(sys.error.has_value());
            REQUIRE(out.expectations_met);
            for (const TraceEvent& e : sys.trace) {
                if (e.kind != EventKind::buggify || e.text != "fired") continue;
                REQUIRE(sys.names.at(e.name) == site);
                ++fired;
            }
        }
        INFO(site);
        REQUIRE(fired > 0);
    }
}
