// Numbers from the command line (runner/command_line.h, runner/sweep.h): decimal digits and
// nothing else, within their limits. Each refused text below once ran something else: `show 1x`
// showed run 1, `--seed -1` ran seed 2^64 - 1, `--shard 1/2/3` ran shard 1/2.
// Method: feed each parser the hostile texts and the good ones beside them.
#include "runner/command_line.h"
#include "runner/sweep.h"

#include <catch2/catch.hpp>

using namespace faultline::runner;

TEST_CASE("command line: a whole number is decimal digits only", "[runner][command_line]") {
    REQUIRE(parse_whole_number("0") == 0u);
    REQUIRE(parse_whole_number("42") == 42u);
    REQUIRE(parse_whole_number("010") == 10u);  // decimal, not octal
    REQUIRE(parse_whole_number("18446744073709551615") == 18446744073709551615u);
    for (const char* bad : {"", "-1", "+1", "1x", "1e3", "0x10", " 1", "1 ", "1.0", "18446744073709551616", "inf"}) {
        INFO(bad);
        REQUIRE_FALSE(parse_whole_number(bad).has_value());
    }
    REQUIRE_FALSE(parse_whole_number("257", jobs_max).has_value());
    REQUIRE(whole_number_problem("100000", 0, jobs_max) == "takes a whole number from 0 to 256, got '100000'");
    REQUIRE(whole_number_problem("7", 0, jobs_max).empty());
}

TEST_CASE("command line: a run id is a whole number from 1 that fits the store", "[runner][command_line]") {
    REQUIRE(parse_run_id("1") == 1);
    REQUIRE(parse_run_id("9223372036854775807") == 9223372036854775807);
    for (const char* bad : {"0", "1x", "1e3", "-1", "9223372036854775808", "99999999999999999999", "latest"}) {
        INFO(bad);
        REQUIRE_FALSE(parse_run_id(bad).has_value());
    }
}

TEST_CASE("command line: a time in ms is finite, from 0 to one week", "[runner][command_line]") {
    REQUIRE(parse_time_ms("0") == 0.0);
    REQUIRE(parse_time_ms("5e3") == 5000.0);
    REQUIRE(parse_time_ms("2.5") == 2.5);
    REQUIRE(parse_time_ms("604800000") == 604800000.0);
    for (const char* bad : {"", "-1", "+1", "inf", "nan", "1e308", "9.2e12", "604800001", "5s", "1,5", " 1"}) {
        INFO(bad);
        REQUIRE_FALSE(parse_time_ms(bad).has_value());
    }
    REQUIRE(time_ms_problem("inf") == "takes a time in ms from 0 to 604800000 (one week), got 'inf'");
}

TEST_CASE("command line: seed ranges and shards take exactly two whole numbers", "[runner][command_line]") {
    uint64_t first = 0, last = 0;
    REQUIRE(parse_seed_range("1..1000", first, last));
    REQUIRE((first == 1 && last == 1000));
    for (const char* bad : {"-1..3", "1..-3", "1x..3", "1..3x", "3..1", "1...3", "1..2..3", "..3", "1..", "1-3"}) {
        INFO(bad);
        REQUIRE_FALSE(parse_seed_range(bad, first, last));
    }
    int index = 0, count = 0;
    REQUIRE(parse_shard("1/2", index, count));
    REQUIRE((index == 1 && count == 2));
    for (const char* bad : {"1/2/3", "2/2", "-1/2", "1/0", "1/2x", "a/2", "1/", "/2", "1/99999999999"}) {
        INFO(bad);
        REQUIRE_FALSE(parse_shard(bad, index, count));
    }
}
