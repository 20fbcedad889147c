// Local clocks: offset, drift and jumps, and timers that follow the local clock.
// Method: set a timer in local time on a node whose clock drifts or jumps, and read the true time
// at which it fired from the trace; a kernel that used true time for timers fails every case.
#include "test_nodes.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::test;

namespace {
// Sets one timer of `delay` at start and records the true time it fired.
class OneTimer final : public Process {
public:
    OneTimer(Duration delay, std::vector<Instant>* fired, World* w) : delay_(delay), fired_(fired), world_(w) {}
    void on_start(Context& ctx) override { ctx.set_timer(delay_); }
    void on_timer(Context&, TimerId, uint64_t) override { fired_->push_back(world_->now()); }

private:
    Duration delay_;
    std::vector<Instant>* fired_;
    World* world_;
};

Instant fire_time(NodeOptions options, Duration delay, std::function<void(World&, NodeId)> meddle = {}) {
    std::vector<Instant> fired;
    World w(WorldOptions{.seed = 1});
    NodeId n = w.add_node("n", [&] { return std::make_unique<OneTimer>(delay, &fired, &w); }, options);
    if (meddle) meddle(w, n);
    w.run();
    REQUIRE(fired.size() == 1);
    return fired[0];
}
}  // namespace

TEST_CASE("clock: the local clock applies offset and drift", "[sim][clock]") {
    LocalClock c(milliseconds(5), 100.0);  // 100 ppm fast: +100us per second
    REQUIRE(c.local(Instant::zero()) == Instant::zero() + milliseconds(5));
    REQUIRE(c.local(Instant::zero() + seconds(10)) == Instant::zero() + seconds(10) + milliseconds(5) + milliseconds(1));
    REQUIRE(c.true_time_for(c.local(Instant::zero() + seconds(3))) == Instant::zero() + seconds(3));
}

TEST_CASE("clock: a jump steps the reading and a drift change keeps it continuous", "[sim][clock]") {
    LocalClock c;
    c.jump(Instant::zero() + seconds(1), milliseconds(-300));
    REQUIRE(c.local(Instant::zero() + seconds(1)) == Instant::zero() + milliseconds(700));
    Instant before = c.local(Instant::zero() + seconds(2));
    c.set_drift(Instant::zero() + seconds(2), -500.0);
    REQUIRE(c.local(Instant::zero() + seconds(2)) == before);
    REQUIRE(c.local(Instant::zero() + seconds(4)) == before + seconds(2) - milliseconds(1));
}

TEST_CASE("clock: a drifting clock moves a timer's true firing time", "[sim][clock]") {
    Instant steady = fire_time({}, seconds(10));
    Instant fast = fire_time({.clock_drift_ppm = 1000.0}, seconds(10));   // 1 ms per second fast
    Instant slow = fire_time({.clock_drift_ppm = -1000.0}, seconds(10));
    REQUIRE(steady == Instant::zero() + seconds(10));
    REQUIRE(fast < steady);
    REQUIRE(slow > steady);
    REQUIRE((steady - fast) > milliseconds(9));
    REQUIRE((steady - fast) < milliseconds(11));
}

TEST_CASE("clock: a jump forward fires a pending timer early, a jump back delays it", "[sim][clock]") {
    auto jump_at_1s = [](Duration delta) {
        return [delta](World& w, NodeId n) {
            w.at(Instant::zero() + seconds(1), [n, delta](World& world) { world.jump_clock(n, delta); });
        };
    };
    REQUIRE(fire_time({}, seconds(5), jump_at_1s(seconds(3))) == Instant::zero() + seconds(2));
    REQUIRE(fire_time({}, seconds(5), jump_at_1s(seconds(-2))) == Instant::zero() + seconds(7));
}

TEST_CASE("clock: node code sees its local time, the trace records both", "[sim][clock]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1});
    NodeId r = w.add_node("r", recorder(&got, &w), NodeOptions{.clock_offset = seconds(100)});
    w.add_node("s", sender(r, 1));
    w.run();
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].local_time - got[0].true_time == seconds(100));
    bool seen = false;
    for (const auto& e : w.trace().events()) {
        if (e.kind != EventKind::deliver) continue;
        REQUIRE(e.local_time - e.time == seconds(100));
        seen = true;
    }
    REQUIRE(seen);
}
