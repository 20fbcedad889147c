// Every time in a scenario is one the kernel can hold: 0, or 1 ns to one week (duration_limits.h),
// checked by the key's unit, so that a timeout of 1e-7 ms (which rounds to 0 and spins) or of
// 1e15 ms (which overflows the kernel's integer) is an error at its key, not an assertion in a
// run. The nemesis's episode count is bounded the same way.
// Method: parse texts with the test catalog and the real one, and look for each error at its key.
#include "scenario/duration_limits.h"
#include "runner/catalog.h"
#include "scenario/scenario_parser.h"
#include "tests/scenario/parse_support.h"

#include <catch2/catch.hpp>

using namespace faultline::scenario;

using test::has_error;
using test::parse;

namespace {

const std::string head = "[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-4

}  // namespace

TEST_CASE("durations: a key names a time when one of its words is ms", "[scenario][durations]") {
    REQUIRE(names_a_duration("workload.timeout_ms"));
    REQUIRE(names_a_duration("system[0].options.election_timeout_ms_min"));
    REQUIRE(names_a_duration("fault[2].at_ms"));
    REQUIRE(names_a_duration("ms"));
    REQUIRE_FALSE(names_a_duration("network.loss"));
    REQUIRE_FALSE(names_a_duration("fault[0].drift_ppm"));
    REQUIRE_FALSE(names_a_duration("terms"));
    REQUIRE_FALSE(names_a_duration("msgs_max"));
    REQUIRE_FALSE(names_a_duration("ms.loss"));
}

TEST_CASE("durations: below 1 ns is refused at its key, 1 ns and 0 are accepted", "[scenario][durations]") {
    const auto tiny = parse(head + "[workload]\ntimeout_ms = 1e-7\n");
    REQUIRE(has_error(tiny, 6, "workload.timeout_ms", "below the kernel's resolution"));
    REQUIRE(parse(head + "[workload]\ntimeout_ms = 0.000001\nthink_time_ms = 0\n").ok());
    const auto tiny_fault = parse(head + "[[fault]]\nkind = \"crash\"\nnode = \"n1\"\nat_ms = 1e-9\n");
    REQUIRE(has_error(tiny_fault, 8, "fault[0].at_ms", "below the kernel's resolution"));
}

TEST_CASE("durations: over one week is refused at its key, wherever it is", "[scenario][durations]") {
    REQUIRE(has_error(parse(head + "[workload]\nthink_time_ms = 1e15\n"), 6, "workload.think_time_ms", "too long"));
    REQUIRE(has_error(parse(head + "[network]\nlatency_ms = 1e15\n"), 6, "network.latency_ms", "too long"));
    REQUIRE(has_error(parse(head + "[network]\nreorder = 0.5\nreorder_window_ms = 7e8\n"), 7,
                      "network.reorder_window_ms", "too long"));
    REQUIRE(has_error(parse(head + "[liveness]\nwithin_ms = 1e15\n"), 6, "liveness.within_ms", "too long"));
    // A signed time is bounded in magnitude.
    const auto jump = parse(head + "[[fault]]\nkind = \"clock_jump\"\nnode = \"n1\"\nat_ms = 1\njump_ms = -1e15\n");
    REQUIRE(has_error(jump, 9, "fault[0].jump_ms", "too long"));
    // A protocol option in ms, within its own range, is still a time (the real catalog's Raft).
    const auto option =
        parse_scenario_text(head + "election_timeout_ms_max = 1_000_000_000\n", "t.toml", faultline::runner::catalog());
    REQUIRE(has_error(option, 5, "system[0].election_timeout_ms_max", "too long"));
    // One week itself is fine.
    REQUIRE(parse(head + "[liveness]\nwithin_ms = 604_800_000\n").ok());
}

TEST_CASE("durations: a nemesis expecting over 100,000 episodes is refused at interval_ms", "[scenario][durations]") {
    // 1,600 ms of nemesis (80% of 2,000) at one episode per microsecond: 1.6 million.
    const auto dense = parse(
        "[scenario]\nversion = 1\nduration_ms = 2000\n[[system]]\nprotocol = \"raft\"\n"
        "[nemesis]\nstart_ms = 0\ninterval_ms = 0.001\n");
    REQUIRE(has_error(dense, 8, "nemesis.interval_ms", "would start about 1600000 episodes"));
    // A week-long run with the default interval (500 ms) and end_ms = 0: ~967,680 episodes,
    // reported at the [nemesis] table, which sets none of the three keys.
    const auto week = parse(
        "[scenario]\nversion = 1\nduration_ms = 604_800_000\n[[system]]\nprotocol = \"raft\"\n"
        "[nemesis]\nend_ms = 0\n");
    REQUIRE(has_error(week, 6, "nemesis.interval_ms", "raise interval_ms or narrow start_ms..end_ms"));
    // The same week at one episode a minute is fine.
    REQUIRE(parse("[scenario]\nversion = 1\nduration_ms = 604_800_000\n[[system]]\nprotocol = \"raft\"\n"
                  "[nemesis]\ninterval_ms = 60_000\n")
                .ok());
}
