// The run loop stops at quiescence, at a time limit, at an event-count limit, or on request.
#include "test_nodes.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::test;

namespace {
// Ticks forever on a 10 ms timer: never quiescent.
class Ticker final : public Process {
public:
    void on_start(Context& ctx) override { ctx.set_timer(milliseconds(10)); }
    void on_timer(Context& ctx, TimerId, uint64_t) override { ctx.set_timer(milliseconds(10)); }
};
}  // namespace

TEST_CASE("run loop: stops at a time limit with the clock at the limit", "[sim][run]") {
    World w(WorldOptions{.seed = 1});
    w.add_node("t", [] { return std::make_unique<Ticker>(); });
    auto r = w.run_for(milliseconds(95));
    REQUIRE(r.reason == StopReason::time_limit);
    REQUIRE(w.now() == Instant::zero() + milliseconds(95));
    REQUIRE(w.trace().count(EventKind::timer_fire) == 9);
}

TEST_CASE("run loop: stops after an event-count limit and continues from there", "[sim][run]") {
    World w(WorldOptions{.seed = 1});
    w.add_node("t", [] { return std::make_unique<Ticker>(); });
    auto r = w.run(RunLimits{.max_events = 5});
    REQUIRE(r.reason == StopReason::event_limit);
    REQUIRE(r.events == 5);
    auto r2 = w.run(RunLimits{.max_events = 5});
    REQUIRE(r2.events == 5);
    REQUIRE(w.events_processed() == 10);
}

TEST_CASE("run loop: stops when quiescent, and on request from an action", "[sim][run]") {
    World w(WorldOptions{.seed = 1});
    w.add_node("idle", idle());
    REQUIRE(w.run().reason == StopReason::quiescent);
    World w2(WorldOptions{.seed = 1});
    w2.add_node("t", [] { return std::make_unique<Ticker>(); });
    w2.at(Instant::zero() + seconds(1), [](World& world) { world.stop(); });
    auto r = w2.run();
    REQUIRE(r.reason == StopReason::stopped);
    REQUIRE(w2.now() == Instant::zero() + seconds(1));
}
