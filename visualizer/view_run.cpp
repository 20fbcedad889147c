// Sections: [messages] [server] [client] [run] [checker].
#include "visualizer/view_run.h"

#include "sim/assert.h"
#include "sim/check/checker.h"
#include "sim/check/explanation.h"
#include "sim/check/history_builder.h"
#include "sim/faults/nemesis.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::view {

namespace {

// ============================================================================================
// [messages]
// ============================================================================================

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
// elect their own leader, which is the point of the demo. Data is a max-wins map, gossiped.
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
            if (ctx.buggify("view.server.drop_reply", 0.1)) return;
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

// ============================================================================================
// [run]
// ============================================================================================

std::vector<std::string> view_node_names(const ViewRunSpec& spec) {
    std::vector<std::string> names;
    for (int i = 0; i < spec.servers; ++i) names.push_back(fmt::format("n{}", i + 1));
    for (int i = 0; i < spec.clients; ++i) names.push_back(fmt::format("c{}", i + 1));
    return names;
}

ViewRun run_view(const ViewRunSpec& spec) {
    FL_ASSERT(spec.servers >= 1 && spec.servers <= 64, "{} servers: the viewer's workload takes 1..64", spec.servers);
    FL_ASSERT(spec.clients >= 0 && spec.clients <= 64, "{} clients: the viewer's workload takes 0..64", spec.clients);
    FL_ASSERT(spec.duration > Duration::zero(), "a run of no time shows nothing");
    FL_ASSERT(spec.trace_level != TraceLevel::off, "the viewer needs a stored trace (level events or full)");
    WorldOptions wo;
    wo.seed = spec.seed;
    wo.trace_level = spec.trace_level;
    wo.buggify = spec.buggify;
    wo.network.latency = LatencyModel::exponential(microseconds(500), milliseconds(2));
    World world(wo);

    std::vector<NodeId> servers;
    for (int i = 0; i < spec.servers; ++i) {
        int count = spec.servers;
        NodeOptions no;
        no.clock_offset = milliseconds(i * 3);
        servers.push_back(world.add_node(fmt::format("n{}", i + 1), [count] { return std::make_unique<Server>(count); }, no));
    }
    for (int i = 0; i < spec.clients; ++i) {
        int count = spec.servers;
        world.add_node(fmt::format("c{}", i + 1), fiber_process([count](Context& ctx) { client_body(ctx, count); }));
    }

    ViewRun run;
    run.spec = spec;
    if (spec.nemesis) {
        faults::NemesisOptions nemesis;
        nemesis.targets = servers;
        nemesis.start = Instant::zero() + spec.duration / 10;
        nemesis.end = Instant::zero() + spec.duration * 8 / 10;
        nemesis.base_link = wo.network;
        Rng rng = world.stream("nemesis");
        run.nemesis = faults::nemesis_schedule(nemesis, rng, world.node_count());
    }
    for (std::size_t i = 0; i < run.nemesis.size(); ++i)
        if (std::find(spec.removed.begin(), spec.removed.end(), i) == spec.removed.end()) run.schedule.push_back(run.nemesis[i]);
    for (const auto& f : spec.added) {
        FL_ASSERT(f.at >= Instant::zero(), "a fault added before the run starts");
        run.schedule.push_back(f);
    }
    std::stable_sort(run.schedule.begin(), run.schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& f : run.schedule)
        world.note(fmt::format("plan at {}: {}", to_string(f.at), faults::describe(f.fault, world.node_names())));
    faults::schedule(world, run.schedule);
    for (const auto& [at, id] : spec.dropped_messages) {
        FL_ASSERT(at >= Instant::zero(), "a message drop before the run starts");
        world.at(at, [id = id](World& w) { w.drop_in_flight(id); });
    }
    world.run_until(Instant::zero() + spec.duration);

    RunInfo info;
    info.title = fmt::format("view workload, seed {}{}", spec.seed, spec.added.empty() && spec.removed.empty() && spec.dropped_messages.empty() ? "" : " (edited)");
    info.seed = spec.seed;
    info.trace_hash = world.trace_hash();
    run.model = RunModel::build(world.trace(), world.node_names(), world.now(), info);
    if (spec.check) {
        if (auto v = check_linearizability(run.model, spec.check_steps_max)) run.model.add_verdict(std::move(*v));
    }
    return run;
}

// ============================================================================================
// [checker]
// ============================================================================================

std::optional<VerdictMark> check_linearizability(const RunModel& model, uint64_t steps_max) {
    namespace fc = faultline::check;
    fc::HistoryBuilder b;
    std::vector<std::optional<fc::OpId>> op_ids(model.ops().size());
    std::map<NodeId, fc::OpId> open;  // per client, its running operation
    for (const TraceEvent& e : model.events()) {
        if (e.kind != EventKind::client_invoke && e.kind != EventKind::client_complete) continue;
        auto op_index = model.op_of_event(e.index);
        if (!op_index) continue;
        const ClientOp& op = model.ops()[*op_index];
        int process = static_cast<int>(op.client);
        if (e.kind == EventKind::client_invoke) {
            if (auto it = open.find(op.client); it != open.end()) {
                b.complete_info(it->second, e.time.ns());
                open.erase(it);
            }
            // "put KEY VALUE" or "get KEY".
            std::string_view text = op.operation;
            auto space = text.find(' ');
            if (space == std::string_view::npos) return std::nullopt;
            std::string_view verb = text.substr(0, space);
            std::string_view rest = text.substr(space + 1);
            fc::OpId id = 0;
            if (verb == "put") {
                auto s2 = rest.find(' ');
                if (s2 == std::string_view::npos) return std::nullopt;
                id = b.invoke(process, fc::Function::put, std::string(rest.substr(0, s2)), std::string(rest.substr(s2 + 1)), e.time.ns());
            } else if (verb == "get") {
                id = b.invoke(process, fc::Function::get, std::string(rest), std::nullopt, e.time.ns());
            } else {
                return std::nullopt;
            }
            op_ids[*op_index] = id;
            open[op.client] = id;
        } else {
            auto it = open.find(op.client);
            if (it == open.end() || !op_ids[*op_index] || it->second != *op_ids[*op_index]) continue;
            fc::OpId id = it->second;
            open.erase(it);
            switch (static_cast<ClientOutcome>(e.reason)) {
            case ClientOutcome::ok:
                if (op.operation.rfind("get ", 0) == 0) {
                    fc::Value v = op.result == "absent" ? fc::Value{} : fc::Value{op.result};
                    b.complete_ok(id, v, e.time.ns());
                } else {
                    b.complete_ok(id, std::nullopt, e.time.ns());
                }
                break;
            case ClientOutcome::fail: b.complete_fail(id, e.time.ns()); break;
            case ClientOutcome::info: b.complete_info(id, e.time.ns()); break;
            }
        }
    }
    if (model.ops().empty()) return std::nullopt;
    auto paired = fc::pair_operations(b.history());
    if (!paired) return std::nullopt;
    fc::Budget budget;
    budget.steps_max = steps_max;
    budget.shrink_steps_max = steps_max;
    budget.memory_bytes_max = 64ull << 20;
    fc::CheckResult r = fc::check_operations(paired.value(), fc::Model::key_value_map(), budget);

    // OpIds number invocations in order, as model.ops() does: map them back.
    std::vector<std::size_t> op_of_id;
    for (std::size_t i = 0; i < op_ids.size(); ++i)
        if (op_ids[i]) {
            if (op_of_id.size() <= static_cast<std::size_t>(*op_ids[i])) op_of_id.resize(*op_ids[i] + 1);
            op_of_id[static_cast<std::size_t>(*op_ids[i])] = i;
        }
    VerdictMark v;
    v.checker = "linearizability (kv)";
    v.ok = r.verdict != fc::Verdict::violation;
    v.decided = r.verdict != fc::Verdict::unknown;
    v.explanation = r.explanation;
    v.summary = fmt::format("{}: {} over {} operations", v.checker, fc::to_string(r.verdict), r.operations);
    for (const fc::KeyResult& k : r.keys) {
        if (!k.counterexample) continue;
        const fc::Counterexample& c = *k.counterexample;
        const auto& chosen = c.minimal.empty() ? c.window : c.minimal;
        for (fc::OpId id : chosen)
            if (static_cast<std::size_t>(id) < op_of_id.size()) v.ops.push_back(op_of_id[static_cast<std::size_t>(id)]);
        // An info operation never completes (time_never): end the window with the run.
        int64_t end_ns = std::min(c.end_time_ns, model.end().ns());
        v.window = Interval{Instant::from_ns(c.begin_time_ns), Instant::from_ns(std::max(end_ns, c.begin_time_ns))};
        if (c.culprit >= 0 && static_cast<std::size_t>(c.culprit) < op_of_id.size()) {
            const ClientOp& culprit = model.ops()[op_of_id[static_cast<std::size_t>(c.culprit)]];
            if (culprit.complete != no_event) v.events.push_back(culprit.complete);
            v.summary = fmt::format("{}: violation on key {}: {} ({} operations in the story)", v.checker, c.key,
                                    culprit.operation + " -> " + culprit.result, chosen.size());
        }
        break;
    }
    return v;
}

}  // namespace faultline::view
