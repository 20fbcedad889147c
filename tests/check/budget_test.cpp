// Budgets: running out gives `unknown`, never `ok`; one hard key cannot hide another key's violation.
// Method: a pathological key where `writers` puts of distinct values all overlap and a later read
// returns a value nobody wrote, so the search must visit every subset of the puts (2^writers
// configurations) before it can say "violation". Its linearizable twin reads the value of the
// first put, which the search (lifting in list order) reaches last. Those keys are get/put
// registers with distinct values, which the register zones decide at once, so these tests turn
// the zones off (search_only) to test the search's budgets; the last test shows the zones.
#include <catch2/catch.hpp>

#include <string>

#include "check/checker.h"
#include "check/history_builder.h"
#include "check/random_history.h"

namespace faultline::check {
namespace {

void add_pathological_key(HistoryBuilder& h, const std::string& key, int writers, Value final_read, int process_base) {
    std::vector<OpId> puts;
    for (int w = 0; w < writers; ++w) puts.push_back(h.invoke(process_base + w, Function::put, key, std::to_string(w)));
    for (OpId put : puts) h.complete_ok(put);
    OpId get = h.invoke(process_base + writers, Function::get, key);
    h.complete_ok(get, final_read);
}


}  // namespace

TEST_CASE("budget: a pathological key with a tiny step budget is unknown, never ok", "[check][budget]") {
    for (const char* final_read : {"0", "never-written"}) {
        HistoryBuilder h;
        add_pathological_key(h, "hard", 16, final_read, 0);
        Budget tiny = test::search_only();
        tiny.steps_max = 2'000;
        CheckResult result = check(h.history(), Model::plain_register(), tiny);
        INFO("final read " << final_read << "\n" << result.explanation);
        REQUIRE(result.verdict == Verdict::unknown);
        REQUIRE(result.steps == tiny.steps_max);
        REQUIRE(result.keys[0].longest_prefix > 0);
        REQUIRE(result.keys[0].cache_entries > 0);
    }
}

TEST_CASE("budget: with enough steps the pathological key is decided both ways", "[check][budget]") {
    for (bool read_ok : {true, false}) {
        HistoryBuilder h;
        add_pathological_key(h, "hard", 10, read_ok ? Value{"0"} : Value{"never-written"}, 0);
        CheckResult result = check(h.history(), Model::plain_register(), test::search_only());
        REQUIRE(result.verdict == (read_ok ? Verdict::ok : Verdict::violation));
    }
}

TEST_CASE("budget: a tiny memory budget degrades to unknown or a correct answer, never a wrong one", "[check][budget]") {
    HistoryBuilder h;
    add_pathological_key(h, "hard", 14, "never-written", 0);
    Budget small = test::search_only();
    small.memory_bytes_max = 16 * 1024;
    small.steps_max = 200'000;
    CheckResult result = check(h.history(), Model::plain_register(), small);
    REQUIRE(result.verdict == Verdict::unknown);
    REQUIRE(result.keys[0].cache_saturated);
    REQUIRE(result.memory_bytes_max <= small.memory_bytes_max);
}

TEST_CASE("key scheduling: one hard key does not hide an obvious violation on another key", "[check][budget][schedule]") {
    // "a-hard" sorts first, so a sequential scheduler would spend the whole budget on it.
    HistoryBuilder h;
    add_pathological_key(h, "a-hard", 20, "0", 0);
    OpId put = h.invoke(100, Function::put, "z-easy", "1");
    h.complete_ok(put);
    OpId stale = h.invoke(101, Function::get, "z-easy");
    h.complete_ok(stale, std::nullopt);
    Budget budget = test::search_only();
    budget.steps_max = 100'000;
    budget.stop_at_first_violation = false;
    CheckResult result = check(h.history(), Model::plain_register(), budget);
    INFO(result.explanation);
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys.size() == 2);
    REQUIRE(result.keys[0].key == "a-hard");
    REQUIRE(result.keys[0].verdict == Verdict::unknown);
    REQUIRE(result.keys[1].key == "z-easy");
    REQUIRE(result.keys[1].verdict == Verdict::violation);
    REQUIRE(result.keys[1].counterexample->culprit == stale);
}

TEST_CASE("key scheduling: the same input and budget give the same result", "[check][budget][determinism]") {
    HistoryBuilder h;
    add_pathological_key(h, "k1", 12, "never-written", 0);
    add_pathological_key(h, "k2", 12, "3", 20);
    Budget budget = test::search_only();
    budget.steps_max = 50'000;
    CheckResult first = check(h.history(), Model::plain_register(), budget);
    CheckResult second = check(h.history(), Model::plain_register(), budget);
    REQUIRE(first.explanation == second.explanation);
    REQUIRE(first.steps == second.steps);
    REQUIRE(first.keys[0].cache_entries == second.keys[0].cache_entries);
}

TEST_CASE("register zones: the search's pathological key is decided without searching", "[check][budget][zones]") {
    for (bool read_ok : {true, false}) {
        HistoryBuilder h;
        add_pathological_key(h, "hard", 40, read_ok ? Value{"0"} : Value{"never-written"}, 0);
        Budget tiny;
        tiny.steps_max = 2'000;
        CheckResult result = check(h.history(), Model::plain_register(), tiny);
        INFO(result.explanation);
        REQUIRE(result.verdict == (read_ok ? Verdict::ok : Verdict::violation));
        REQUIRE(result.keys[0].method == KeyMethod::register_zones);
        if (!read_ok) REQUIRE(result.keys[0].counterexample->minimal.size() == 1);
    }
}

}  // namespace faultline::check

namespace faultline::check {

TEST_CASE("twin pruning: many overlapping puts of few values are decided in few steps", "[check][budget][twins]") {
    // 24 overlapping puts of 3 values, then a read of a value nobody wrote: without twin pruning
    // the search visits every subset of the puts (2^24) before it can say "violation".
    for (bool read_ok : {true, false}) {
        HistoryBuilder h;
        std::vector<OpId> puts;
        for (int w = 0; w < 24; ++w) puts.push_back(h.invoke(w, Function::put, "k", std::to_string(w % 3)));
        for (OpId put : puts) h.complete_ok(put);
        OpId get = h.invoke(99, Function::get, "k");
        h.complete_ok(get, read_ok ? Value{"1"} : Value{"never-written"});
        Budget budget = test::search_only();
        budget.steps_max = 1'000'000;  // the pruned space: ~9^3 sets of puts x 4 states x ~25 steps
        CheckResult result = check(h.history(), Model::plain_register(), budget);
        INFO(result.explanation);
        REQUIRE(result.verdict == (read_ok ? Verdict::ok : Verdict::violation));
        REQUIRE(result.keys[0].method == KeyMethod::search);
    }
}

}  // namespace faultline::check
