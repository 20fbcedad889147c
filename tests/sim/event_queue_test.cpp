// The event queue's order is total: by time, then by insertion sequence.
#include "sim/event_queue.h"
#include "sim/rng.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace faultline;

TEST_CASE("event queue: pops by time, ties in insertion order", "[sim][queue]") {
    EventQueue q;
    Rng r(3);
    std::vector<QueuedEvent> pushed;
    for (uint64_t seq = 0; seq < 10'000; ++seq) {
        QueuedEvent e;
        e.at = Instant::from_ns(static_cast<int64_t>(r.below(100)));  // many ties
        e.seq = seq;
        pushed.push_back(e);
        q.push(e);
    }
    std::stable_sort(pushed.begin(), pushed.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& expected : pushed) {
        QueuedEvent got = q.pop();
        REQUIRE(got.at == expected.at);
        REQUIRE(got.seq == expected.seq);
    }
    REQUIRE(q.empty());
}
