// The trace: causal links, Lamport timestamps, payload text by level, a level-independent hash,
// observers, buggify sites.
#include "test_nodes.h"

#include "tests/sim/kernel_tour.h"

#include <catch2/catch.hpp>

#include <map>

using namespace faultline;
using namespace faultline::test;

TEST_CASE("trace: every delivery links to its send, and Lamport time respects causality", "[sim][trace]") {
    World w(WorldOptions{.seed = 1, .trace_level = TraceLevel::full});
    NodeId echo = w.add_node("echo", [] { return std::make_unique<Echo>(); });
    w.add_node("c", fiber_process([&](Context& ctx) {
        for (int i = 0; i < 5; ++i) ctx.call(echo, Note{i}, milliseconds(10));
    }));
    w.run();
    const auto& ev = w.trace().events();
    int deliveries = 0;
    for (const auto& e : ev) {
        REQUIRE(e.index < ev.size());
        if (e.kind != EventKind::deliver) continue;
        ++deliveries;
        REQUIRE(e.cause != no_event);
        const TraceEvent& send = ev[e.cause];
        REQUIRE(send.kind == EventKind::send);
        REQUIRE(send.id == e.id);
        REQUIRE(send.node == e.peer);
        REQUIRE(send.time <= e.time);
        REQUIRE(send.lamport < e.lamport);
        REQUIRE(e.text == send.text);  // full level: payload text on both
        REQUIRE_FALSE(e.text.empty());
    }
    REQUIRE(deliveries == 10);
    for (std::size_t i = 1; i < ev.size(); ++i) REQUIRE(ev[i - 1].time <= ev[i].time);
}

TEST_CASE("trace: the hash does not depend on the trace level", "[sim][trace][determinism]") {
    uint64_t hashes[3];
    TraceLevel levels[3] = {TraceLevel::off, TraceLevel::events, TraceLevel::full};
    for (int i = 0; i < 3; ++i) {
        test::tour::DemoOptions o;
        o.seed = 5;
        o.trace_level = levels[i];
        hashes[i] = test::tour::run_demo(o).trace_hash;
    }
    REQUIRE(hashes[0] == hashes[1]);
    REQUIRE(hashes[1] == hashes[2]);
}

TEST_CASE("trace: level off stores nothing but still counts and hashes", "[sim][trace]") {
    World w(WorldOptions{.seed = 1, .trace_level = TraceLevel::off});
    NodeId echo = w.add_node("echo", [] { return std::make_unique<Echo>(); });
    w.add_node("s", sender(echo, 10));
    w.run();
    REQUIRE(w.trace().events().empty());
    REQUIRE(w.trace().count(EventKind::send) == 20);  // 10 notes + 10 echoes
    REQUIRE(w.trace().size() > 20);
}

TEST_CASE("trace: observers see annotations as they happen", "[sim][trace]") {
    struct Annotator final : Process {
        void on_start(Context& ctx) override {
            ctx.annotate("role", "leader");
            ctx.annotate("term", "3");
        }
    };
    World w(WorldOptions{.seed = 1, .trace_level = TraceLevel::off});
    std::vector<std::string> seen;
    w.trace().add_observer([&](const TraceEvent& e, const Trace& t) {
        if (e.kind == EventKind::annotate) seen.push_back(t.name(e.name) + "=" + e.text.str());
    });
    w.add_node("n1", [] { return std::make_unique<Annotator>(); });
    w.run();
    REQUIRE(seen == std::vector<std::string>{"role=leader", "term=3"});
}

TEST_CASE("trace: an observer sees exactly the kinds it asks for, at every level", "[sim][trace]") {
    for (TraceLevel level : {TraceLevel::off, TraceLevel::events}) {
        World w(WorldOptions{.seed = 1, .trace_level = level});
        NodeId echo = w.add_node("echo", [] { return std::make_unique<Echo>(); });
        w.add_node("s", sender(echo, 10));
        std::map<EventKind, int> all, sends;
        w.trace().add_observer([&](const TraceEvent& e, const Trace&) { ++all[e.kind]; });
        w.trace().add_observer([&](const TraceEvent& e, const Trace&) { ++sends[e.kind]; }, {EventKind::send});
        w.run();
        REQUIRE(sends == std::map<EventKind, int>{{EventKind::send, 20}});
        REQUIRE(all[EventKind::send] == 20);
        REQUIRE(all[EventKind::deliver] == 20);  // the narrow observer does not narrow the other
    }
}

TEST_CASE("trace: a sampler runs at the first event at or after each instant it asks for", "[sim][trace]") {
    // The same rule, written as an observer of every event: the instants must agree.
    World w(WorldOptions{.seed = 3, .trace_level = TraceLevel::off});
    NodeId echo = w.add_node("echo", [] { return std::make_unique<Echo>(); });
    w.add_node("c", fiber_process([&](Context& ctx) {
        for (int i = 0; i < 40; ++i) {
            ctx.send(echo, Note{i});
            ctx.sleep(microseconds(700));
        }
    }));
    const Duration every = microseconds(1500);
    std::vector<Instant> sampled, expected;
    Instant next = Instant::zero() + milliseconds(2);
    w.trace().add_observer([&](const TraceEvent& e, const Trace&) {
        if (e.time < next) return;
        expected.push_back(e.time);
        next = e.time + every;
    });
    w.trace().add_sampler(
        [&](Instant now) {
            sampled.push_back(now);
            return now + every;
        },
        Instant::zero() + milliseconds(2));
    w.run();
    REQUIRE(expected.size() > 10);
    REQUIRE(sampled == expected);
}

TEST_CASE("buggify: off unless enabled, and when enabled sites switch on per seed and fire", "[sim][buggify]") {
    auto fired = [](bool enabled, uint64_t seed) {
        int count = 0;
        struct B final : Process {
            int* count;
            explicit B(int* c) : count(c) {}
            void on_start(Context& ctx) override {
                for (int i = 0; i < 1000; ++i) *count += ctx.buggify("test.site", 0.5);
            }
        };
        World w(WorldOptions{.seed = seed, .buggify = enabled});
        w.add_node("n", [&] { return std::make_unique<B>(&count); });
        w.run();
        return count;
    };
    REQUIRE(fired(false, 1) == 0);
    int on = 0, off = 0;
    for (uint64_t seed = 0; seed < 40; ++seed) {
        int c = fired(true, seed);
        if (c == 0) ++off;
        else {
            ++on;
            REQUIRE(c > 400);
            REQUIRE(c < 600);
        }
    }
    REQUIRE(on > 0);   // about a quarter of seeds switch the site on
    REQUIRE(off > on);
}

TEST_CASE("buggify: listed sites are on in every seed, and the others off", "[sim][buggify]") {
    auto fired = [](uint64_t seed, std::vector<std::string> sites) {
        std::map<std::string, int> count;
        struct B final : Process {
            std::map<std::string, int>* count;
            explicit B(std::map<std::string, int>* c) : count(c) {}
            void on_start(Context& ctx) override {
                for (int i = 0; i < 100; ++i)
                    for (const char* site : {"test.a", "test.b"}) (*count)[site] += ctx.buggify(site, 0.5);
            }
        };
        World w(WorldOptions{.seed = seed, .buggify = true, .buggify_sites = std::move(sites)});
        w.add_node("n", [&] { return std::make_unique<B>(&count); });
        w.run();
        return count;
    };
    for (uint64_t seed = 0; seed < 20; ++seed) {
        auto c = fired(seed, {"test.b"});
        REQUIRE(c["test.a"] == 0);
        REQUIRE(c["test.b"] > 20);
    }
}

TEST_CASE("crash_and_restart: the node crashes after its handler, with its sends on the wire, and comes back",
          "[sim][buggify]") {
    // Method: n1 sends a note to n2, then asks to crash for 30 ms. The note arrives; n1 is down
    // right after its handler and up again 30 ms later, in its next incarnation.
    struct Sender final : Process {
        void on_start(Context& ctx) override {
            if (ctx.incarnation() > 0) return;
            ctx.send(ctx.find_node("n2").value(), test::Note{7});
            ctx.crash_and_restart(milliseconds(30));
        }
    };
    std::vector<test::Received> got;
    World w(WorldOptions{.seed = 1});
    const NodeId n1 = w.add_node("n1", [] { return std::make_unique<Sender>(); });
    w.add_node("n2", [&] { return std::make_unique<test::Recorder>(&got, &w); });
    w.run_until(Instant::zero() + milliseconds(1));
    REQUIRE_FALSE(w.is_up(n1));
    w.run_until(Instant::zero() + milliseconds(29));
    REQUIRE_FALSE(w.is_up(n1));
    w.run_until(Instant::zero() + milliseconds(31));
    REQUIRE(w.is_up(n1));
    REQUIRE(w.incarnation(n1) == 1);
    w.run();
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].value == 7);
}

TEST_CASE("trace: past its events bound a trace lets every event go, and hashes and counts them still", "[sim][trace][determinism]") {
    auto run = [](uint64_t events_max) {
        auto w = std::make_unique<World>(WorldOptions{.seed = 3, .trace_level = TraceLevel::full, .trace_events_max = events_max});
        NodeId echo = w->add_node("echo", [] { return std::make_unique<Echo>(); });
        w->add_node("c", fiber_process([echo](Context& ctx) {
            for (int i = 0; i < 3000; ++i) ctx.call(echo, Note{i}, milliseconds(10));
        }));
        w->run();
        return w;
    };
    const auto whole = run(UINT64_MAX);
    REQUIRE(whole->trace().size() > 10'000);
    REQUIRE_FALSE(whole->trace().dropped());
    REQUIRE(whole->trace().events().size() == whole->trace().size());
    const auto bounded = run(5'000);
    REQUIRE(bounded->trace().dropped());
    REQUIRE(bounded->trace().events().empty());
    REQUIRE(bounded->trace().size() == whole->trace().size());
    REQUIRE(bounded->trace().hash() == whole->trace().hash());
    REQUIRE(bounded->trace().count(EventKind::deliver) == whole->trace().count(EventKind::deliver));
}
