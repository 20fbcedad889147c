// Crashes, restarts, pauses and the disk.
// Method: a node that writes to disk (some synced, some not) and keeps timers and fibers; crash
// it, restart it, and check what survived, what was lost and what the trace says.
#include "test_nodes.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace faultline;
using namespace faultline::test;

namespace {
// On start: reads what survived into `seen`, then writes a synced and an unsynced key.
class Writer final : public Process {
public:
    explicit Writer(std::vector<std::string>* seen) : seen_(seen) {}
    void on_start(Context& ctx) override {
        for (const auto& k : ctx.disk().keys()) {
            auto r = ctx.disk().read(k);
            seen_->push_back(k + (r.status == DiskStatus::corrupt ? ":corrupt" : "=" + r.value));
        }
        ctx.disk().write("synced", "1");
        ctx.sync();
        ctx.disk().write("unsynced", "2");
        ctx.set_timer(seconds(1), 7);
    }
    void on_timer(Context&, TimerId, uint64_t) override { ++*timers_fired; }
    static inline int* timers_fired = nullptr;

private:
    std::vector<std::string>* seen_;
};
}  // namespace

TEST_CASE("crash: unsynced writes are lost, synced ones survive a restart", "[sim][crash][disk]") {
    std::vector<std::string> seen;
    int fired = 0;
    Writer::timers_fired = &fired;
    World w(WorldOptions{.seed = 1});
    NodeId n = w.add_node("n", [&] { return std::make_unique<Writer>(&seen); });
    w.run_until(Instant::zero() + milliseconds(10));
    REQUIRE(w.disk(n).read("unsynced").ok());  // visible before the crash (page cache)
    w.crash(n);
    REQUIRE_FALSE(w.is_up(n));
    REQUIRE_FALSE(w.disk(n).read("unsynced").ok());
    REQUIRE(w.disk(n).read("synced").ok());
    REQUIRE(w.trace().count(EventKind::disk_loss) == 1);
    w.run_until(Instant::zero() + seconds(5));
    REQUIRE(fired == 0);  // the timer died with the node
    w.restart(n);
    w.run_until(Instant::zero() + seconds(10));
    REQUIRE(seen == std::vector<std::string>{"synced=1"});
    REQUIRE(w.incarnation(n) == 1);
    REQUIRE(fired == 1);  // the new incarnation's own timer
}

TEST_CASE("crash: messages in flight to a crashed node are dropped, also across a restart", "[sim][crash]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1, .network = LinkConfig{.latency = LatencyModel::constant(milliseconds(10))}});
    NodeId r = w.add_node("r", recorder(&got, &w));
    w.add_node("s", sender(r, 2));
    w.at(Instant::zero() + milliseconds(2), [r](World& world) { world.crash(r); });
    w.at(Instant::zero() + milliseconds(4), [r](World& world) { world.restart(r); });
    w.run();
    REQUIRE(got.empty());
    uint64_t restarted = 0;
    for (const auto& e : w.trace().events())
        restarted += e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(DropReason::restarted);
    REQUIRE(restarted == 2);

    std::vector<Received> got2;
    World w2(WorldOptions{.seed = 1, .network = LinkConfig{.latency = LatencyModel::constant(milliseconds(10))}});
    NodeId r2 = w2.add_node("r", recorder(&got2, &w2));
    w2.add_node("s", sender(r2, 2));
    w2.at(Instant::zero() + milliseconds(2), [r2](World& world) { world.crash(r2); });
    w2.run();
    uint64_t crashed = 0;
    for (const auto& e : w2.trace().events())
        crashed += e.kind == EventKind::drop && e.reason == static_cast<uint8_t>(DropReason::crashed);
    REQUIRE(crashed == 2);
}

TEST_CASE("disk: a torn write at crash leaves a detectably corrupt prefix", "[sim][disk]") {
    Disk d;
    d.write("a", "0123456789");
    Rng r(1);
    DiskFaults f;
    f.torn_write_probability = 1.0;
    auto report = d.crash(r, f);
    REQUIRE(report.torn_key == std::optional<std::string>("a"));
    auto read = d.read("a");
    REQUIRE(read.status == DiskStatus::corrupt);
    REQUIRE(read.value.size() < 10);
    REQUIRE(std::string("0123456789").rfind(read.value, 0) == 0);  // a prefix
}

TEST_CASE("disk: a corrupted block reads back as corrupt, others stay intact", "[sim][disk]") {
    Disk d;
    d.write("a", "alpha");
    d.write("b", "beta");
    d.make_durable();
    Rng r(2);
    auto key = d.corrupt_random_key(r);
    REQUIRE(key.has_value());
    std::string other = *key == "a" ? "b" : "a";
    REQUIRE(d.read(*key).status == DiskStatus::corrupt);
    REQUIRE(d.read(other).ok());
}

TEST_CASE("disk: keys come back in key order, and a corrupt-block fault picks by key order, not hash order",
          "[sim][disk][determinism]") {
    // The disk keeps its keys in hash maps; nothing that walks them may show their order.
    Disk d;
    std::vector<std::string> written;
    for (int i = 0; i < 500; ++i) {
        std::string key = "k/" + std::to_string((i * 7919) % 1000);  // written out of order
        d.write(key, "v");
        written.push_back(key);
    }
    d.write("other/x", "v");
    std::sort(written.begin(), written.end());
    REQUIRE(d.keys("k/") == written);
    REQUIRE(d.keys("").size() == written.size() + 1);
    REQUIRE(d.keys("").back() == "other/x");
    d.make_durable();

    // The k-th key in sorted order, where k is the rng's first draw below the key count: the same
    // key whatever the hash map's layout (a second disk filled in another order agrees).
    Disk reversed;
    for (auto it = written.rbegin(); it != written.rend(); ++it) reversed.write(*it, "v");
    reversed.write("other/x", "v");
    reversed.make_durable();
    const std::vector<std::string> all = d.keys("");
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        Rng a(seed), b(seed), expect(seed);
        const std::string& want = all[static_cast<std::size_t>(expect.below(all.size()))];
        REQUIRE(d.corrupt_random_key(a) == want);
        REQUIRE(reversed.corrupt_random_key(b) == want);
    }
}

TEST_CASE("disk: a lost fsync leaves the data unsynced, so a crash loses it", "[sim][disk]") {
    struct LyingSync final : Process {
        void on_start(Context& ctx) override {
            ctx.disk().write("k", "v");
            ctx.sync();
        }
    };
    World w(WorldOptions{.seed = 1});
    NodeId n = w.add_node("n", [] { return std::make_unique<LyingSync>(); },
                          NodeOptions{.disk_faults = DiskFaults{.lost_sync_probability = 1.0}});
    w.run();
    REQUIRE(w.trace().count(EventKind::disk_sync_lost) == 1);
    w.crash(n);
    REQUIRE_FALSE(w.disk(n).read("k").ok());
}

TEST_CASE("disk: a slow sync stalls the node and its reply leaves only when the data is durable", "[sim][disk]") {
    std::vector<Received> got;
    struct SyncThenSend final : Process {
        NodeId to;
        explicit SyncThenSend(NodeId t) : to(t) {}
        void on_start(Context& ctx) override {
            ctx.disk().write("k", "v");
            ctx.sync();
            ctx.send(to, Note{1});
        }
    };
    World w(WorldOptions{.seed = 1});
    NodeId r = w.add_node("r", recorder(&got, &w));
    NodeId s = w.add_node("s", [r] { return std::make_unique<SyncThenSend>(r); },
                          NodeOptions{.disk_faults = DiskFaults{.sync_latency = milliseconds(20)}});
    w.run_until(Instant::zero() + milliseconds(10));
    REQUIRE(got.empty());
    REQUIRE(w.disk(s).unsynced_count() == 1);  // not durable yet
    w.run();
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].true_time == Instant::zero() + milliseconds(21));  // 20 ms sync + 1 ms link
    REQUIRE(w.disk(s).unsynced_count() == 0);

    // The same, crashed during the stall: the write and the message are both lost.
    std::vector<Received> got2;
    World w2(WorldOptions{.seed = 1});
    NodeId r2 = w2.add_node("r", recorder(&got2, &w2));
    NodeId s2 = w2.add_node("s", [r2] { return std::make_unique<SyncThenSend>(r2); },
                            NodeOptions{.disk_faults = DiskFaults{.sync_latency = milliseconds(20)}});
    w2.at(Instant::zero() + milliseconds(10), [s2](World& world) { world.crash(s2); });
    w2.run();
    REQUIRE(got2.empty());
    REQUIRE_FALSE(w2.disk(s2).read("k").ok());
}

TEST_CASE("disk: two slow syncs in one handler complete in order without double counting", "[sim][disk]") {
    // Found by a sweep: the second sync used to ask for changes the first had already made
    // durable. Method: write, sync, write, sync with a slow disk; both complete, all is durable.
    struct TwoSyncs final : Process {
        void on_start(Context& ctx) override {
            ctx.disk().write("a", "1");
            ctx.sync();
            ctx.disk().write("b", "2");
            ctx.sync();
        }
    };
    World w(WorldOptions{.seed = 1});
    NodeId n = w.add_node("n", [] { return std::make_unique<TwoSyncs>(); },
                          NodeOptions{.disk_faults = DiskFaults{.sync_latency = milliseconds(5)}});
    w.run();
    REQUIRE(w.disk(n).unsynced_count() == 0);
    w.crash(n);
    REQUIRE(w.disk(n).read("a").ok());
    REQUIRE(w.disk(n).read("b").ok());
}

TEST_CASE("pause: a paused node processes nothing, then everything that queued up", "[sim][pause]") {
    std::vector<Received> got;
    World w(WorldOptions{.seed = 1});
    NodeId r = w.add_node("r", recorder(&got, &w));
    w.pause(r, milliseconds(100));
    w.add_node("s", sender(r, 3));
    w.run();
    REQUIRE(got.size() == 3);
    for (std::size_t i = 0; i < got.size(); ++i) {
        REQUIRE(got[i].true_time == Instant::zero() + milliseconds(100));  // delayed, not lost
        REQUIRE(got[i].value == static_cast<int64_t>(i));                  // in arrival order
    }
    REQUIRE(w.trace().count(EventKind::pause) == 1);
    REQUIRE(w.trace().count(EventKind::resume) == 1);
}
