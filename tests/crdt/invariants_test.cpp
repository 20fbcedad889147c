// state_only_grows, the CRDT store's invariant monitor (protocols/crdt/invariants.cpp), on
// scripted annotations: a node that annotates the store's "state" key the way a server does.
// Method: the monitor attached to a World's trace; a state that moves up the join order passes,
// one that forgets part of the old state is reported (the test that the monitor can fail), and
// a disk wipe lets the node start over.
#include "protocols/crdt/invariants.h"
#include "protocols/plugin/cluster_view.h"

#include "sim/world.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

// Runs a node that annotates `states` of key "k", 10 ms apart (a wipe between the second and
// the third when `wipe`); returns what the monitor reported.
std::vector<plugin::Violation> annotate(crdt::CrdtType type, const std::vector<std::string>& states, bool wipe = false) {
    World world(WorldOptions{.seed = 1, .trace_level = TraceLevel::events});
    auto monitor = crdt::invariants(type);
    const plugin::ClusterView view(world);
    monitor->attach(view);
    const NodeId n1 = world.add_node("n1", fiber_process([states](Context& ctx) {
        // After a wipe the node restarts: it goes on from the third state.
        for (std::size_t i = ctx.incarnation() == 0 ? 0 : 2; i < states.size(); ++i) {
            if (ctx.incarnation() == 0 && i == 2 && states.size() > 2) ctx.sleep(milliseconds(100));
            ctx.annotate("state", "k " + states[i]);
            ctx.sleep(milliseconds(10));
        }
    }));
    if (wipe) {
        world.at(Instant::zero() + milliseconds(50), [n1](World& w) { w.wipe_disk(n1); });
        world.at(Instant::zero() + milliseconds(60), [n1](World& w) { w.restart(n1); });
    }
    world.run_until(Instant::zero() + milliseconds(1'000));
    return monitor->violations();
}

}  // namespace

TEST_CASE("crdt invariants: a counter that only grows passes, one whose entry goes down is reported", "[crdt]") {
    REQUIRE(annotate(crdt::CrdtType::g_counter, {"n1.0:1", "n1.0:2,n2.0:1", "n1.0:5,n2.0:1"}).empty());
    const auto v = annotate(crdt::CrdtType::g_counter, {"n1.0:1", "n1.0:3,n2.0:1", "n1.0:2,n2.0:4"});
    REQUIRE(v.size() == 1);
    REQUIRE(v[0].invariant == "state_only_grows");
    REQUIRE(v[0].detail.find("n1 replaced its state of k (n1.0:3,n2.0:1)") != std::string::npos);
}

TEST_CASE("crdt invariants: an OR-Set may drop a tag it saw removed, never forget a dot", "[crdt]") {
    // Removing x keeps its dot in the context: up the lattice.
    REQUIRE(annotate(crdt::CrdtType::or_set, {"n1.0:1=+x|n1.0:1;", "|n1.0:1;", "n1.0:2=+y|n1.0:2;"}).empty());
    // Losing the context too (as if x had never been added) is a step down.
    REQUIRE(annotate(crdt::CrdtType::or_set, {"n1.0:1=+x|n1.0:1;", "|;", "|;"}).size() == 1);
}

TEST_CASE("crdt invariants: after a disk wipe a replica starts over without blame", "[crdt]") {
    REQUIRE(annotate(crdt::CrdtType::g_counter, {"n1.0:1", "n1.0:3", "n1.1:1"}, true).empty());
    REQUIRE(annotate(crdt::CrdtType::g_counter, {"n1.0:1", "n1.0:3", "n1.1:1"}, false).size() == 1);
}

TEST_CASE("crdt invariants: an annotation that does not decode is reported", "[crdt]") {
    const auto v = annotate(crdt::CrdtType::g_counter, {"n1.0:1", "n1.0:zero"});
    REQUIRE(v.size() == 1);
    REQUIRE(v[0].detail.find("does not decode") != std::string::npos);
}
