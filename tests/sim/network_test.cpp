// The simulated network: latency distributions, loss, duplication, reordering, per-link overrides,
// and drops that say why in the trace.
// Method: many messages between named nodes, then statistics over what the recorder received and
// what the trace says; each figure would be wrong if its knob were ignored.
#include "test_nodes.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::test;

namespace {
uint64_t p_drops(const World& w, DropReason why) {
    uint64_t n = 0;
    for (const auto& e : w.trace().events())
        if (e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(why)) ++n;
    return n;
}

struct Pair {
    std::vector<Received> got;
    World world;
    NodeId a = 0, b = 0;
    Pair(LinkConfig link, int count, uint64_t seed = 1) : world(WorldOptions{.seed = seed, .network = link}) {
        b = 1;
        a = world.add_node("a", sender(b, count));
        world.add_node("b", recorder(&got, &world));
        world.run();
    }
    uint64_t drops(DropReason why) const { return p_drops(world, why); }
};
}  // namespace

TEST_CASE("network: constant latency delivers everything after exactly that delay", "[sim][network]") {
    Pair p(LinkConfig{.latency = LatencyModel::constant(milliseconds(3))}, 100);
    REQUIRE(p.got.size() == 100);
    for (const auto& r : p.got) REQUIRE(r.true_time == Instant::zero() + milliseconds(3));
    // Equal latencies keep send order (the queue breaks ties by insertion).
    for (std::size_t i = 0; i < p.got.size(); ++i) REQUIRE(p.got[i].value == static_cast<int64_t>(i));
}

TEST_CASE("network: uniform and exponential latencies have the right range and mean", "[sim][network]") {
    Pair u(LinkConfig{.latency = LatencyModel::uniform(milliseconds(1), milliseconds(5))}, 20'000);
    double sum = 0;
    for (const auto& r : u.got) {
        REQUIRE(r.true_time >= Instant::zero() + milliseconds(1));
        REQUIRE(r.true_time <= Instant::zero() + milliseconds(5));
        sum += static_cast<double>(r.true_time.ns());
    }
    REQUIRE(sum / u.got.size() == Approx(3e6).epsilon(0.02));

    Pair e(LinkConfig{.latency = LatencyModel::exponential(milliseconds(1), milliseconds(4))}, 20'000);
    sum = 0;
    for (const auto& r : e.got) sum += static_cast<double>(r.true_time.ns());
    REQUIRE(sum / e.got.size() == Approx(5e6).epsilon(0.03));
}

TEST_CASE("network: a long-tail latency has most messages near the base and a few far out", "[sim][network]") {
    Pair p(LinkConfig{.latency = LatencyModel::long_tail(milliseconds(1), 1.5, seconds(5))}, 20'000);
    std::vector<int64_t> l;
    for (const auto& r : p.got) l.push_back(r.true_time.ns());
    std::sort(l.begin(), l.end());
    int64_t median = l[l.size() / 2];
    int64_t p999 = l[l.size() * 999 / 1000];
    REQUIRE(median < milliseconds(2).ns());
    REQUIRE(p999 > 30 * median);
    REQUIRE(l.back() <= seconds(5).ns());
}

TEST_CASE("network: loss drops about that fraction, each drop traced with reason loss", "[sim][network]") {
    Pair p(LinkConfig{.loss = 0.25}, 20'000);
    double delivered = static_cast<double>(p.got.size()) / 20'000;
    REQUIRE(delivered == Approx(0.75).epsilon(0.02));
    REQUIRE(p.drops(DropReason::loss) == 20'000 - p.got.size());
}

TEST_CASE("network: duplication delivers extra copies, each traced as a duplicate", "[sim][network]") {
    Pair p(LinkConfig{.duplicate = 0.1}, 20'000);
    double extra = static_cast<double>(p.got.size() - 20'000) / 20'000;
    REQUIRE(extra == Approx(0.1).epsilon(0.05));
    REQUIRE(p.world.trace().count(EventKind::duplicate) == p.got.size() - 20'000);
}

TEST_CASE("network: the reorder knob makes messages overtake each other", "[sim][network]") {
    auto inversions = [](const std::vector<Received>& got) {
        int n = 0;
        for (std::size_t i = 1; i < got.size(); ++i) n += got[i].value < got[i - 1].value;
        return n;
    };
    Pair calm(LinkConfig{.latency = LatencyModel::constant(milliseconds(1))}, 1000);
    Pair shaken(LinkConfig{.latency = LatencyModel::constant(milliseconds(1)), .reorder = 0.3,
                           .reorder_window = milliseconds(5)},
                1000);
    REQUIRE(inversions(calm.got) == 0);
    REQUIRE(inversions(shaken.got) > 100);
}

TEST_CASE("network: a per-link override applies to that link only", "[sim][network]") {
    // Two senders to one recorder; only s -> r is slowed down.
    World w(WorldOptions{.seed = 1});
    std::vector<Received> got;
    NodeId s = w.add_node("s", sender(1, 1));
    NodeId r = w.add_node("r", recorder(&got, &w));
    NodeId s2 = w.add_node("s2", sender(r, 1));
    w.set_link(s, r, LinkConfig{.latency = LatencyModel::constant(milliseconds(50))});
    w.run();
    REQUIRE(got.size() == 2);
    REQUIRE(got[0].from == s2);
    REQUIRE(got[0].true_time == Instant::zero() + milliseconds(1));
    REQUIRE(got[1].from == s);
    REQUIRE(got[1].true_time == Instant::zero() + milliseconds(50));
}

TEST_CASE("network: a message dropped by hand in flight is not delivered and is traced as manual", "[sim][network]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1, .network = LinkConfig{.latency = LatencyModel::constant(milliseconds(10))}});
    NodeId r = w.add_node("r", recorder(&got, &w));
    w.add_node("s", sender(r, 2));
    w.run_until(Instant::zero() + milliseconds(5));
    auto flying = w.in_flight();
    REQUIRE(flying.size() == 2);
    REQUIRE(flying[0].type_name == "note");
    REQUIRE(flying[0].arrives_at == Instant::zero() + milliseconds(10));
    REQUIRE(w.drop_in_flight(flying[0].id));
    REQUIRE_FALSE(w.drop_in_flight(flying[0].id));  // already dropped
    REQUIRE(w.in_flight().size() == 1);
    w.run();
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].value == 1);
    REQUIRE(p_drops(w, DropReason::manual) == 1);
}
