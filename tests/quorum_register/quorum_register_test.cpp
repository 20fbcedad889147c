// The tutorial's quorum register (protocols/quorum_register/): the fix really fixes, and the
// planted bug really is one (CONTRIBUTING.md rule 14).
// Method: one scenario, run through the runner as users run it, on a hostile network (latency
// spread, loss, duplication, reordering) with a nemesis of partitions and pauses, over a range
// of seeds. With wait_for_majority every seed must be linearizable; without it, the same seeds
// must produce at least one violation. The duplicating network also guards the server's
// request de-duplication: a put executed twice is two writes, which the checker catches.
#include "protocols/quorum_register/register_server.h"
#include "runner/catalog.h"
#include "sim/world.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

using namespace faultline;

namespace {

scenario::Scenario hostile(bool wait_for_majority, int nodes) {
    std::string text = fmt::format(R"(
[scenario]
version = 1
duration_ms = 2_000
[cluster]
nodes = {}
[[system]]
name = "register"
protocol = "quorum_register"
wait_for_majority = {}
[network]
latency = "exponential"
latency_ms = 1
latency_spread_ms = 5
duplicate = 0.1
reorder = 0.05
loss = 0.02
[workload]
clients = 3
ops_per_client = 0
think_time_ms = 10
keys = 2
mix = {{ get = 1, put = 1 }}
timeout_ms = 100
[nemesis]
kinds = ["partition", "pause"]
interval_ms = 300
[expect]
linearizable = true
)",
                                   nodes, wait_for_majority ? "true" : "false");
    auto parsed = scenario::parse_scenario_text(text, "hostile.toml", runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

// Seeds (of `seeds`) whose run is not linearizable.
std::vector<uint64_t> violating_seeds(const scenario::Scenario& s, uint64_t seeds) {
    std::vector<uint64_t> out;
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        runner::RunOptions o;
        o.seed = seed;
        o.trace_level = TraceLevel::off;
        o.keep_trace = false;
        auto run = runner::run_scenario(s, o);
        REQUIRE(run.systems.size() == 1);
        if (run.systems[0].verdict("linearizability") != "ok") out.push_back(seed);
    }
    return out;
}

}  // namespace

TEST_CASE("quorum register: quorum() is n/2 with the planted bug, a majority with the fix", "[quorum_register]") {
    // quorum() reads the servers found at start, so it is checked through a run of each size.
    for (int n : {3, 4, 5}) {
        quorum_register::Options o;
        for (int i = 1; i <= n; ++i) o.servers.push_back(fmt::format("n{}", i));
        World world(WorldOptions{});
        std::vector<NodeId> ids;
        for (const auto& name : o.servers) ids.push_back(world.add_node(name, quorum_register::register_server(o)));
        auto fixed = o;
        fixed.wait_for_majority = true;
        NodeId extra = world.add_node("m1", quorum_register::register_server(fixed));
        world.run_until(Instant::zero() + milliseconds(1));
        auto* buggy = dynamic_cast<const quorum_register::RegisterServer*>(world.process(ids[0]));
        auto* right = dynamic_cast<const quorum_register::RegisterServer*>(world.process(extra));
        REQUIRE(buggy != nullptr);
        REQUIRE(right != nullptr);
        REQUIRE(buggy->quorum() == static_cast<std::size_t>(n / 2));
        REQUIRE(right->quorum() == static_cast<std::size_t>(n / 2 + 1));
        REQUIRE(2 * right->quorum() > static_cast<std::size_t>(n));  // two majorities always meet
    }
}

TEST_CASE("quorum register: with wait_for_majority, a hostile network and partitions stay linearizable",
          "[quorum_register][partition]") {
    for (int nodes : {3, 4}) {
        auto bad = violating_seeds(hostile(true, nodes), 30);
        INFO(nodes << " servers, violating seeds: " << fmt::format("{}", fmt::join(bad, ", ")));
        REQUIRE(bad.empty());
    }
}

TEST_CASE("quorum register: without wait_for_majority, the same seeds find a violation", "[quorum_register][partition]") {
    auto bad = violating_seeds(hostile(false, 3), 30);
    REQUIRE(!bad.empty());
}
