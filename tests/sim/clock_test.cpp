// Local clocks: offset, drift and jumps, and timers that follow the local clock.
// Method: set a timer in local time on a node whose clock drifts or jumps, and read the true time
// at which it fired from the trace; a kernel that used true time for timers fails every case.
#include "test_nodes.h"

#include <catch2/catch.hpp>

#include <cmath>

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

TEST_CASE("clock: the 64-bit paths read and invert exactly as 128-bit arithmetic does", "[sim][clock]") {
    // The reference: the model in 128-bit integers throughout, the reading and its inverse as the
    // clock computed them before its 64-bit fast paths (timers' firing times are in every trace
    // hash, so the inverse must agree to the nanosecond, not only be a valid inverse). Drifts from tiny to near -1e6 ppm and spans from nanoseconds to a
    // century reach the no-drift path, the split division and the 128-bit fallback.
    auto reference_local = [](int64_t base_true, int64_t base_local, int64_t ppb, int64_t t) {
        __int128 elapsed = static_cast<__int128>(t) - base_true;
        return static_cast<int64_t>(base_local + elapsed + (elapsed * ppb) / 1'000'000'000);
    };
    auto reference_true_time_for = [&](int64_t base_true, int64_t base_local, int64_t ppb, int64_t deadline) {
        if (deadline <= base_local) return base_true;
        __int128 want = static_cast<__int128>(deadline) - base_local;
        __int128 rate = 1'000'000'000 + ppb;
        __int128 elapsed = (want * 1'000'000'000 + rate - 1) / rate;
        if (elapsed > 0) --elapsed;
        auto t = static_cast<int64_t>(base_true + elapsed);
        while (reference_local(base_true, base_local, ppb, t) < deadline) ++t;
        return t;
    };
    Rng rng(7);
    const double drifts[] = {0.0, 0.001, 1.0, -1.0, 500.0, -500.0, 10'000.0, 250'000.0, -999'999.0};
    const int64_t spans[] = {1, 999, 1'000'000, 9'000'000'000, 90'000'000'000, 4'000'000'000'000'000'000};
    for (double ppm : drifts) {
        for (int64_t span : spans) {
            for (int i = 0; i < 50; ++i) {
                LocalClock c(nanoseconds(static_cast<int64_t>(rng.below(1'000'000))), 0.0);
                Instant at = Instant::from_ns(static_cast<int64_t>(rng.below(1'000'000'000)));
                c.set_drift(at, ppm);  // re-bases at `at`
                const int64_t base_local = c.local(at).ns();
                const auto ppb = static_cast<int64_t>(std::llround(ppm * 1000.0));
                const int64_t t = at.ns() + 1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(span)));
                REQUIRE(c.local(Instant::from_ns(t)).ns() == reference_local(at.ns(), base_local, ppb, t));
                // The inverse: the earliest true time reading the deadline, and nothing earlier.
                // (A clock at a millionth of true speed reaches a far deadline after the end of time.)
                const int64_t ahead = ppm < -900'000.0 ? std::min<int64_t>(span, 1'000'000'000'000) : span;
                const Instant deadline = Instant::from_ns(base_local + 1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(ahead))));
                REQUIRE(c.true_time_for(deadline).ns() == reference_true_time_for(at.ns(), base_local, ppb, deadline.ns()));
            }
        }
    }
}

TEST_CASE("clock: a deadline no true time reaches maps to never", "[sim][clock]") {
    // A timer set for "never" (a saturated deadline) on a clock behind true time, running at
    // true speed or slower: the true time would be past the end of time, so it is Instant::max().
    // (A fast clock reads Instant::max() a little before the end of time: a real answer.)
    for (double ppm : {0.0, -500.0}) {
        LocalClock c(milliseconds(-5), ppm);
        c.set_drift(Instant::zero() + seconds(2), ppm);
        REQUIRE(c.true_time_for(Instant::max()) == Instant::max());
    }
    LocalClock slow(Duration::zero(), -999'000.0);  // a thousandth of true speed
    REQUIRE(slow.true_time_for(Instant::from_ns(int64_t{1} << 54)) == Instant::max());
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
