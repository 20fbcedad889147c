// The CRDT store (protocols/crdt/) run end to end through run_scenario, over many seeds.
// Method: scenario texts built here, parsed with the real catalog; each seed must meet what the
// test asks of it (convergence, crdt_correctness judged ok rather than unknown, the invariant
// monitor), and a failing seed prints its summary. Also: what the parser refuses, what clients
// read, the element pool of the workload, duplicated requests applied once, and delta gossip
// recovering a node whose disk was wiped.
// Sections: [helpers] [every type under faults] [requests and reads] [the parser].
#include "runner/catalog.h"
#include "runner/record.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <regex>
#include <set>

using namespace faultline;

// ============================================================================================
// [helpers]
// ============================================================================================
namespace {

scenario::ParseResult parse(const std::string& text) { return scenario::parse_scenario_text(text, "crdt.toml", runner::catalog()); }

scenario::Scenario parse_ok(const std::string& text) {
    auto r = parse(text);
    INFO(scenario::format_errors(r.errors) << text);
    REQUIRE(r.ok());
    return *r.scenario;
}

std::string mix_for(const std::string& type) {
    if (type == "g_counter" || type == "pn_counter") return "{ get = 1, incr = 2 }";
    if (type == "or_set") return "{ get = 1, add = 2, remove = 2 }";
    return "{ get = 1, put = 2 }";
}

// Four servers and four clients under the random nemesis (crashes and restarts, pauses,
// partitions, lossy and duplicating links, clock jumps and drifts) until 8 s, then a quiet tail.
std::string nemesis_scenario(const std::string& type, bool delta_state) {
    return fmt::format(R"([scenario]
version = 1
duration_ms = 11_000
[cluster]
nodes = 4
[[system]]
name = "s"
protocol = "crdt"
type = "{}"
delta_state = {}
[network]
latency = "exponential"
latency_ms = 1
latency_spread_ms = 3
[workload]
clients = 4
ops_per_client = 0
think_time_ms = 20
stop_at_ms = 8_000
keys = 3
elements = 3
mix = {}
timeout_ms = 200
[nemesis]
enabled = true
kinds = ["crash", "pause", "partition", "link", "clock"]
start_ms = 500
end_ms = 8_000
interval_ms = 300
episode_ms = 400
[checkers]
linearizability = false
[liveness]
enabled = false
)",
                       type, delta_state ? "true" : "false", mix_for(type));
}

// Every seed in [1, seeds]: converged, judged correct (not unknown), invariants kept, and most
// operations answered.
void require_correct_runs(const std::string& text, uint64_t seeds) {
    const scenario::Scenario s = parse_ok(text);
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        const runner::RunOutcome run = test::run_seed(s, seed);
        const runner::SystemOutcome& o = run.systems.at(0);
        INFO(runner::format_summary(s, run, -1) << "seed " << seed);
        REQUIRE_FALSE(o.error.has_value());
        REQUIRE(o.verdict("convergence") == "ok");
        REQUIRE(o.verdict("crdt_correctness") == "ok");
        REQUIRE(o.verdict("invariants") == "ok");
        REQUIRE(o.figures.at("availability") > 0.9);
    }
}

}  // namespace

// ============================================================================================
// [every type under faults]
// ============================================================================================
TEST_CASE("crdt store: every type converges on the right value under the nemesis, full-state gossip", "[crdt]") {
    for (const char* type : {"g_counter", "pn_counter", "or_set", "lww_register", "mv_register"}) {
        INFO(type);
        require_correct_runs(nemesis_scenario(type, false), test::seeds_for(50));
    }
}

TEST_CASE("crdt store: every type converges on the right value under the nemesis, delta-state gossip", "[crdt]") {
    for (const char* type : {"g_counter", "pn_counter", "or_set", "lww_register", "mv_register"}) {
        INFO(type);
        require_correct_runs(nemesis_scenario(type, true), test::seeds_for(50));
    }
}

TEST_CASE("crdt store: a request the network delivers twice is applied once", "[crdt]") {
    // Every message is duplicated with probability 0.5. A counter that applied a duplicated incr
    // twice would end above the sum of the increments that may have happened.
    std::string text = nemesis_scenario("pn_counter", false);
    text = std::regex_replace(text, std::regex("latency_spread_ms = 3\n"), "latency_spread_ms = 3\nduplicate = 0.5\n");
    text = std::regex_replace(text, std::regex("\\[nemesis\\]\nenabled = true"), "[nemesis]\nenabled = false");
    require_correct_runs(text, 30);
}

TEST_CASE("crdt store: delta gossip brings back a replica whose disk was wiped", "[crdt]") {
    // n2 loses everything at 7 s and restarts empty at 7.2 s; the clients stop at 8 s, so most of
    // the 20 keys are not written again. Its peers hold acknowledgements from its old
    // incarnation: deltas alone would never give it those keys back. Hearing from the new
    // incarnation, they fall back to the full state, and the replicas converge.
    std::string text = std::regex_replace(nemesis_scenario("or_set", true), std::regex("\\[nemesis\\]\nenabled = true"),
                                          "[[fault]]\nkind = \"disk_wipe\"\nat_ms = 7_000\nuntil_ms = 7_200\nnode = \"n2\"\n"
                                          "[nemesis]\nenabled = false");
    const scenario::Scenario s = parse_ok(std::regex_replace(text, std::regex("keys = 3\n"), "keys = 20\n"));
    for (uint64_t seed = 1; seed <= 30; ++seed) {
        const runner::RunOutcome run = test::run_seed(s, seed);
        INFO(runner::format_summary(s, run, -1) << "seed " << seed);
        REQUIRE(run.systems.at(0).verdict("convergence") == "ok");
        REQUIRE(run.systems.at(0).verdict("invariants") == "ok");  // the wipe resets n2's history
    }
}

// ============================================================================================
// [requests and reads]
// ============================================================================================
TEST_CASE("crdt store: reads return a counter's decimal, a set's canonical form, a register's values", "[crdt]") {
    const std::map<std::string, std::regex> read_form{
        {"pn_counter", std::regex("-?[0-9]+")},
        {"or_set", std::regex("(e[0-9](,e[0-9])*)?")},
        {"mv_register", std::regex("[0-9]+-[0-9]+")},  // a put's value (the greatest sibling)
    };
    for (const auto& [type, form] : read_form) {
        INFO(type);
        const scenario::Scenario s = parse_ok(nemesis_scenario(type, false));
        const runner::RunOutcome run = test::run_seed(s, 3);
        std::size_t reads = 0;
        for (const check::Event& e : run.systems.at(0).history.events) {
            if (e.type != check::EventType::ok || e.f != check::Function::get || !e.value) continue;
            ++reads;
            REQUIRE(std::regex_match(*e.value, form));
        }
        REQUIRE(reads > 50);
        // Only an MV register ever holds siblings (store_scripted_test.cpp reads them).
        if (type != "mv_register") REQUIRE(run.systems.at(0).figures.at("concurrent_versions") == 0);
    }
}

TEST_CASE("crdt store: with an element pool every add draws from e1..eN", "[crdt]") {
    std::string text = nemesis_scenario("or_set", false);
    const runner::RunOutcome pooled = test::run_seed(parse_ok(text), 1);
    std::set<std::string> added;
    for (const check::Event& e : pooled.systems.at(0).history.events)
        if (e.type == check::EventType::invoke && e.f == check::Function::add) added.insert(e.value.value_or(""));
    REQUIRE(added == std::set<std::string>{"e1", "e2", "e3"});
    // Without a pool (elements = 0, the default) each add is fresh.
    text = std::regex_replace(text, std::regex("elements = 3\n"), "");
    const runner::RunOutcome fresh = test::run_seed(parse_ok(text), 1);
    std::size_t adds = 0;
    added.clear();
    for (const check::Event& e : fresh.systems.at(0).history.events)
        if (e.type == check::EventType::invoke && e.f == check::Function::add) {
            ++adds;
            added.insert(e.value.value_or(""));
        }
    REQUIRE(adds > 100);
    REQUIRE(added.size() == adds);
}

// ============================================================================================
// [the parser]
// ============================================================================================
TEST_CASE("crdt store: a scenario whose mix has an operation the configured type does not serve is refused", "[crdt]") {
    std::string text = nemesis_scenario("or_set", false);
    text = std::regex_replace(text, std::regex("mix = .*\n"), "mix = { get = 1, add = 1, incr = 1 }\n");
    const scenario::ParseResult r = parse(text);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].key == "workload.mix.incr");
    REQUIRE(r.errors[0].message == "system 's' (crdt) does not serve 'incr' operations (it serves: get, add, remove); give incr weight 0");
    // The same mix for a counter is refused for its add instead.
    const scenario::ParseResult counter = parse(std::regex_replace(text, std::regex("type = \"or_set\""), "type = \"pn_counter\""));
    REQUIRE(counter.errors.size() == 1);
    REQUIRE(counter.errors[0].key == "workload.mix.add");
}

TEST_CASE("crdt store: the planted OR-Set bug on another type, and an unknown type, are refused", "[crdt]") {
    std::string text = nemesis_scenario("pn_counter", false);
    text = std::regex_replace(text, std::regex("delta_state = false\n"), "delta_state = false\norset_remove_loses_concurrent_adds = true\n");
    const scenario::ParseResult bug = parse(text);
    REQUIRE(bug.errors.size() == 1);
    REQUIRE(bug.errors[0].message.find("the planted bug is in the OR-Set's remove; type is pn_counter") != std::string::npos);
    const scenario::ParseResult unknown = parse(std::regex_replace(nemesis_scenario("pn_counter", false), std::regex("pn_counter"), "counter"));
    REQUIRE_FALSE(unknown.ok());
    REQUIRE(unknown.errors[0].key == "system[0].type");
}
