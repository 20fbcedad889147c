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

// The queue reuses its slots: popping below its size and pushing again, many times over, and
// emptying it with clear(), must keep the order a sorted reference gives.
TEST_CASE("event queue: interleaved pushes and pops keep the order, across growth and clear", "[sim][queue]") {
    EventQueue q;
    Rng r(11);
    std::vector<QueuedEvent> reference;  // kept sorted by (at, seq)
    auto by_order = [](const QueuedEvent& a, const QueuedEvent& b) { return a.before(b); };
    uint64_t seq = 0;
    for (int round = 0; round < 2'000; ++round) {
        auto pushes = r.below(10);  // one more than popped on average: it grows past 64 slots
        for (uint64_t i = 0; i < pushes; ++i) {
            QueuedEvent e;
            e.at = Instant::from_ns(static_cast<int64_t>(r.below(50)));
            e.a = seq;
            q.push(e, seq++);
            e.seq = seq - 1;
            reference.insert(std::upper_bound(reference.begin(), reference.end(), e, by_order), e);
        }
        auto pops = std::min<uint64_t>(r.below(8), reference.size());
        for (uint64_t i = 0; i < pops; ++i) {
            QueuedEvent got = q.pop();
            REQUIRE(got.seq == reference.front().seq);
            REQUIRE(got.a == reference.front().a);
            reference.erase(reference.begin());
        }
        REQUIRE(q.size() == reference.size());
        if (round == 1'000) {
            q.clear();
            reference.clear();
            REQUIRE(q.empty());
        }
    }
}
