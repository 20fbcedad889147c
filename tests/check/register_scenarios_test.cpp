// Hand-built register and CAS-register histories with known answers.
// Method: each scenario is a few operations on named processes (alice, bob, carol) drawn as a
// timeline in its comment; the test states the expected verdict and, for violations, the key,
// the culprit and the minimal failing window.
#include <catch2/catch.hpp>

#include <algorithm>

#include "check/checker.h"
#include "check/history_builder.h"

namespace faultline::check {
namespace {

constexpr int alice = 1;
constexpr int bob = 2;
constexpr int carol = 3;

bool contains(const std::vector<OpId>& ids, OpId id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

}  // namespace

TEST_CASE("register: sequential put then get of the same value is linearizable", "[check][register]") {
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put);
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, "1");
    CheckResult result = check(h.history(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::ok);
    REQUIRE(result.keys.size() == 1);
    REQUIRE(result.keys[0].key == "x");
}

TEST_CASE("register: a stale read after a completed put is a violation with a two-op window", "[check][register]") {
    // alice: |put 1|
    // bob:            |get 1|
    // carol:                   |get absent|   <- stale
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put);
    OpId read_new = h.invoke(bob, Function::get, "x");
    h.complete_ok(read_new, "1");
    OpId read_stale = h.invoke(carol, Function::get, "x");
    h.complete_ok(read_stale, std::nullopt);
    CheckResult result = check(h.history(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::violation);
    const KeyResult& key = result.keys.at(0);
    REQUIRE(key.key == "x");
    REQUIRE(key.counterexample.has_value());
    const Counterexample& example = *key.counterexample;
    REQUIRE(example.culprit == read_stale);
    // The story is "put 1 completed, then absent was read", not "1 was read with no put".
    REQUIRE(example.minimal == std::vector<OpId>{put, read_stale});
    REQUIRE(example.longest_prefix == std::vector<OpId>{put, read_new});
    REQUIRE(example.state_after_prefix == Value{"1"});
    REQUIRE(example.minimal_complete);
    REQUIRE(example.begin_index == 0);
    REQUIRE(example.end_index == 5);
    REQUIRE(result.explanation.find("NOT linearizable") != std::string::npos);
}

TEST_CASE("register: a stale read of an overwritten value keeps both writes in the window", "[check][register]") {
    // alice: |put 1|   |put 2|
    // bob:                       |get 1|   <- stale
    // The minimal story must keep "put 1": without it the read would fail for another reason
    // ("1" never written), which explains nothing. Checked with and without the register zones.
    for (bool zones : {true, false}) {
        HistoryBuilder h;
        OpId put1 = h.invoke(alice, Function::put, "x", "1");
        h.complete_ok(put1);
        OpId put2 = h.invoke(alice, Function::put, "x", "2");
        h.complete_ok(put2);
        OpId stale = h.invoke(bob, Function::get, "x");
        h.complete_ok(stale, "1");
        Budget budget;
        budget.register_zones = zones;
        CheckResult result = check(h.history(), Model::plain_register(), budget);
        INFO(result.explanation);
        REQUIRE(result.verdict == Verdict::violation);
        REQUIRE(result.keys[0].method == (zones ? KeyMethod::register_zones : KeyMethod::search));
        REQUIRE(result.keys[0].counterexample->culprit == stale);
        REQUIRE(result.keys[0].counterexample->minimal == std::vector<OpId>{put1, put2, stale});
    }
}

TEST_CASE("register: a get overlapping a put may see the new value or the old", "[check][register]") {
    // alice: |------ put 1 ------|
    // bob:      |get 1|  |get absent|   <- not allowed: once 1 was read, 1 was written
    // carol:    |get absent|            <- fine on its own
    for (bool second_read_absent : {false, true}) {
        HistoryBuilder h;
        OpId put = h.invoke(alice, Function::put, "x", "1");
        OpId first = h.invoke(bob, Function::get, "x");
        OpId old_read = h.invoke(carol, Function::get, "x");
        h.complete_ok(first, "1");
        h.complete_ok(old_read, std::nullopt);
        OpId second = h.invoke(bob, Function::get, "x");
        h.complete_ok(second, second_read_absent ? Value{} : Value{"1"});
        h.complete_ok(put);
        CheckResult result = check(h.history(), Model::plain_register());
        if (second_read_absent) {
            REQUIRE(result.verdict == Verdict::violation);
            REQUIRE(result.keys[0].counterexample->culprit == second);
        } else {
            REQUIRE(result.verdict == Verdict::ok);
        }
    }
}

TEST_CASE("register: reading a value before anyone started writing it is a violation", "[check][register]") {
    HistoryBuilder h;
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, "1");
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put);
    CheckResult result = check(h.history(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys[0].counterexample->minimal == std::vector<OpId>{get});
}

TEST_CASE("register: an info put whose value is read later may have happened", "[check][register][info]") {
    // alice: |put 1 ...info (timed out)
    // bob:                          |get 1|
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_info(put);
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, "1");
    REQUIRE(check(h.history(), Model::plain_register()).verdict == Verdict::ok);
}

TEST_CASE("register: an info put may never have happened", "[check][register][info]") {
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_info(put);
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, std::nullopt);
    REQUIRE(check(h.history(), Model::plain_register()).verdict == Verdict::ok);
}

TEST_CASE("register: an info put may take effect long after its completion, but only once", "[check][register][info]") {
    // put 1 info; get absent; get 1; get absent  -> the last read would need the put to un-happen.
    for (bool unhappen : {false, true}) {
        HistoryBuilder h;
        OpId put = h.invoke(alice, Function::put, "x", "1");
        h.complete_info(put);
        OpId a = h.invoke(bob, Function::get, "x");
        h.complete_ok(a, std::nullopt);
        OpId b = h.invoke(bob, Function::get, "x");
        h.complete_ok(b, "1");
        OpId c = h.invoke(bob, Function::get, "x");
        h.complete_ok(c, unhappen ? Value{} : Value{"1"});
        CheckResult result = check(h.history(), Model::plain_register());
        REQUIRE(result.verdict == (unhappen ? Verdict::violation : Verdict::ok));
        if (unhappen) REQUIRE(result.keys[0].counterexample->culprit == c);
    }
}

TEST_CASE("register: a failed put did not happen, so reading its value is a violation", "[check][register][fail]") {
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_fail(put);
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, "1");
    CheckResult result = check(h.history(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys[0].operations == 1);
}

TEST_CASE("register: a pending invocation at the end of the history counts as info", "[check][register][info]") {
    History history;
    history.events.push_back(Event{0, 0, alice, EventType::invoke, Function::put, "x", "1", {}, {}});
    history.events.push_back(Event{1, 5, bob, EventType::invoke, Function::get, "x", {}, {}, {}});
    history.events.push_back(Event{2, 9, bob, EventType::ok, Function::get, "x", "1", {}, {}});
    REQUIRE(check(history, Model::plain_register()).verdict == Verdict::ok);
}

TEST_CASE("cas-register: a cas that swapped, a cas whose compare failed, then a read", "[check][cas]") {
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put);
    OpId swap = h.invoke_cas(bob, "x", "1", "2");
    h.complete_cas(swap, true);
    OpId miss = h.invoke_cas(carol, "x", "1", "3");
    h.complete_cas(miss, false);
    OpId get = h.invoke(alice, Function::get, "x");
    h.complete_ok(get, "2");
    REQUIRE(check(h.history(), Model::cas_register()).verdict == Verdict::ok);
}

TEST_CASE("cas-register: a compare that failed although the value matched is a violation", "[check][cas]") {
    HistoryBuilder h;
    OpId put = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put);
    OpId miss = h.invoke_cas(bob, "x", "1", "2");
    h.complete_cas(miss, false);
    CheckResult result = check(h.history(), Model::cas_register());
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys[0].counterexample->minimal == std::vector<OpId>{put, miss});
}

TEST_CASE("cas-register: two concurrent cas from the same value cannot both swap", "[check][cas]") {
    // alice: |cas absent->1 ok true|
    // bob:     |cas absent->2 ok true|
    HistoryBuilder h;
    OpId a = h.invoke_cas(alice, "x", std::nullopt, "1");
    OpId b = h.invoke_cas(bob, "x", std::nullopt, "2");
    h.complete_cas(a, true);
    h.complete_cas(b, true);
    REQUIRE(check(h.history(), Model::cas_register()).verdict == Verdict::violation);
}

TEST_CASE("cas-register: an info cas swaps exactly when its compare would succeed", "[check][cas][info]") {
    // cas 1->2 info while x is absent: it can never swap, so reading 2 is a violation.
    HistoryBuilder h;
    OpId cas = h.invoke_cas(alice, "x", "1", "2");
    h.complete_info(cas);
    OpId get = h.invoke(bob, Function::get, "x");
    h.complete_ok(get, "2");
    REQUIRE(check(h.history(), Model::cas_register()).verdict == Verdict::violation);
}

TEST_CASE("register model refuses a cas: the caller must validate", "[check][register]") {
    HistoryBuilder h;
    OpId cas = h.invoke_cas(alice, "x", "1", "2");
    h.complete_cas(cas, true);
    auto ops = pair_operations(h.history());
    REQUIRE(ops.ok());
    auto error = find_unsupported_operation(ops.value(), Model::plain_register());
    REQUIRE(error.has_value());
    REQUIRE(error->message.find("cas") != std::string::npos);
    REQUIRE_FALSE(find_unsupported_operation(ops.value(), Model::cas_register()).has_value());
}

TEST_CASE("kv: concurrent appends may land in either order, but not be lost", "[check][kv]") {
    for (const char* final_read : {"ab", "ba", "a"}) {
        HistoryBuilder h;
        OpId a = h.invoke(alice, Function::append, "list", "a");
        OpId b = h.invoke(bob, Function::append, "list", "b");
        h.complete_ok(a);
        h.complete_ok(b);
        OpId get = h.invoke(carol, Function::get, "list");
        h.complete_ok(get, final_read);
        Verdict expected = std::string(final_read) == "a" ? Verdict::violation : Verdict::ok;
        INFO("final read " << final_read);
        REQUIRE(check(h.history(), Model::key_value_map()).verdict == expected);
    }
}

TEST_CASE("kv: keys are checked separately and the violating key is the one reported", "[check][kv]") {
    HistoryBuilder h;
    OpId px = h.invoke(alice, Function::put, "x", "1");
    OpId py = h.invoke(bob, Function::put, "y", "7");
    h.complete_ok(px);
    h.complete_ok(py);
    OpId gx = h.invoke(carol, Function::get, "x");
    h.complete_ok(gx, "1");
    OpId gy = h.invoke(carol, Function::get, "y");
    h.complete_ok(gy, "8");
    CheckResult result = check(h.history(), Model::key_value_map(), Budget{.stop_at_first_violation = false});
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys.size() == 2);
    REQUIRE(result.keys[0].key == "x");
    REQUIRE(result.keys[0].verdict == Verdict::ok);
    REQUIRE(result.keys[1].key == "y");
    REQUIRE(result.keys[1].verdict == Verdict::violation);
    REQUIRE(contains(result.keys[1].counterexample->minimal, gy));
    REQUIRE_FALSE(contains(result.keys[1].counterexample->minimal, gx));
}

TEST_CASE("linearizable(): an empty history is linearizable", "[check]") {
    REQUIRE(linearizable(History{}));
}

TEST_CASE("counterexample: a cas that failed its comparison does not count as the writer of its value", "[check][register]") {
    // alice: |put 1|                         |get 1|   <- stale: "2" was written after "1"
    // bob:           |put 2|
    // carol:                 |cas 9->1 fails|
    // Without the rule, the story could keep the failed cas as the "writer" of "1" and drop the
    // put that really wrote it: {put 2, cas fails, get 1}, a read of a value nobody wrote.
    HistoryBuilder h;
    OpId put1 = h.invoke(alice, Function::put, "x", "1");
    h.complete_ok(put1);
    OpId put2 = h.invoke(bob, Function::put, "x", "2");
    h.complete_ok(put2);
    OpId cas = h.invoke_cas(carol, "x", "9", "1");
    h.complete_cas(cas, false);
    OpId get = h.invoke(alice, Function::get, "x");
    h.complete_ok(get, "1");
    CheckResult result = check(h.history(), Model::key_value_map());
    REQUIRE(result.verdict == Verdict::violation);
    const Counterexample& example = *result.keys.at(0).counterexample;
    REQUIRE(example.culprit == get);
    CHECK(contains(example.minimal, put1));
    CHECK_FALSE(contains(example.minimal, cas));
}

TEST_CASE("counterexample: an append counts as the writer of the values that end with it", "[check][register]") {
    // alice: |append a;|                  |get -> a;|   <- stale: b; was appended after
    // bob:               |append b;|
    // Without the rule the story drops `append a;` and reads a value nobody wrote.
    HistoryBuilder h;
    OpId a = h.invoke(alice, Function::append, "x", "a;");
    h.complete_ok(a);
    OpId b = h.invoke(bob, Function::append, "x", "b;");
    h.complete_ok(b);
    OpId get = h.invoke(alice, Function::get, "x");
    h.complete_ok(get, "a;");
    CheckResult result = check(h.history(), Model::key_value_map());
    REQUIRE(result.verdict == Verdict::violation);
    const Counterexample& example = *result.keys.at(0).counterexample;
    REQUIRE(example.culprit == get);
    CHECK(example.minimal == std::vector<OpId>{a, b, get});
}

}  // namespace faultline::check
