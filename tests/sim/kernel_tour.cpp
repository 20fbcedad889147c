#include "tests/sim/kernel_tour.h"

#include "sim/assert.h"
#include "sim/faults/nemesis.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::test::tour {

namespace {

struct Heartbeat {
    static constexpr std::string_view type_name = "heartbeat";
    uint64_t term;
    std::string describe() const { return fmt::format("term {}", term); }
};
struct Put {
    static constexpr std::string_view type_name = "put";
    std::string key;
    int64_t value;
    std::string describe() const { return fmt::format("{}={}", key, value); }
};
struct Get {
    static constexpr std::string_view type_name = "get";
    std::string key;
    std::string describe() const { return key; }
};
struct Reply {
    static constexpr std::string_view type_name = "reply";
    bool found;
    int64_t value;
    std::string describe() const { return found ? fmt::format("value {}", value) : "absent"; }
};
struct Gossip {
    static constexpr std::string_view type_name = "gossip";
    std::map<std::string, int64_t> state;
    std::string describe() const {
        std::string out;
        for (const auto& [k, v] : state) out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v);
        return out.empty() ? "empty" : out;
    }
};

// ============================================================================================
// [server]
// ============================================================================================

constexpr uint64_t tick_tag = 1;
constexpr uint64_t election_tag = 2;

// A leader is whoever timed out last with the highest term; followers reset their election
// timer on every heartbeat of a term at least their own. No votes: two sides of a partition each
// elect their own leader: the split brain the viewer shows. Data is a max-wins map, gossiped.
class Server final : public Process {
public:
    explicit Server(int servers) : servers_(servers) {}

    void on_start(Context& ctx) override {
        for (const auto& key : ctx.disk().keys("kv/")) {
            DiskRead r = ctx.disk().read(key);
            if (r.ok()) state_[key.substr(3)] = std::stoll(r.value);
            else ctx.logf("discarding damaged {}", key);
        }
        DiskRead t = ctx.disk().read("meta/term");
        if (t.ok()) term_ = std::stoull(t.value);
        become(ctx, "follower", term_);
        ctx.set_timer(milliseconds(100) + nanoseconds(ctx.rng().uniform_int(0, 50'000'000)), tick_tag);
        arm_election(ctx);
    }

    void on_message(Context& ctx, const Envelope& m) override {
        if (auto* hb = m.as<Heartbeat>()) {
            bool yields = hb->term > term_ || (hb->term == term_ && m.from < ctx.id());
            if (!yields) return;
            if (hb->term > term_) persist_term(ctx, hb->term);
            become(ctx, "follower", hb->term);
            arm_election(ctx);
        } else if (auto* put = m.as<Put>()) {
            merge(ctx, put->key, put->value);
            ctx.sync();
            // A buggified server sometimes forgets to answer, so the client must time out.
            if (ctx.buggify("demo.server.drop_reply", 0.1)) return;
            ctx.reply(m, Reply{true, state_[put->key]});
        } else if (auto* get = m.as<Get>()) {
            auto it = state_.find(get->key);
            ctx.reply(m, Reply{it != state_.end(), it != state_.end() ? it->second : 0});
        } else if (auto* g = m.as<Gossip>()) {
            bool changed = false;
            for (const auto& [k, v] : g->state) changed |= merge(ctx, k, v);
            if (changed) ctx.sync();
        }
    }

    void on_timer(Context& ctx, TimerId id, uint64_t tag) override {
        if (tag == election_tag) {
            if (id != election_timer_ || role_ == "leader") return;
            persist_term(ctx, term_ + 1);
            become(ctx, "leader", term_);
            return;
        }
        if (role_ == "leader") {
            for (int i = 0; i < servers_; ++i)
                if (static_cast<NodeId>(i) != ctx.id()) ctx.send(static_cast<NodeId>(i), Heartbeat{term_});
        }
        auto peer = static_cast<NodeId>(ctx.rng().below(static_cast<uint64_t>(servers_)));
        if (peer != ctx.id() && !state_.empty()) ctx.send(peer, Gossip{state_});
        ctx.set_timer(milliseconds(100), tick_tag);
    }

    std::string describe_state() const override { return fmt::format("{} term {}, {} keys", role_, term_, state_.size()); }

private:
    void become(Context& ctx, std::string_view role, uint64_t term) {
        if (role != role_) ctx.annotate("role", role);
        if (term != annotated_term_) ctx.annotate("term", std::to_string(term));
        role_ = role;
        term_ = term;
        annotated_term_ = term;
    }
    void persist_term(Context& ctx, uint64_t term) {
        term_ = term;
        ctx.disk().write("meta/term", std::to_string(term));
        ctx.sync();
    }
    void arm_election(Context& ctx) {
        if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
        election_timer_ = ctx.set_timer(milliseconds(300) + nanoseconds(ctx.rng().uniform_int(0, 200'000'000)), election_tag);
    }
    bool merge(Context& ctx, const std::string& key, int64_t value) {
        auto& cur = state_[key];
        if (value <= cur) return false;
        cur = value;
        ctx.disk().write("kv/" + key, std::to_string(value));
        ctx.annotate(key, std::to_string(value));
        return true;
    }

    int servers_;
    std::string role_;
    uint64_t term_ = 0;
    uint64_t annotated_term_ = UINT64_MAX;
    TimerId election_timer_ = 0;
    std::map<std::string, int64_t> state_;
};

// ============================================================================================
// [client]
// ============================================================================================

// Puts and gets with timeouts, each recorded as invoke/complete in a text the checker parses.
void client_body(Context& ctx, int servers) {
    int64_t next_value = 1;
    while (true) {
        auto server = static_cast<NodeId>(ctx.rng().below(static_cast<uint64_t>(servers)));
        std::string key = fmt::format("k{}", ctx.rng().below(3));
        bool is_put = ctx.rng().bernoulli(0.6);
        std::optional<Envelope> reply;
        uint64_t op = 0;
        if (is_put) {
            int64_t value = next_value++ * 10 + ctx.id();
            op = ctx.client_invoke(fmt::format("put {} {}", key, value));
            reply = ctx.call(server, Put{key, value}, milliseconds(50));
        } else {
            op = ctx.client_invoke(fmt::format("get {}", key));
            reply = ctx.call(server, Get{key}, milliseconds(50));
        }
        if (!reply) {
            ctx.client_complete(op, ClientOutcome::info, "timeout");
        } else if (is_put) {
            ctx.client_complete(op, ClientOutcome::ok, "ok");
        } else {
            const Reply& r = reply->get<Reply>();
            ctx.client_complete(op, ClientOutcome::ok, r.found ? std::to_string(r.value) : "absent");
        }
        ctx.sleep(milliseconds(ctx.rng().uniform_int(5, 40)));
    }
}

}  // namespace

LinkConfig demo_link() {
    LinkConfig link;
    link.latency = LatencyModel::exponential(microseconds(500), milliseconds(2));
    return link;
}

DemoCluster add_demo_cluster(World& world, int servers, int clients) {
    FL_ASSERT(servers >= 1 && servers <= 64, "{} servers: the demo cluster takes 1..64", servers);
    FL_ASSERT(clients >= 0 && clients <= 64, "{} clients: the demo cluster takes 0..64", clients);
    FL_ASSERT(world.node_count() == 0, "the demo cluster's nodes must be n1.. from NodeId 0: add it to an empty world");
    DemoCluster cluster;
    for (int i = 0; i < servers; ++i) {
        NodeOptions no;
        no.clock_offset = milliseconds(i * 3);
        cluster.servers.push_back(
            world.add_node(fmt::format("n{}", i + 1), [servers] { return std::make_unique<Server>(servers); }, no));
    }
    for (int i = 0; i < clients; ++i)
        cluster.clients.push_back(
            world.add_node(fmt::format("c{}", i + 1), fiber_process([servers](Context& ctx) { client_body(ctx, servers); })));
    return cluster;
}

DemoResult run_demo(const DemoOptions& o) {
    WorldOptions wo;
    wo.seed = o.seed;
    wo.trace_level = o.trace_level;
    wo.buggify = o.faults;
    wo.network = demo_link();
    World world(wo);
    const std::vector<NodeId> servers = add_demo_cluster(world, o.servers, o.clients).servers;

    faults::FaultSchedule schedule;
    if (o.faults) {
        faults::NemesisOptions nemesis;
        nemesis.targets = servers;
        nemesis.start = Instant::zero() + o.duration / 10;
        nemesis.end = Instant::zero() + o.duration * 8 / 10;
        nemesis.base_link = wo.network;
        Rng rng = world.stream("nemesis");
        schedule = faults::nemesis_schedule(nemesis, rng, world.node_count());
        // Make sure every kind appears at least once, whatever the draw: the demo's job is to
        // exercise everything.
        Instant t = nemesis.end - milliseconds(300);
        schedule.push_back({t, faults::CorruptBlock{servers[0]}});
        schedule.push_back({t, faults::ClockJump{servers[1], milliseconds(-200)}});
        schedule.push_back({t, faults::ClockDrift{servers[2], 250.0}});
        schedule.push_back({t + milliseconds(1), faults::Pause{servers[2], milliseconds(50)}});
        DiskFaults fragile;
        fragile.torn_write_probability = 1.0;
        fragile.lost_sync_probability = 0.5;
        schedule.push_back({t - milliseconds(50), faults::DiskFaultProfile{servers[3], fragile}});
        LinkConfig flaky = wo.network;
        flaky.loss = 0.2;
        flaky.duplicate = 0.2;
        flaky.reorder = 0.3;
        schedule.push_back({t - milliseconds(50), faults::LinkChange{flaky, std::nullopt, std::nullopt}});
        schedule.push_back({t + milliseconds(200), faults::LinkChange{wo.network, std::nullopt, std::nullopt}});
        schedule.push_back({t + milliseconds(2), faults::Crash{servers[3]}});
        schedule.push_back({t + milliseconds(100), faults::Restart{servers[3]}});
        schedule.push_back({t + milliseconds(101), faults::DiskFaultProfile{servers[3], DiskFaults{}}});
        schedule.push_back({t + milliseconds(3), faults::PartitionNetwork{Partition::isolate(world.node_count(), servers[4])}});
        schedule.push_back({t + milliseconds(150), faults::Heal{}});
        std::stable_sort(schedule.begin(), schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
        for (const auto& f : schedule) world.note(fmt::format("nemesis plans at {}: {}", to_string(f.at), faults::describe(f.fault, world.node_names())));
        faults::schedule(world, schedule);
    }
    world.run_until(Instant::zero() + o.duration);

    const Trace& tr = world.trace();
    DemoResult r;
    r.seed = o.seed;
    r.trace_hash = world.trace_hash();
    r.events = tr.size();
    r.messages_sent = tr.count(EventKind::send);
    r.messages_delivered = tr.count(EventKind::deliver);
    r.messages_dropped = tr.count(EventKind::drop);
    r.faults = schedule.size();
    r.end = world.now();
    // Count outcomes from the trace's completion events.
    uint64_t completes = tr.count(EventKind::client_complete);
    if (tr.stores()) {
        for (const auto& e : tr.events()) {
            if (e.kind != EventKind::client_complete) continue;
            if (e.reason == static_cast<uint8_t>(ClientOutcome::ok)) ++r.ops_ok;
            else ++r.ops_info;
        }
    } else {
        r.ops_ok = completes;
    }
    std::string kinds;
    for (int k = 0; k < event_kind_count; ++k) {
        auto kind = static_cast<EventKind>(k);
        if (tr.count(kind) == 0) continue;
        kinds += fmt::format("  {:<18} {:>9}\n", to_string(kind), tr.count(kind));
    }
    r.summary = fmt::format(
        "faultline demo: {} servers, {} clients, {} of virtual time, seed {}\n"
        "faults scheduled: {}\n"
        "client ops: {} ok, {} info (timed out)\n"
        "messages: {} sent, {} delivered, {} dropped\n"
        "events by kind:\n{}"
        "trace: {} events, hash {:016x}\n",
        o.servers, o.clients, to_string(o.duration), o.seed, r.faults, r.ops_ok, r.ops_info, r.messages_sent,
        r.messages_delivered, r.messages_dropped, kinds, r.events, r.trace_hash);
    return r;
}

}  // namespace faultline::test::tour
