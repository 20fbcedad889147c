// The replica side of a Dynamo-style server: what it stores, how it persists it, and how it
// answers Replicate and Read (server.h tells the whole story).
#include "protocols/dynamo/server.h"

#include <fmt/format.h>

#include <cstdlib>

namespace faultline::dynamo {

namespace {

constexpr std::string_view data_prefix = "d/";
constexpr std::string_view hint_prefix = "h/";

// One line per key version set, for the invariant monitor: the stamps or vectors, no values.
std::string stamps_text(const Siblings& s) {
    std::string out;
    for (const Version& v : s) {
        if (!out.empty()) out += ' ';
        out += fmt::format("{}/{}/{}", v.stamp_ns, v.stamp_node, v.clock.empty() ? "-" : v.clock.text());
    }
    return out;
}

}  // namespace

Server::Server(Options options) : o_(std::move(options)), ring_(o_.servers, o_.vnodes) {}

ProcessFactory server(Options options) {
    return [options] { return std::make_unique<Server>(options); };
}

void Server::on_start(Context& ctx) {
    me_ = ctx.name();
    my_id_ = ctx.id();
    for (const std::string& name : o_.servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        ids_.push_back(*id);
    }
    // Request numbers are unique across incarnations, so a reply to a request of an earlier
    // life of this node is never taken for one of this life.
    next_request_ = (uint64_t{ctx.incarnation()} << 40) + 1;
    load(ctx);
    ctx.set_timer(milliseconds(o_.handoff_ms), timer_tag(handoff_tick, 0));
    if (o_.anti_entropy_ms > 0)
        ctx.set_timer(milliseconds(o_.anti_entropy_ms / 2 + static_cast<int>(ctx.rng().below(o_.anti_entropy_ms))),
                      timer_tag(anti_entropy_tick, 0));
}

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<ClientRequest>()) return on_client_request(ctx, m, *r);
    if (const auto* r = m.as<Replicate>()) return on_replicate(ctx, m, *r);
    if (const auto* r = m.as<ReplicateAck>()) return on_replicate_ack(ctx, m, *r);
    if (const auto* r = m.as<Read>()) return on_read(ctx, m, *r);
    if (const auto* r = m.as<ReadReply>()) return on_read_reply(ctx, m, *r);
    if (const auto* r = m.as<MerkleOffer>()) return on_merkle_offer(ctx, m, *r);
    if (const auto* r = m.as<MerkleDiff>()) return on_merkle_diff(ctx, m, *r);
    if (const auto* r = m.as<MerkleRepair>()) return on_merkle_repair(ctx, *r);
}

void Server::on_timer(Context& ctx, TimerId, uint64_t tag) {
    const uint64_t request = tag >> 3;
    switch (static_cast<TimerKind>(tag & 7)) {
        case hint_check:
            if (auto it = requests_.find(request); it != requests_.end()) replace_silent(ctx, request, it->second);
            return;
        case request_timeout: return give_up(ctx, request);
        case handoff_tick:
            hand_off(ctx);
            ctx.set_timer(milliseconds(o_.handoff_ms), timer_tag(handoff_tick, 0));
            return;
        case anti_entropy_tick:
            start_anti_entropy(ctx);
            ctx.set_timer(milliseconds(o_.anti_entropy_ms), timer_tag(anti_entropy_tick, 0));
            return;
    }
}

std::string Server::describe_state() const {
    std::string out = fmt::format("{} keys, {} hints, {} requests in flight\n", data_.size(), hints_.size(), requests_.size());
    for (const auto& [key, versions] : data_) out += fmt::format("{} = {}\n", key, fmt::join(values_of(versions), " | "));
    for (const auto& [replica, key] : hints_) out += fmt::format("hint: {} for {}\n", key, replica);
    return out;
}

void Server::load(Context& ctx) {
    for (const std::string& name : ctx.disk().keys(std::string(data_prefix))) {
        DiskRead r = ctx.disk().read(name);
        auto versions = r.ok() ? decode(r.value) : std::nullopt;
        if (!versions) {
            ctx.logf("disk record {} unreadable: dropped (anti-entropy will refill it)", name);
            continue;
        }
        data_[name.substr(data_prefix.size())] = std::move(*versions);
    }
    if (DiskRead c = ctx.disk().read(std::string(counter_record)); c.ok()) issued_ = std::strtoull(c.value.c_str(), nullptr, 10);
    for (const std::string& name : ctx.disk().keys(std::string(hint_prefix))) {
        const std::string rest = name.substr(hint_prefix.size());
        const std::size_t slash = rest.find('/');
        if (slash != std::string::npos) hints_.emplace(rest.substr(0, slash), rest.substr(slash + 1));
    }
}

bool Server::store(Context& ctx, const std::string& key, const Siblings& versions, bool force) {
    Siblings& held = data_[key];
    bool changed = false;
    if (force) {
        changed = held != versions;
        held = versions;
    } else {
        changed = reconcile_all(o_.conflicts, held, versions);
    }
    if (!changed) return false;
    ctx.disk().write(std::string(data_prefix) + key, encode(held));
    ctx.sync();
    ctx.annotate("store", key + " " + stamps_text(held));
    return true;
}

void Server::forget(Context& ctx, const std::string& key) {
    data_.erase(key);
    ctx.disk().erase(std::string(data_prefix) + key);
    ctx.sync();
    ctx.annotate("drop", key);
}

void Server::on_replicate(Context& ctx, const Envelope& m, const Replicate& r) {
    store(ctx, r.key, r.versions, r.force);
    if (!r.hint_for.empty() && r.hint_for != me_) keep_hint(ctx, r.hint_for, r.key);
    if (r.request != 0) ctx.send(m.from, ReplicateAck{r.request});
}

void Server::on_read(Context& ctx, const Envelope& m, const Read& r) {
    auto it = data_.find(r.key);
    ctx.send(m.from, ReadReply{r.request, it == data_.end() ? Siblings{} : it->second});
}

std::vector<NodeId> Server::preference_list(const std::string& key) const {
    std::vector<NodeId> out;
    for (std::size_t i : ring_.preference_list(key, static_cast<std::size_t>(o_.n))) out.push_back(node_of(i));
    return out;
}

const std::string& Server::name_of(NodeId server) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
        if (ids_[i] == server) return o_.servers[i];
    FL_ASSERT(false, "node {} is not a server of this store", server);
    return me_;
}

bool Server::replicates(NodeId server, const std::string& key) const {
    for (NodeId id : preference_list(key))
        if (id == server) return true;
    return false;
}

}  // namespace faultline::dynamo
