// Lab 06's server, the given part: requests, replicas' answers, gossip, timers and what the trace
// is told. You need not change this file.
#include "node.h"

#include "check/model.h"

#include <charconv>

namespace faultline::lab06 {

namespace {
constexpr uint64_t gossip_tag = 1;
constexpr uint64_t expire_tag = 2;

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : " | ") + v;
    return out;
}
}  // namespace

void Node::on_start(Context& ctx) {
    for (const std::string& name : server_names_) servers_.push_back(*ctx.find_node(name));
    // A replica's name is new at every start: what it held before a crash is gone, and its dots
    // and tags must never repeat ones it made before.
    me_ = fmt::format("{}.{}", ctx.name(), ctx.incarnation());
    if (settings_.kind == Kind::store) ctx.set_timer(settings_.request_timeout, expire_tag);
    else ctx.set_timer(settings_.gossip_interval, gossip_tag);
}

void Node::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<Request>()) {
        on_request(ctx, m, *r);
    } else if (const auto* read = m.as<ReadVersions>()) {
        auto held = versions_.find(read->key);
        send(ctx, m.from, Payload::make(HeldVersions{read->read, held == versions_.end() ? std::vector<Version>{} : held->second}));
    } else if (const auto* held = m.as<HeldVersions>()) {
        auto pending = reads_.find(held->read);
        if (pending == reads_.end() || pending->second.replies.count(m.from)) return;  // forgotten, or a copy
        pending->second.replies[m.from] = held->versions;
        on_held_versions(ctx, m.from, pending->second);
        if (pending->second.answered && static_cast<int>(pending->second.replies.size()) == servers()) reads_.erase(pending);
    } else if (const auto* store = m.as<StoreVersions>()) {
        for (const Version& v : store->versions) keep(versions_[store->key], v);
        report(ctx, store->key);
        if (store->write != 0) send(ctx, m.from, Payload::make(Stored{store->write}));
    } else if (const auto* stored = m.as<Stored>()) {
        auto pending = writes_.find(stored->write);
        if (pending == writes_.end() || !pending->second.stored_at.insert(m.from).second) return;
        ++pending->second.acks;
        on_stored(ctx, pending->second);
        if (pending->second.answered && pending->second.acks == servers()) writes_.erase(pending);
    } else if (const auto* g = m.as<Gossip>()) {
        for (const auto& [key, counter] : g->counters) {
            counters_[key].merge(counter);
            report(ctx, key);
        }
        for (const auto& [key, set] : g->sets) {
            sets_[key].merge(set);
            report(ctx, key);
        }
    }
}

void Node::on_timer(Context& ctx, TimerId, uint64_t tag) {
    if (tag == gossip_tag) {
        on_gossip_timer(ctx);
        ctx.set_timer(settings_.gossip_interval, gossip_tag);
    } else if (tag == expire_tag) {
        expire(ctx);
        ctx.set_timer(settings_.request_timeout, expire_tag);
    }
}

void Node::on_request(Context& ctx, const Envelope& m, const Request& r) {
    // A copy of a request (the network duplicates some) is dropped: an increment counts once. A
    // client's calls are numbered upwards, so a copy is one not above the last heard from it.
    uint64_t& last = last_call_[m.from];
    if (m.call_id <= last) return;
    last = m.call_id;
    ++meter_->requests;
    if (settings_.kind != Kind::store) apply_update(ctx, m, r);
    else if (r.op.f == kv::Function::get) start_get(ctx, m, r);
    else start_put(ctx, m, r);
}

void Node::start_get(Context& ctx, const Envelope& m, const Request& r) {
    const uint64_t id = next_request_++;
    PendingRead& read = reads_[id];
    read.client = m;
    read.key = r.op.key;
    read.started = ctx.now();
    for (NodeId s : servers_)
        if (s != ctx.id()) send(ctx, s, Payload::make(ReadVersions{id, r.op.key}));
    auto held = versions_.find(r.op.key);
    read.replies[ctx.id()] = held == versions_.end() ? std::vector<Version>{} : held->second;
    on_held_versions(ctx, ctx.id(), read);
}

void Node::start_put(Context& ctx, const Envelope& m, const Request& r) {
    const uint64_t id = next_request_++;
    PendingWrite& write = writes_[id];
    write.client = m;
    write.key = r.op.key;
    write.started = ctx.now();
    write.version = Version{r.op.value, Dot{me_, ++dots_[r.op.key]}, r.context};
    for (NodeId s : servers_)
        if (s != ctx.id()) send(ctx, s, Payload::make(StoreVersions{id, r.op.key, {write.version}}));
    keep(versions_[r.op.key], write.version);
    report(ctx, r.op.key);
    write.stored_at.insert(ctx.id());
    write.acks = 1;
    on_stored(ctx, write);
}

void Node::apply_update(Context& ctx, const Envelope& m, const Request& r) {
    Reply reply;
    const std::string& key = r.op.key;
    if (settings_.kind == Kind::counter) {
        if (r.op.f == kv::Function::incr) {
            int64_t amount = 0;
            std::from_chars(r.op.value.data(), r.op.value.data() + r.op.value.size(), amount);
            counters_[key].incr(me_, amount);
        } else if (auto it = counters_.find(key); it != counters_.end()) {
            reply.values = {std::to_string(it->second.value())};
        }
    } else {
        if (r.op.f == kv::Function::add) sets_[key].add(r.op.value, Tag{me_, ++tags_});
        else if (r.op.f == kv::Function::remove) sets_[key].remove(r.op.value);
        else if (auto it = sets_.find(key); it != sets_.end()) reply.values = {check::set_value(it->second.value())};
    }
    report(ctx, key);
    ++meter_->messages;
    ctx.reply(m, std::move(reply));
}

void Node::on_gossip_timer(Context& ctx) {
    if (servers_.size() < 2 || (counters_.empty() && sets_.empty())) return;
    NodeId peer = ctx.id();
    while (peer == ctx.id()) peer = servers_[ctx.rng().below(servers_.size())];
    send(ctx, peer, Payload::make(Gossip{counters_, sets_}));
}

void Node::answer(Context& ctx, PendingRead& read, const std::vector<Version>& versions) {
    FL_ASSERT(!read.answered, "a get is answered once");
    read.answered = true;
    ++meter_->messages;
    // The client's context grows, never shrinks: what it saw before stays seen, even when the
    // replies it is answered from have not heard of it yet.
    VersionVector context = context_of(versions);
    if (const auto* request = read.client.as<Request>()) context.merge(request->context);
    ctx.reply(read.client, Reply{values_of(versions), std::move(context)});
}

void Node::answer(Context& ctx, PendingWrite& write) {
    FL_ASSERT(!write.answered, "a put is answered once");
    write.answered = true;
    ++meter_->messages;
    ctx.reply(write.client, Reply{{}, context_of({write.version})});
}

void Node::repair(Context& ctx, NodeId replica, const std::string& key, const std::vector<Version>& versions) {
    if (replica != ctx.id()) {
        send(ctx, replica, Payload::make(StoreVersions{0, key, versions}));
        return;
    }
    for (const Version& v : versions) keep(versions_[key], v);
    report(ctx, key);
}

void Node::send(Context& ctx, NodeId to, Payload message) {
    ++meter_->messages;
    ctx.send_payload(to, std::move(message));
}

// Tells the trace what this replica now holds of `key` (when it changed): the viewer shows it.
void Node::report(Context& ctx, const std::string& key) {
    const std::string now = joined(held(key));
    std::string& before = reported_[key];
    if (now == before) return;
    before = now;
    ctx.annotate("holds", key + " = " + now);
}

// A request older than the timeout is forgotten (the sweep runs every request_timeout, so it goes
// between one and two timeouts after it began): its client has given up on it (a replica that
// answers later is not heard; a partitioned one never answers).
void Node::expire(Context& ctx) {
    const Instant cutoff = ctx.now() - settings_.request_timeout;
    std::erase_if(reads_, [&](const auto& r) { return r.second.started < cutoff; });
    std::erase_if(writes_, [&](const auto& w) { return w.second.started < cutoff; });
}

std::vector<std::string> Node::held(const std::string& key) const {
    if (auto v = versions_.find(key); v != versions_.end()) return values_of(v->second);
    if (auto c = counters_.find(key); c != counters_.end()) return {std::to_string(c->second.value())};
    if (auto s = sets_.find(key); s != sets_.end()) return {check::set_value(s->second.value())};
    return {};
}

std::map<std::string, std::vector<std::string>> Node::values() const {
    std::map<std::string, std::vector<std::string>> out;
    // One kind of data per run (Settings::kind): only one of these maps has keys.
    for (const auto& [key, versions] : versions_)
        if (auto values = held(key); !values.empty()) out[key] = std::move(values);
    for (const auto& [key, counter] : counters_) out[key] = held(key);
    for (const auto& [key, set] : sets_) out[key] = held(key);
    return out;
}

std::string Node::describe_state() const {
    return fmt::format("{}: {} keys stored, {} counters, {} sets; {} gets and {} puts coordinating", me_,
                       versions_.size(), counters_.size(), sets_.size(), reads_.size(), writes_.size());
}

ProcessFactory node(Settings settings, std::vector<std::string> servers, std::shared_ptr<Meter> meter) {
    return [settings, servers, meter] { return std::make_unique<Node>(settings, servers, meter); };
}

}  // namespace faultline::lab06
