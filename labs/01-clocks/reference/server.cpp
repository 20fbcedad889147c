#include "server.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::lab01 {

namespace {

constexpr Duration gossip_interval = milliseconds(100);

// Whether every entry of a is at most b's (plain version vectors: a happened before or is b).
bool at_most(const std::map<uint32_t, uint64_t>& a, const std::map<uint32_t, uint64_t>& b) {
    for (const auto& [node, count] : a) {
        auto it = b.find(node);
        if (it == b.end() || it->second < count) return false;
    }
    return true;
}

}  // namespace

bool Server::last_writer_wins() const {
    return mistake_ == Mistake::wall_clock || mistake_ == Mistake::lamport_without_context ||
           mistake_ == Mistake::last_writer_wins;
}

void Server::on_start(Context& ctx) { ctx.set_timer(gossip_interval); }

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<Request>()) {
        if (r->op.f == kv::Function::put) {
            const Stored written{r->op.value, stamp(ctx, r->op.key, r->context)};
            merge(r->op.key, written);
            // Version vectors: the client has now seen its own write: the context it had, plus
            // this write's dot as the one explicit dot (in `seen` it would claim this replica's
            // earlier writes too, concurrent ones included).
            Version context = mistake_ == Mistake::plain_version_vectors ? r->context : join(r->context, with_own_dot(written.version));
            context.time = written.version.time;
            ctx.reply(m, Reply{{}, last_writer_wins() ? written.version : context});
            for (const auto& name : servers_)
                if (name != ctx.name()) ctx.send(*ctx.find_node(name), Update{r->op.key, data_[r->op.key]});
            return;
        }
        if (mistake_ != Mistake::lamport_without_context) clock_ = std::max(clock_, r->context.time);
        Reply reply;
        if (auto it = data_.find(r->op.key); it != data_.end())
            for (const Stored& s : it->second) reply.values.push_back(s.value);
        if (last_writer_wins()) reply.context = Version{clock_, 0, 0, {}, {}};  // past all it has seen, and the client
        else if (mistake_ == Mistake::plain_version_vectors) reply.context = context_of(r->op.key);
        else reply.context = join(r->context, context_of(r->op.key));  // what the client saw before, and now
        ctx.reply(m, reply);
        return;
    }
    if (const auto* u = m.as<Update>()) {
        for (const Stored& s : u->versions) merge(u->key, s);
    }
}

void Server::on_timer(Context& ctx, TimerId, uint64_t) {
    std::vector<std::string> peers;
    for (const auto& name : servers_)
        if (name != ctx.name()) peers.push_back(name);
    if (!peers.empty()) {
        const NodeId peer = *ctx.find_node(peers[ctx.rng().below(peers.size())]);
        for (const auto& [key, versions] : data_) ctx.send(peer, Update{key, versions});
    }
    ctx.set_timer(gossip_interval);
}

Version Server::stamp(Context& ctx, const std::string& key, const Version& context) {
    const uint32_t me = ctx.id() + 1;  // dots name replicas 1..n: 0 is "no dot"
    switch (mistake_) {
        case Mistake::wall_clock: return Version{ctx.now().ns(), me, 0, {}, {}};
        case Mistake::lamport_without_context: return Version{++clock_, me, 0, {}, {}};
        case Mistake::last_writer_wins:
            clock_ = std::max(clock_, context.time) + 1;
            return Version{clock_, me, 0, {}, {}};
        case Mistake::plain_version_vectors: {
            Version v{0, 0, 0, context.vector, {}};
            v.vector[me] = ++counter_;
            return v;
        }
        case Mistake::none: break;
    }
    // A new dot, and the client's context: this write replaces exactly what its client had seen.
    clock_ = std::max(clock_, context.time) + 1;
    Version v = context;
    v.time = clock_;
    v.node = me;
    v.counter = ++counters_[key];
    return v;
}

void Server::merge(const std::string& key, const Stored& incoming) {
    clock_ = std::max(clock_, incoming.version.time);  // a Lamport clock moves past what it sees
    std::vector<Stored>& held = data_[key];
    if (last_writer_wins()) {
        if (held.empty() || older(held.front().version, incoming.version)) held = {incoming};
        return;
    }
    if (mistake_ == Mistake::plain_version_vectors) {
        for (const Stored& h : held)
            if (at_most(incoming.version.vector, h.version.vector)) return;  // nothing new
        std::erase_if(held, [&](const Stored& h) { return at_most(h.version.vector, incoming.version.vector); });
        held.push_back(incoming);
        return;
    }
    for (const Stored& h : held) {
        const bool same = h.version.node == incoming.version.node && h.version.counter == incoming.version.counter;
        if (same || seen_by(incoming.version, h.version)) return;  // held already, or replaced already
    }
    std::erase_if(held, [&](const Stored& h) { return seen_by(h.version, incoming.version); });
    held.push_back(incoming);
}

Version Server::context_of(const std::string& key) const {
    auto it = data_.find(key);
    if (it == data_.end() || it->second.empty()) return Version{clock_, 0, 0, {}, {}};
    if (last_writer_wins()) return it->second.front().version;
    // Every version held here, and what each one's client had seen. A dot held here comes with
    // every earlier dot of its replica for this key (held too, or replaced by a version held here
    // that saw it: updates carry whole sibling sets), so the held dots may join the vector.
    Version out{clock_, 0, 0, {}, {}};
    for (const Stored& s : it->second) {
        out = join(out, s.version);
        if (s.version.node != 0) out.vector[s.version.node] = std::max(out.vector[s.version.node], s.version.counter);
    }
    normalize(out);
    return out;
}

std::string Server::describe_state() const {
    std::size_t siblings = 0;
    for (const auto& [key, versions] : data_) siblings += versions.size() > 1 ? 1 : 0;
    return fmt::format("{} keys, {} with siblings, clock {}", data_.size(), siblings, clock_);
}

ProcessFactory server(std::vector<std::string> servers, Mistake mistake) {
    return [servers, mistake] { return std::make_unique<Server>(servers, mistake); };
}

}  // namespace faultline::lab01
