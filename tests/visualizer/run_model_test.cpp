// The run model derives what the timeline draws from a real World run.
// Method: small scripted worlds (named nodes, faults at known times) whose traces contain exactly
// the case under test; each test checks one derived structure against what the script did.
#include "sim/faults/fault.h"
#include "sim/world.h"
#include "visualizer/run_model.h"
#include "visualizer/view_queries.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::view;

namespace {

struct Ping {
    static constexpr std::string_view type_name = "ping";
    int n;
    std::string describe() const { return fmt::format("ping {}", n); }
};

// Sends one ping to `to` at start and every 10 ms; annotates role and a counter.
class Pinger final : public Process {
public:
    explicit Pinger(NodeId to) : to_(to) {}
    void on_start(Context& ctx) override {
        ctx.annotate("role", ctx.id() == 0 ? "leader" : "follower");
        tick(ctx);
    }
    void on_timer(Context& ctx, TimerId, uint64_t) override { tick(ctx); }
    void on_message(Context& ctx, const Envelope&) override { ctx.annotate("received", std::to_string(++received_)); }

private:
    void tick(Context& ctx) {
        ctx.send(to_, Ping{count_++});
        ctx.set_timer(milliseconds(10));
    }
    NodeId to_;
    int count_ = 0;
    int received_ = 0;
};

RunModel run(World& w, Duration d) {
    w.run_until(Instant::zero() + d);
    return RunModel::build(w.trace(), w.node_names(), w.now());
}

WorldOptions constant_network(uint64_t seed = 1) {
    WorldOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::full;
    o.network.latency = LatencyModel::constant(milliseconds(1));
    return o;
}

}  // namespace

TEST_CASE("run model: every send pairs with its delivery, in send order", "[visualizer][model]") {
    World w(constant_network());
    NodeId n1 = w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    NodeId n2 = w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    RunModel m = run(w, milliseconds(55));
    REQUIRE(m.messages().size() == m.count(EventKind::send));
    for (const Message& msg : m.messages()) {
        if (msg.fate == MessageFate::in_flight) continue;
        REQUIRE(msg.fate == MessageFate::delivered);
        REQUIRE(m.event(msg.end).cause == msg.send);
        REQUIRE(msg.ended_at - msg.sent_at == milliseconds(1));
        REQUIRE(m.name(msg.type) == "ping");
    }
    REQUIRE(m.messages().front().from == n1);
    REQUIRE(m.messages().front().to == n2);
    REQUIRE(m.message_of_event(m.messages().front().end) == std::size_t{0});
}

TEST_CASE("run model: a message sent into a partition ends in a drop with reason partition", "[visualizer][model]") {
    World w(constant_network());
    NodeId n1 = w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    NodeId n2 = w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    w.at(Instant::zero() + milliseconds(15), [&](World& world) { world.set_partition(Partition::isolate(2, n2)); });
    w.at(Instant::zero() + milliseconds(35), [](World& world) { world.heal(); });
    RunModel m = run(w, milliseconds(50));
    std::size_t drops = 0;
    for (const Message& msg : m.messages()) {
        if (msg.fate != MessageFate::dropped) continue;
        ++drops;
        REQUIRE(msg.reason == DropReason::partition);
        REQUIRE(msg.dropped_at_send());
        REQUIRE(msg.sent_at >= Instant::zero() + milliseconds(15));
        REQUIRE(msg.sent_at < Instant::zero() + milliseconds(35));
    }
    REQUIRE(drops == m.count(EventKind::drop));
    REQUIRE(drops >= 4);
    REQUIRE(m.partitions().size() == 1);
    const PartitionSpan& p = m.partitions()[0];
    REQUIRE(p.when.begin == Instant::zero() + milliseconds(15));
    REQUIRE(p.when.end == Instant::zero() + milliseconds(35));
    REQUIRE(p.groups.size() == 2);
    REQUIRE(p.group_of(n1) != p.group_of(n2));
    REQUIRE(p.is_cut(n1, n2));
    REQUIRE(m.partition_at(Instant::zero() + milliseconds(20)) == &p);
    REQUIRE(m.partition_at(Instant::zero() + milliseconds(40)) == nullptr);
}

TEST_CASE("run model: duplicated messages become two messages, the copy marked", "[visualizer][model]") {
    WorldOptions o = constant_network(3);
    o.network.duplicate = 1.0;
    World w(o);
    w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    RunModel m = run(w, milliseconds(25));
    REQUIRE(m.count(EventKind::duplicate) > 0);
    std::size_t copies = 0;
    for (std::size_t i = 0; i < m.messages().size(); ++i) {
        const Message& msg = m.messages()[i];
        if (!msg.is_copy()) continue;
        ++copies;
        REQUIRE(i > 0);
        REQUIRE(m.messages()[i - 1].send == msg.send);  // right after its original
        REQUIRE(m.messages()[i - 1].id != msg.id);
        if (msg.fate == MessageFate::delivered) REQUIRE(m.event(msg.end).id == msg.id);
    }
    REQUIRE(copies == m.count(EventKind::duplicate));
}

TEST_CASE("run model: a crash greys the lane until restart and drops messages arriving meanwhile", "[visualizer][model]") {
    World w(constant_network());
    w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    NodeId n2 = w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    w.at(Instant::zero() + milliseconds(12), [&](World& world) { world.crash(n2); });
    w.at(Instant::zero() + milliseconds(33), [&](World& world) { world.restart(n2); });
    RunModel m = run(w, milliseconds(50));
    const Lane& lane = m.lane(n2);
    REQUIRE(lane.down.size() == 1);
    REQUIRE(lane.down[0].begin == Instant::zero() + milliseconds(12));
    REQUIRE(lane.down[0].end == Instant::zero() + milliseconds(33));
    REQUIRE(lane.is_down(Instant::zero() + milliseconds(20)));
    REQUIRE_FALSE(lane.is_down(Instant::zero() + milliseconds(40)));
    bool crashed_drop = false;
    for (const Message& msg : m.messages())
        crashed_drop |= msg.fate == MessageFate::dropped && msg.reason == DropReason::crashed && msg.to == n2;
    REQUIRE(crashed_drop);
    // The role track is unknown while down and set again by the restarted process.
    const StateTrack* role = lane.track("role");
    REQUIRE(role != nullptr);
    REQUIRE(role->value_at(Instant::zero() + milliseconds(5)) == "follower");
    REQUIRE(role->value_at(Instant::zero() + milliseconds(20)).empty());
    REQUIRE(role->value_at(Instant::zero() + milliseconds(40)) == "follower");
}

TEST_CASE("run model: a crash that never restarts stays down to the end of the run", "[visualizer][model]") {
    World w(constant_network());
    NodeId n1 = w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    w.at(Instant::zero() + milliseconds(12), [&](World& world) { world.crash(n1); });
    RunModel m = run(w, milliseconds(30));
    REQUIRE(m.lane(n1).down.size() == 1);
    REQUIRE(m.lane(n1).down[0].end == m.end());
}

TEST_CASE("run model: annotations become step functions per node and key", "[visualizer][model]") {
    World w(constant_network());
    NodeId n1 = w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    NodeId n2 = w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    RunModel m = run(w, milliseconds(35));
    REQUIRE(m.lane(n1).track("role")->value_at(Instant::zero() + milliseconds(1)) == "leader");
    REQUIRE(m.lane(n2).track("role")->value_at(Instant::zero() + milliseconds(1)) == "follower");
    const StateTrack* received = m.lane(n2).track("received");
    REQUIRE(received != nullptr);
    // Pings leave at 0, 10, 20, 30 ms and take 1 ms.
    REQUIRE(received->value_at(Instant::zero()).empty());
    REQUIRE(received->value_at(Instant::zero() + milliseconds(2)) == "1");
    REQUIRE(received->value_at(Instant::zero() + milliseconds(25)) == "3");
}

TEST_CASE("run model: pauses become paused intervals", "[visualizer][model]") {
    World w(constant_network());
    w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    NodeId n2 = w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    w.at(Instant::zero() + milliseconds(5), [&](World& world) { world.pause(n2, milliseconds(20)); });
    RunModel m = run(w, milliseconds(40));
    REQUIRE(m.lane(n2).paused.size() == 1);
    REQUIRE(m.lane(n2).paused[0].begin == Instant::zero() + milliseconds(5));
    REQUIRE(m.lane(n2).paused[0].end == Instant::zero() + milliseconds(25));
    REQUIRE(m.lane(n2).is_paused(Instant::zero() + milliseconds(10)));
}

TEST_CASE("run model: clock samples follow a jump and a drift", "[visualizer][model]") {
    World w(constant_network());
    NodeId n1 = w.add_node("n1", [] { return std::make_unique<Pinger>(1); });
    w.add_node("n2", [] { return std::make_unique<Pinger>(0); });
    w.at(Instant::zero() + milliseconds(15), [&](World& world) { world.jump_clock(n1, milliseconds(-7)); });
    RunModel m = run(w, milliseconds(40));
    const Lane& lane = m.lane(n1);
    REQUIRE(lane.clock_offset_ns(Instant::zero() + milliseconds(5)) == 0);
    REQUIRE(lane.clock_offset_ns(Instant::zero() + milliseconds(30)) == -milliseconds(7).ns());
}

TEST_CASE("run model: client operations pair invoke with complete and keep the outcome", "[visualizer][model]") {
    World w(constant_network());
    NodeId server = w.add_node("n1", [] { return std::make_unique<Pinger>(0); });
    NodeId client = w.add_node("c1", fiber_process([](Context& ctx) {
        uint64_t a = ctx.client_invoke("put x 1");
        ctx.sleep(milliseconds(3));
        ctx.client_complete(a, ClientOutcome::ok, "ok");
        uint64_t b = ctx.client_invoke("get x");
        ctx.sleep(milliseconds(4));
        ctx.client_complete(b, ClientOutcome::info, "timeout");
        ctx.client_invoke("get y");  // still running at the end
        ctx.sleep(milliseconds(100));
    }));
    RunModel m = run(w, milliseconds(20));
    REQUIRE(m.ops().size() == 3);
    REQUIRE(m.lane(client).is_client);
    REQUIRE_FALSE(m.lane(server).is_client);
    REQUIRE(m.ops()[0].outcome == ClientOutcome::ok);
    REQUIRE(m.ops()[0].end - m.ops()[0].begin == milliseconds(3));
    REQUIRE(m.ops()[1].outcome == ClientOutcome::info);
    REQUIRE(m.ops()[1].result == "timeout");
    REQUIRE_FALSE(m.ops()[2].outcome.has_value());
    REQUIRE(m.ops()[2].end == m.end());
    REQUIRE(m.op_of_event(m.ops()[1].complete) == std::size_t{1});
}

TEST_CASE("run model: partition texts parse into groups or cut links", "[visualizer][model]") {
    std::vector<std::string> names = {"n1", "n2", "n3"};
    ParsedPartition g = parse_partition_text("{n1,n2} | {n3}", names);
    REQUIRE(g.groups == std::vector<std::vector<NodeId>>{{0, 1}, {2}});
    REQUIRE(g.cut.size() == 4);
    ParsedPartition links = parse_partition_text("n1-x->n3 n2-x->n3", names);
    REQUIRE(links.groups.empty());
    REQUIRE(links.cut == std::vector<std::pair<NodeId, NodeId>>{{0, 2}, {1, 2}});
    REQUIRE(parse_partition_text("connected", names).cut.empty());
}
