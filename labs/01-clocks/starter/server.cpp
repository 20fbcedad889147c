#include "server.h"

#include <fmt/format.h>

namespace faultline::lab01 {

namespace {
constexpr Duration gossip_interval = milliseconds(100);
}

void Server::on_start(Context& ctx) { ctx.set_timer(gossip_interval); }

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<Request>()) {
        if (r->op.f == kv::Function::put) {
            const Stored written{r->op.value, stamp(ctx, r->op.key, r->context)};
            merge(r->op.key, written);
            ctx.reply(m, Reply{{}, written.version});
            for (const auto& name : servers_)
                if (name != ctx.name()) ctx.send(*ctx.find_node(name), Update{r->op.key, data_[r->op.key]});
            return;
        }
        Reply reply;
        if (auto it = data_.find(r->op.key); it != data_.end())
            for (const Stored& s : it->second) reply.values.push_back(s.value);
        reply.context = context_of(r->op.key);
        ctx.reply(m, reply);
        return;
    }
    if (const auto* u = m.as<Update>()) {
        for (const Stored& s : u->versions) merge(u->key, s);
    }
}

void Server::on_timer(Context& ctx, TimerId, uint64_t) {
    // Anti-entropy: everything this replica holds, to one peer.
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
    // TODO(you): part 1. The local clock's reading is not a safe order: clocks are skewed. A
    // Lamport clock is: it ticks on every write and moves past every version it sees (in
    // updates, and in the client's context, which is how causality travels through clients).
    (void)key;
    (void)context;
    return Version{ctx.now().ns(), ctx.id()};
}

void Server::merge(const std::string& key, const Stored& incoming) {
    // TODO(you): part 2. Last writer wins keeps one version and drops the other, even when
    // neither write saw the other (they were concurrent). Keep concurrent versions side by side;
    // drop only the versions the incoming one has seen.
    std::vector<Stored>& held = data_[key];
    if (held.empty() || older(held.front().version, incoming.version)) held = {incoming};
}

Version Server::context_of(const std::string& key) const {
    // TODO(you): part 2. With siblings, the context must cover every one of them, so that the
    // client's next put replaces them all.
    auto it = data_.find(key);
    return it == data_.end() || it->second.empty() ? Version{} : it->second.front().version;
}

std::string Server::describe_state() const {
    std::size_t siblings = 0;
    for (const auto& [key, versions] : data_) siblings += versions.size() > 1 ? 1 : 0;
    return fmt::format("{} keys, {} with siblings", data_.size(), siblings);
}

ProcessFactory server(std::vector<std::string> servers) {
    return [servers] { return std::make_unique<Server>(servers); };
}

}  // namespace faultline::lab01
