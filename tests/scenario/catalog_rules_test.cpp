// What the real protocols' specs refuse at parse time (runner/catalog.h): operations a protocol
// does not serve, and options that contradict each other. Method: small scenario texts parsed
// with the real catalog; each error names the file, line and key.
#include "runner/catalog.h"
#include "scenario/scenario_parser.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

scenario::ParseResult parse(const std::string& text) {
    return scenario::parse_scenario_text(text, "t.toml", runner::catalog());
}

bool has_error(const scenario::ParseResult& r, int line, const std::string& key, const std::string& text) {
    for (const auto& e : r.errors)
        if (e.line == line && e.key == key && e.message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("catalog rules: a workload operation the protocol does not serve is refused where it is weighted", "[scenario][catalog]") {
    const auto r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"quorum_register\"\n"
                         "[workload]\nmix = { get = 1, put = 1, append = 1 }\n");
    INFO(scenario::format_errors(r.errors));
    REQUIRE(has_error(r, 6, "workload.mix.append", "does not serve 'append' operations (it serves: get, put)"));
    // The default mix has every operation: the error says so at [workload] (or the top).
    const auto d = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"quorum_register\"\n");
    REQUIRE_FALSE(d.ok());
    REQUIRE(d.errors.front().message.find("the default mix has every operation") != std::string::npos);
    REQUIRE(parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"quorum_register\"\n"
                  "[workload]\nmix = { get = 1, put = 1 }\n")
                .ok());
}

TEST_CASE("catalog rules: a protocol that serves no operation runs without clients, and without history checks", "[scenario][catalog]") {
    // Lab 04's election serves no client operation.
    const auto r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"lab04\"\n[workload]\nclients = 2\n");
    INFO(scenario::format_errors(r.errors));
    REQUIRE(has_error(r, 6, "workload.clients", "serves no client operations: set [workload] clients = 0"));
    // Without a [workload] the default clients are refused too, at the top.
    REQUIRE_FALSE(parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"lab04\"\n").ok());
    REQUIRE(parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"lab04\"\n[workload]\nclients = 0\n"
                  "[expect]\ninvariants_hold = true\nleaders_at_end_max = 1\n")
                .ok());
    // The checkers of the client history do not apply: expecting their verdicts is an error.
    for (const char* key : {"linearizable", "live"}) {
        const auto e = parse(std::string("[scenario]\nversion = 1\n[[system]]\nprotocol = \"lab04\"\n[workload]\n"
                                         "clients = 0\n[expect]\n") + key + " = true\n");
        INFO(key);
        REQUIRE_FALSE(e.ok());
        REQUIRE(e.errors.front().line == 8);
    }
}

TEST_CASE("catalog rules: raft's election timeouts must leave room for heartbeats", "[scenario][catalog]") {
    const auto r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                         "election_timeout_ms_min = 400\nelection_timeout_ms_max = 300\n");
    INFO(scenario::format_errors(r.errors));
    REQUIRE(has_error(r, 6, "system[0].election_timeout_ms_max", "election_timeout_ms_min (400) is above election_timeout_ms_max (300)"));
    const auto h = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n[system.options]\nheartbeat_interval_ms = 150\n");
    INFO(scenario::format_errors(h.errors));
    REQUIRE(has_error(h, 6, "system[0].options.heartbeat_interval_ms", "must be below election_timeout_ms_min (150)"));
}
