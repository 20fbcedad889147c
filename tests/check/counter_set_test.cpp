// Counters and sets in the key-value model: incr, add and remove are updates whose effect is known
// (a counter adds its delta, a set gains or loses one element), so a read of the key is checked
// against the sum or the set of the updates linearized before it.
#include <catch2/catch.hpp>

#include "check/checker.h"
#include "check/history_builder.h"
#include "check/model.h"

namespace faultline::check {

TEST_CASE("counter: reads see the sum of the increments before them", "[check][counter]") {
    HistoryBuilder h;
    OpId a = h.invoke(1, Function::incr, "c", "1");
    h.complete_ok(a);
    OpId b = h.invoke(2, Function::incr, "c", "2");
    h.complete_ok(b);
    OpId r = h.invoke(3, Function::get, "c");
    h.complete_ok(r, "3");
    REQUIRE(check(h.history(), Model::key_value_map()).verdict == Verdict::ok);
}

TEST_CASE("counter: a read that misses a completed increment is a violation", "[check][counter]") {
    HistoryBuilder h;
    OpId a = h.invoke(1, Function::incr, "c", "1");
    h.complete_ok(a);
    OpId b = h.invoke(2, Function::incr, "c", "1");
    h.complete_ok(b);
    OpId r = h.invoke(3, Function::get, "c");
    h.complete_ok(r, "1");
    REQUIRE(check(h.history(), Model::key_value_map()).verdict == Verdict::violation);
}

TEST_CASE("set: add and remove give a canonical sorted value", "[check][set]") {
    StepResult s = step_update(Function::add, std::nullopt, std::string("b"));
    s = step_update(Function::add, s.next, std::string("a"));
    REQUIRE(*s.next == "a,b");
    s = step_update(Function::add, s.next, std::string("a"));
    REQUIRE(*s.next == "a,b");
    s = step_update(Function::remove, s.next, std::string("b"));
    REQUIRE(*s.next == "a");
    REQUIRE(set_elements("x,y,z") == std::vector<std::string>{"x", "y", "z"});
    REQUIRE(set_elements("").empty());
    REQUIRE(set_value({}).empty());
}

TEST_CASE("set: a read that still holds a removed element after the remove completed is a violation", "[check][set]") {
    HistoryBuilder h;
    OpId a = h.invoke(1, Function::add, "s", "e1");
    h.complete_ok(a);
    OpId r = h.invoke(1, Function::remove, "s", "e1");
    h.complete_ok(r);
    OpId g = h.invoke(2, Function::get, "s");
    h.complete_ok(g, "e1");
    REQUIRE(check(h.history(), Model::key_value_map()).verdict == Verdict::violation);
    HistoryBuilder fine;
    OpId a2 = fine.invoke(1, Function::add, "s", "e1");
    fine.complete_ok(a2);
    OpId g2 = fine.invoke(2, Function::get, "s");
    fine.complete_ok(g2, "e1");
    REQUIRE(check(fine.history(), Model::key_value_map()).verdict == Verdict::ok);
}

TEST_CASE("counter: a non-numeric increment is a failed step, not a crash", "[check][counter]") {
    REQUIRE_FALSE(step_update(Function::incr, std::nullopt, std::string("x")).legal);
    REQUIRE_FALSE(step_update(Function::incr, std::string("nan"), std::string("1")).legal);
    REQUIRE(*step_update(Function::incr, std::string("-4"), std::string("1")).next == "-3");
}

}  // namespace faultline::check
