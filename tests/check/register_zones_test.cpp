// The register zones (check/register_zones.h) and the dropping of unobserved info writes
// (check/unobserved_writes.h): hand-built cases for each condition, then a property test
// against the brute-force oracle and against the search with the zones turned off.
#include <catch2/catch.hpp>

#include "check/brute_force.h"
#include "check/checker.h"
#include "check/history_builder.h"
#include "check/register_zones.h"
#include "check/unobserved_writes.h"
#include "check/random_history.h"

namespace faultline::check {
namespace {

std::vector<Operation> paired(const HistoryBuilder& h) {
    auto ops = pair_operations(h.history());
    REQUIRE(ops.ok());
    return ops.value();
}


}  // namespace

TEST_CASE("register zones: overlapping writes read in either order are linearizable", "[check][zones]") {
    HistoryBuilder h;
    OpId a = h.invoke(0, Function::put, "k", "a");
    OpId b = h.invoke(1, Function::put, "k", "b");
    OpId r1 = h.invoke(2, Function::get, "k");
    h.complete_ok(r1, Value{"b"});
    h.complete_ok(a);
    h.complete_ok(b);
    OpId r2 = h.invoke(2, Function::get, "k");
    h.complete_ok(r2, Value{"b"});
    ZoneDecision d = decide_by_register_zones(paired(h));
    REQUIRE(d.applies);
    REQUIRE(d.linearizable);
}

TEST_CASE("register zones: two values each current over the same interval is a violation", "[check][zones]") {
    // a then b complete; reads alternate a, b, a: both forward zones cover the middle.
    HistoryBuilder h;
    OpId a = h.invoke(0, Function::put, "k", "a");
    OpId b = h.invoke(1, Function::put, "k", "b");
    h.complete_ok(a);
    h.complete_ok(b);
    for (const char* v : {"a", "b", "a"}) {
        OpId r = h.invoke(2, Function::get, "k");
        h.complete_ok(r, Value{v});
    }
    ZoneDecision d = decide_by_register_zones(paired(h));
    REQUIRE(d.applies);
    REQUIRE_FALSE(d.linearizable);
    REQUIRE(d.conflict.size() == 5);
}

TEST_CASE("register zones: a write inside another value's forward zone is a violation", "[check][zones]") {
    // w1 long; w2 short, early; a read of 1 then a read of 2: 2 would have to come back.
    HistoryBuilder h;
    OpId w1 = h.invoke(0, Function::put, "k", "1");
    OpId w2 = h.invoke(1, Function::put, "k", "2");
    h.complete_ok(w2);
    OpId r1 = h.invoke(2, Function::get, "k");
    h.complete_ok(r1, Value{"1"});
    OpId r2 = h.invoke(2, Function::get, "k");
    h.complete_ok(r2, Value{"2"});
    h.complete_ok(w1);
    std::vector<Operation> ops = paired(h);
    REQUIRE_FALSE(brute_force_linearizable(ops, Model::plain_register()));
    ZoneDecision d = decide_by_register_zones(ops);
    REQUIRE(d.applies);
    REQUIRE_FALSE(d.linearizable);
}

TEST_CASE("register zones: a read that ends before its write begins is a violation", "[check][zones]") {
    HistoryBuilder h;
    OpId r = h.invoke(0, Function::get, "k");
    h.complete_ok(r, Value{"x"});
    OpId w = h.invoke(1, Function::put, "k", "x");
    h.complete_ok(w);
    ZoneDecision d = decide_by_register_zones(paired(h));
    REQUIRE(d.applies);
    REQUIRE_FALSE(d.linearizable);
    REQUIRE(d.conflict == std::vector<std::size_t>{0, 1});
}

TEST_CASE("register zones: stale read of absent after a completed write is a violation", "[check][zones]") {
    HistoryBuilder h;
    OpId w = h.invoke(0, Function::put, "k", "x");
    h.complete_ok(w);
    OpId r = h.invoke(1, Function::get, "k");
    h.complete_ok(r, std::nullopt);
    CheckResult result = check(h.history(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys[0].method == KeyMethod::register_zones);
    REQUIRE(result.keys[0].counterexample->culprit == r);
    REQUIRE(result.keys[0].counterexample->minimal.size() == 2);
}

TEST_CASE("register zones: do not apply to duplicate values, cas or append", "[check][zones]") {
    HistoryBuilder dup;
    dup.complete_ok(dup.invoke(0, Function::put, "k", "x"));
    dup.complete_ok(dup.invoke(0, Function::put, "k", "x"));
    REQUIRE_FALSE(decide_by_register_zones(paired(dup)).applies);
    HistoryBuilder cas;
    cas.complete_cas(cas.invoke_cas(0, "k", Value{}, "x"), true);
    REQUIRE_FALSE(decide_by_register_zones(paired(cas)).applies);
    HistoryBuilder append;
    append.complete_ok(append.invoke(0, Function::append, "k", "x"));
    REQUIRE_FALSE(decide_by_register_zones(paired(append)).applies);
}

TEST_CASE("unobserved info writes: dropped when nobody read them, kept when a failed compare could see them",
          "[check][zones][info]") {
    HistoryBuilder h;
    h.complete_ok(h.invoke(0, Function::put, "k", "a"));
    h.complete_info(h.invoke(1, Function::put, "k", "b"));   // never read
    h.complete_info(h.invoke(2, Function::put, "k", "c"));   // read below
    OpId r = h.invoke(3, Function::get, "k");
    h.complete_ok(r, Value{"c"});
    std::vector<Operation> ops = paired(h);
    std::vector<Operation> kept = drop_unobserved_info_writes(ops);
    REQUIRE(kept.size() == 3);
    for (const Operation& op : kept) REQUIRE(op.value != Value{"b"});

    // put a; info put b; a cas whose compare against "a" failed. Only b explains the failure, so
    // b must not be dropped (and the history is linearizable).
    HistoryBuilder g;
    g.complete_ok(g.invoke(0, Function::put, "k", "a"));
    g.complete_info(g.invoke(1, Function::put, "k", "b"));
    g.complete_cas(g.invoke_cas(2, "k", Value{"a"}, "z"), false);
    std::vector<Operation> guarded = paired(g);
    REQUIRE(drop_unobserved_info_writes(guarded).size() == guarded.size());
    CheckResult result = check(g.history(), Model::cas_register());
    REQUIRE(result.verdict == Verdict::ok);
}

TEST_CASE("register zones agree with brute force and with the search on unique-valued registers", "[check][zones][property]") {
    int decided_by_zones = 0, violations = 0, linearizable = 0;
    for (std::uint64_t seed = 20'001; seed <= 23'000; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.processes = 2 + static_cast<int>(rng.below(4));
        shape.operations = 2 + static_cast<int>(rng.below(8));
        shape.keys = 1 + static_cast<int>(rng.below(2));
        shape.allow_cas = false;
        shape.unique_values = true;
        shape.info_percent = static_cast<int>(rng.below(30));
        shape.fail_percent = static_cast<int>(rng.below(10));
        History history = test::simulate_history(rng, shape);
        if (rng.chance(50)) history = test::corrupt(rng, history, shape);
        auto ops = pair_operations(history);
        REQUIRE(ops.ok());
        bool oracle = brute_force_linearizable(ops.value(), Model::plain_register());
        CheckResult fast = check_operations(ops.value(), Model::plain_register());
        CheckResult slow = check_operations(ops.value(), Model::plain_register(), test::search_only());
        INFO("seed " << seed << "\n" << fast.explanation);
        REQUIRE(fast.verdict == (oracle ? Verdict::ok : Verdict::violation));
        REQUIRE(slow.verdict == fast.verdict);
        for (const KeyResult& key : fast.keys) {
            decided_by_zones += key.method == KeyMethod::register_zones;
            if (key.verdict != Verdict::violation) continue;
            // The counterexample's minimal set fails on its own (cut at the culprit).
            const Counterexample& example = *key.counterexample;
            REQUIRE(example.culprit >= 0);
            std::vector<Operation> minimal;
            for (OpId id : example.minimal) minimal.push_back(ops.value()[static_cast<std::size_t>(id)]);
            REQUIRE_FALSE(brute_force_linearizable(minimal, Model::plain_register()));
        }
        (oracle ? linearizable : violations)++;
    }
    INFO("zones " << decided_by_zones << " violations " << violations << " linearizable " << linearizable);
    REQUIRE(decided_by_zones > 3000);
    REQUIRE(violations > 500);
    REQUIRE(linearizable > 500);
}

TEST_CASE("unobserved info writes: dropping them never changes a verdict", "[check][zones][info][property]") {
    int dropped = 0;
    for (std::uint64_t seed = 30'001; seed <= 32'000; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.processes = 2 + static_cast<int>(rng.below(3));
        shape.operations = 2 + static_cast<int>(rng.below(7));
        shape.values = 2 + static_cast<int>(rng.below(3));
        shape.info_percent = 40;
        History history = test::simulate_history(rng, shape);
        if (rng.chance(50)) history = test::corrupt(rng, history, shape);
        auto ops = pair_operations(history);
        REQUIRE(ops.ok());
        bool oracle = brute_force_linearizable(ops.value(), Model::cas_register());
        CheckResult result = check_operations(ops.value(), Model::cas_register());
        INFO("seed " << seed << "\n" << result.explanation);
        REQUIRE(result.verdict == (oracle ? Verdict::ok : Verdict::violation));
        for (const KeyResult& key : result.keys) dropped += static_cast<int>(key.unobserved_info_writes);
    }
    REQUIRE(dropped > 300);
}

}  // namespace faultline::check
