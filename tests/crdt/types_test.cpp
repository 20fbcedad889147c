// The CRDTs of protocols/crdt/ on small scripted examples, one behaviour each: what a reader of
// their headers is told they do. The random executions (merge_properties_test.cpp) cover the
// algebra; these name the cases that matter.
#include "protocols/crdt/key_state.h"

#include <catch2/catch.hpp>

using namespace faultline::crdt;

namespace {

// a's state joined with b's, both ways, must agree; returns it.
KeyState meet(const KeyState& a, const KeyState& b) {
    KeyState ab = a, ba = b;
    ab.merge(b);
    ba.merge(a);
    REQUIRE(ab == ba);
    return ab;
}

KeyState apply(KeyState s, const KeyState& delta) {
    s.merge(delta);
    return s;
}

}  // namespace

TEST_CASE("crdt G-Counter: increments on two replicas add up after the join, a repeated join adds nothing", "[crdt]") {
    KeyState a(CrdtType::g_counter), b(CrdtType::g_counter);
    a = apply(a, a.increment("n1.0", 2));
    a = apply(a, a.increment("n1.0", 3));
    b = apply(b, b.increment("n2.0", 4));
    KeyState both = meet(a, b);
    REQUIRE(both.values() == std::vector<std::string>{"9"});
    REQUIRE(meet(both, a).values() == std::vector<std::string>{"9"});
    // The delta of an increment is the replica's new entry alone.
    REQUIRE(a.increment("n1.0", 1).encode() == "n1.0:6");
}

TEST_CASE("crdt PN-Counter: decrements subtract, and the total can go below zero", "[crdt]") {
    KeyState a(CrdtType::pn_counter), b(CrdtType::pn_counter);
    a = apply(a, a.increment("n1.0", 2));
    b = apply(b, b.increment("n2.0", -5));
    REQUIRE(meet(a, b).values() == std::vector<std::string>{"-3"});
    REQUIRE(meet(a, b).encode() == "n1.0:2|n2.0:5");
}

TEST_CASE("crdt OR-Set: an add concurrent with a remove of the same element wins", "[crdt]") {
    KeyState a(CrdtType::or_set);
    a = apply(a, a.add("n1.0", "x"));
    KeyState b = a;                                // n2 has seen n1's add of x
    b = apply(b, b.remove("n2.0", "x", false));    // n2 removes the x it saw
    a = apply(a, a.add("n1.0", "x"));              // meanwhile n1 adds x again
    REQUIRE(b.values() == std::vector<std::string>{""});
    REQUIRE(meet(a, b).values() == std::vector<std::string>{"x"});
}

TEST_CASE("crdt OR-Set: a remove drops what it saw everywhere, and nothing comes back", "[crdt]") {
    KeyState a(CrdtType::or_set);
    a = apply(a, a.add("n1.0", "x"));
    a = apply(a, a.add("n1.0", "y"));
    KeyState b = a;
    b = apply(b, b.remove("n2.0", "x", false));
    const KeyState joined = meet(a, b);
    REQUIRE(joined.values() == std::vector<std::string>{"y"});
    REQUIRE(meet(joined, a).values() == std::vector<std::string>{"y"});  // a's old x stays removed
    // Tombstone-free: the removed tag is gone from the entries, only its dot stays in the context.
    REQUIRE(joined.encode() == "n1.0:2=+y|n1.0:2;");
}

TEST_CASE("crdt OR-Set planted bug: a remove by element beats a concurrent add, a later add still wins", "[crdt]") {
    KeyState a(CrdtType::or_set);
    a = apply(a, a.add("n1.0", "x"));
    KeyState b = a;
    b = apply(b, b.remove("n2.0", "x", true));  // a tombstone for x itself
    a = apply(a, a.add("n1.0", "x"));           // concurrent: it never saw the tombstone
    KeyState joined = meet(a, b);
    REQUIRE(joined.values() == std::vector<std::string>{""});  // the add is lost
    joined = apply(joined, joined.add("n1.0", "x"));            // an add that saw the tombstone
    REQUIRE(joined.values() == std::vector<std::string>{"x"});
}

TEST_CASE("crdt LWW-Register: the greater clock wins whatever the order, even when it is the older write", "[crdt]") {
    KeyState a(CrdtType::lww_register), b(CrdtType::lww_register);
    a = apply(a, a.put("n1.0", 5'000, "written first, by a fast clock"));
    b = apply(b, b.put("n2.0", 1'000, "written later, by a slow clock"));
    REQUIRE(meet(a, b).values() == std::vector<std::string>{"written first, by a fast clock"});
    // Equal clocks: the replica id breaks the tie.
    KeyState c(CrdtType::lww_register);
    c = apply(c, c.put("n3.0", 5'000, "same instant"));
    REQUIRE(meet(a, c).values() == std::vector<std::string>{"same instant"});
}

TEST_CASE("crdt MV-Register: concurrent puts survive as siblings until a put that saw them both", "[crdt]") {
    KeyState a(CrdtType::mv_register), b(CrdtType::mv_register);
    a = apply(a, a.put("n1.0", 0, "left"));
    b = apply(b, b.put("n2.0", 0, "right"));
    KeyState joined = meet(a, b);
    REQUIRE(joined.values() == std::vector<std::string>{"left", "right"});
    joined = apply(joined, joined.put("n1.0", 0, "both seen"));
    REQUIRE(meet(joined, b).values() == std::vector<std::string>{"both seen"});
    // A put supersedes only what its writer saw: b writes again without having seen "both seen".
    b = apply(b, b.put("n2.0", 0, "right again"));
    REQUIRE(meet(joined, b).values() == std::vector<std::string>{"both seen", "right again"});
}

TEST_CASE("crdt causal context: dots above the prefix wait in the cloud until the gap fills", "[crdt]") {
    DotContext c;
    c.insert({"n1.0", 1});
    c.insert({"n1.0", 3});
    REQUIRE(c.encode() == "n1.0:1;n1.0:3");
    REQUIRE(c.max("n1.0") == 3);
    REQUIRE(c.next("n1.0") == Dot{"n1.0", 4});
    REQUIRE_FALSE(c.contains({"n1.0", 2}));
    c.insert({"n1.0", 2});
    REQUIRE(c.encode() == "n1.0:3;");
    REQUIRE(c.contains({"n1.0", 2}));
    REQUIRE(c.max("n2.0") == 0);
}

TEST_CASE("crdt types: the operations each type serves", "[crdt]") {
    REQUIRE(operations_served(CrdtType::g_counter) == std::vector<std::string>{"get", "incr"});
    REQUIRE(operations_served(CrdtType::or_set) == std::vector<std::string>{"get", "add", "remove"});
    REQUIRE(operations_served(CrdtType::mv_register) == std::vector<std::string>{"get", "put"});
    REQUIRE(serves(CrdtType::pn_counter, faultline::check::Function::incr));
    REQUIRE_FALSE(serves(CrdtType::or_set, faultline::check::Function::incr));
    for (const std::string& name : crdt_type_names()) REQUIRE(to_string(*parse_crdt_type(name)) == name);
    REQUIRE_FALSE(parse_crdt_type("counter").has_value());
}
