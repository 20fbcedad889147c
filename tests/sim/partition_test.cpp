// Partition shapes and their effect on delivery: groups, one-way cuts, isolation,
// majority/minority, bridge, majorities ring, heal, and messages cut while in flight.
// Method: check each shape's reachability matrix against its definition, then send through a
// World and read the drop reasons from the trace.
#include "test_nodes.h"

#include <catch2/catch.hpp>

#include <set>

using namespace faultline;
using namespace faultline::test;

namespace {
bool reaches(const Partition& p, NodeId a, NodeId b) { return !p.cut(a, b); }
}  // namespace

TEST_CASE("partition: groups talk only within themselves", "[sim][partition]") {
    auto p = Partition::groups(5, {{0, 1}, {2, 3, 4}});
    REQUIRE(reaches(p, 0, 1));
    REQUIRE(reaches(p, 2, 4));
    REQUIRE_FALSE(reaches(p, 1, 2));
    REQUIRE_FALSE(reaches(p, 4, 0));
    REQUIRE(p.describe({"n1", "n2", "n3", "n4", "n5"}) == "{n1,n2} | {n3,n4,n5}");
}

TEST_CASE("partition: a one-way cut loses one direction only", "[sim][partition]") {
    auto p = Partition::one_way(3, 0, 1);
    REQUIRE_FALSE(reaches(p, 0, 1));
    REQUIRE(reaches(p, 1, 0));
    REQUIRE(reaches(p, 0, 2));
    REQUIRE(p.as_groups().empty());  // not symmetric, so not a grouping
    REQUIRE(p.describe({"a", "b", "c"}) == "a-x->b");
}

TEST_CASE("partition: isolate cuts one node from all, both ways", "[sim][partition]") {
    auto p = Partition::isolate(4, 2);
    for (NodeId other : {0u, 1u, 3u}) {
        REQUIRE_FALSE(reaches(p, 2, other));
        REQUIRE_FALSE(reaches(p, other, 2));
    }
    REQUIRE(reaches(p, 0, 3));
}

TEST_CASE("partition: majority/minority splits floor(n/2) from the rest", "[sim][partition]") {
    auto p = Partition::majority_minority(5, {4, 0, 1, 2, 3});
    auto groups = p.as_groups();
    REQUIRE(groups.size() == 2);
    REQUIRE(groups[0] == std::vector<NodeId>{0, 4});     // the first two of the order
    REQUIRE(groups[1] == std::vector<NodeId>{1, 2, 3});
}

TEST_CASE("partition: a bridge node sees both halves, which do not see each other", "[sim][partition]") {
    auto p = Partition::bridge(5, {0, 1, 2, 3, 4});  // 2 is the bridge
    REQUIRE_FALSE(reaches(p, 0, 3));
    REQUIRE_FALSE(reaches(p, 4, 1));
    for (NodeId x : {0u, 1u, 3u, 4u}) {
        REQUIRE(reaches(p, 2, x));
        REQUIRE(reaches(p, x, 2));
    }
    REQUIRE(reaches(p, 0, 1));
    REQUIRE(reaches(p, 3, 4));
}

TEST_CASE("partition: in a majorities ring every node sees a bare majority, each a different one", "[sim][partition]") {
    auto p = Partition::majorities_ring(5, {0, 1, 2, 3, 4});
    std::set<std::vector<NodeId>> views;
    for (NodeId a = 0; a < 5; ++a) {
        std::vector<NodeId> view;
        for (NodeId b = 0; b < 5; ++b)
            if (reaches(p, a, b)) view.push_back(b);
        REQUIRE(view.size() == 3);
        views.insert(view);
    }
    REQUIRE(views.size() == 5);
}

TEST_CASE("partition: messages across a cut are dropped with reason partition, heal restores", "[sim][partition]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1});
    w.add_node("r", recorder(&got, &w));
    w.add_node("s1", sender(0, 3));  // sends when the run starts
    w.set_partition(Partition::isolate(2, 0));
    w.run();
    REQUIRE(got.empty());
    uint64_t partition_drops = 0;
    for (const auto& e : w.trace().events())
        if (e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(DropReason::partition)) ++partition_drops;
    REQUIRE(partition_drops == 3);
    w.heal();
    w.add_node("s2", sender(0, 3));
    w.run();
    REQUIRE(got.size() == 3);
}

TEST_CASE("partition: a cut made while a message is in flight drops it on arrival", "[sim][partition]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1, .network = LinkConfig{.latency = LatencyModel::constant(milliseconds(10))}});
    NodeId r = w.add_node("r", recorder(&got, &w));
    w.add_node("s", sender(r, 1));
    w.at(Instant::zero() + milliseconds(5), [](World& world) { world.set_partition(Partition::isolate(2, 0)); });
    w.run();
    REQUIRE(got.empty());
    bool found = false;
    for (const auto& e : w.trace().events())
        found |= e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(DropReason::partition_in_flight);
    REQUIRE(found);
}

TEST_CASE("partition: shapes compose with merge, cutting what either cuts", "[sim][partition]") {
    auto one_way = Partition::one_way(4, 0, 1);
    auto isolated = Partition::isolate(4, 3);
    auto both = one_way.merge(isolated);
    REQUIRE_FALSE(reaches(both, 0, 1));  // from the one-way cut
    REQUIRE(reaches(both, 1, 0));
    REQUIRE_FALSE(reaches(both, 2, 3));  // from the isolation
    REQUIRE_FALSE(reaches(both, 3, 0));
    REQUIRE(reaches(both, 0, 2));        // neither cuts it
}
