// Fibers: sleep, receive with timeout, request/reply call with timeout, and their end at a crash.
// Method: a client fiber against handler-style and fiber-style servers; times are read from the
// kernel, outcomes from the fiber's own log. Both programming styles appear side by side.
#include "test_nodes.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::test;

TEST_CASE("fiber: sleep blocks for local time and resumes", "[sim][fiber]") {
    std::vector<Instant> woke;
    World w(WorldOptions{.seed = 1});
    w.add_node("c", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(5));
        woke.push_back(w.now());
        ctx.sleep(milliseconds(7));
        woke.push_back(w.now());
    }));
    auto result = w.run();
    REQUIRE(result.reason == StopReason::quiescent);
    REQUIRE(woke == std::vector<Instant>{Instant::zero() + milliseconds(5), Instant::zero() + milliseconds(12)});
    REQUIRE(w.trace().count(EventKind::fiber_exit) == 1);
}

TEST_CASE("fiber: call gets the reply from a handler-style server", "[sim][fiber]") {
    std::optional<int64_t> answer;
    World w(WorldOptions{.seed = 1});
    NodeId server = w.add_node("echo", [] { return std::make_unique<Echo>(); });
    w.add_node("c", fiber_process([&](Context& ctx) {
        auto reply = ctx.call(server, Note{5}, milliseconds(100));
        if (reply) answer = reply->get<Note>().value;
    }));
    w.run();
    REQUIRE(answer == 1005);
}

TEST_CASE("fiber: call times out when the server is partitioned away, and a late reply is dropped", "[sim][fiber]") {
    std::vector<std::string> log;
    World w(WorldOptions{.seed = 1, .network = LinkConfig{.latency = LatencyModel::constant(milliseconds(30))}});
    NodeId server = w.add_node("echo", [] { return std::make_unique<Echo>(); });
    w.add_node("c", fiber_process([&](Context& ctx) {
        auto first = ctx.call(server, Note{1}, milliseconds(40));  // round trip is 60 ms
        log.push_back(first ? "reply" : "timeout");
        ctx.sleep(milliseconds(100));
        auto second = ctx.call(server, Note{2}, milliseconds(100));
        log.push_back(second ? "reply " + std::to_string(second->get<Note>().value) : "timeout");
    }));
    w.run();
    REQUIRE(log == std::vector<std::string>{"timeout", "reply 1002"});
    uint64_t late = 0;
    for (const auto& e : w.trace().events())
        late += e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(DropReason::late_reply);
    REQUIRE(late == 1);
}

TEST_CASE("fiber: receive gets messages in arrival order and times out when none come", "[sim][fiber]") {
    std::vector<int64_t> values;
    bool timed_out = false;
    World w(WorldOptions{.seed = 1});
    NodeId inbox = w.add_node("inbox", fiber_process([&](Context& ctx) {
        while (auto m = ctx.receive(milliseconds(50))) values.push_back(m->get<Note>().value);
        timed_out = true;
    }));
    w.add_node("s", sender(inbox, 3));
    w.run();
    REQUIRE(values == std::vector<int64_t>{0, 1, 2});
    REQUIRE(timed_out);
}

TEST_CASE("fiber: a fiber-style server and a fiber client talk both ways", "[sim][fiber]") {
    std::vector<int64_t> answers;
    World w(WorldOptions{.seed = 1});
    NodeId server = w.add_node("server", fiber_process([](Context& ctx) {
        while (auto m = ctx.receive()) ctx.reply(*m, Note{m->get<Note>().value * 2});
    }));
    w.add_node("client", fiber_process([&](Context& ctx) {
        for (int i = 1; i <= 3; ++i) {
            auto r = ctx.call(server, Note{i}, milliseconds(10));
            answers.push_back(r ? r->get<Note>().value : -1);
        }
    }));
    w.run();
    REQUIRE(answers == std::vector<int64_t>{2, 4, 6});
}

TEST_CASE("fiber: a crash unwinds blocked fibers (destructors run) and a restart starts afresh", "[sim][fiber][crash]") {
    int started = 0, unwound = 0, finished = 0;
    struct Guard {
        int* counter;
        ~Guard() { ++*counter; }
    };
    World w(WorldOptions{.seed = 1});
    NodeId n = w.add_node("n", fiber_process([&](Context& ctx) {
        ++started;
        Guard g{&unwound};
        ctx.sleep(seconds(10));
        ++finished;
    }));
    w.at(Instant::zero() + seconds(1), [n](World& world) { world.crash(n); });
    w.at(Instant::zero() + seconds(2), [n](World& world) { world.restart(n); });
    w.run_until(Instant::zero() + seconds(5));
    REQUIRE(started == 2);
    REQUIRE(unwound == 1);
    REQUIRE(finished == 0);
    w.run();
    REQUIRE(finished == 1);
    REQUIRE(unwound == 2);
}

TEST_CASE("fiber: many fibers on one node interleave deterministically", "[sim][fiber]") {
    auto order_for = [](uint64_t seed) {
        std::vector<int> order;
        World w(WorldOptions{.seed = seed});
        w.add_node("n", fiber_process([&](Context& ctx) {
            for (int f = 0; f < 20; ++f) {
                ctx.spawn("worker", [&order, f](Context& c) {
                    for (int i = 0; i < 3; ++i) {
                        c.sleep(microseconds(c.rng().uniform_int(1, 100)));
                        order.push_back(f);
                    }
                });
            }
        }));
        w.run();
        return order;
    };
    auto a = order_for(11);
    REQUIRE(a.size() == 60);
    REQUIRE(a == order_for(11));
    REQUIRE(a != order_for(12));
}
