// The CRDT store server's start, client requests and storage (server.h tells the whole story).
#include "protocols/crdt/server.h"

#include "protocols/crdt/text_codec.h"

#include <fmt/format.h>

namespace faultline::crdt {

namespace {

constexpr std::string_view key_prefix = "k/";     // k/<escaped key> -> KeyState::encode
constexpr std::string_view client_prefix = "c/";  // c/<escaped client> -> last request seq applied
constexpr int64_t amount_max = 1'000'000'000;     // |incr| per request
constexpr uint64_t gossip_tag = 1;

}  // namespace

Server::Server(Options options) : o_(std::move(options)) {
    FL_ASSERT(o_.gossip_ms > 0, "gossip_ms must be positive, got {}", o_.gossip_ms);
    FL_ASSERT(o_.fanout > 0, "fanout must be positive, got {}", o_.fanout);
    FL_ASSERT(!o_.servers.empty(), "a CRDT store needs servers");
}

ProcessFactory server(Options options) {
    return [options] { return std::make_unique<Server>(options); };
}

void Server::on_start(Context& ctx) {
    replica_ = fmt::format("{}.{}", ctx.name(), ctx.incarnation());
    for (const std::string& name : o_.servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        if (*id != ctx.id()) peers_.push_back(*id);
    }
    // Sequence numbers are unique across incarnations, so an acknowledgement of a delta sent in
    // an earlier life of this node is never taken for one of this life.
    first_seq_ = next_seq_ = (uint64_t{ctx.incarnation()} << 40) + 1;
    load(ctx);
    // A random first round, so the servers' rounds do not fall in step.
    const auto first_ms = o_.gossip_ms / 2 + static_cast<int64_t>(ctx.rng().below(static_cast<uint64_t>(o_.gossip_ms)));
    ctx.set_timer(milliseconds(first_ms), gossip_tag);
}

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<ClientRequest>()) return on_client_request(ctx, m, *r);
    if (const auto* g = m.as<Gossip>()) return on_gossip(ctx, m, *g);
    if (const auto* a = m.as<GossipAck>()) return on_gossip_ack(m, *a);
}

void Server::on_timer(Context& ctx, TimerId, uint64_t tag) {
    FL_ASSERT(tag == gossip_tag, "unknown timer tag {}", tag);
    gossip_round(ctx);
    ctx.set_timer(milliseconds(o_.gossip_ms), gossip_tag);
}

std::string Server::describe_state() const {
    std::string out = fmt::format("replica {} ({}), {} keys, {} deltas buffered\n", replica_, to_string(o_.type),
                                  data_.size(), deltas_.size());
    for (const auto& [key, state] : data_) out += fmt::format("{} = {}\n", key, fmt::join(state.values(), " | "));
    return out;
}

void Server::load(Context& ctx) {
    for (const std::string& name : ctx.disk().keys(std::string(key_prefix))) {
        const DiskRead r = ctx.disk().read(name);
        auto key = unescape(std::string_view(name).substr(key_prefix.size()));
        auto state = r.ok() && key ? KeyState::decode(o_.type, r.value) : std::nullopt;
        if (!state) {
            // Peers still hold it (or what joins above it): gossip refills the key.
            ctx.logf("disk record {} unreadable: dropped", name);
            continue;
        }
        data_.insert_or_assign(std::move(*key), std::move(*state));
    }
    for (const std::string& name : ctx.disk().keys(std::string(client_prefix))) {
        const DiskRead r = ctx.disk().read(name);
        auto client = unescape(std::string_view(name).substr(client_prefix.size()));
        auto seq = r.ok() ? parse_u64(r.value) : std::nullopt;
        if (client && seq) applied_[*client] = *seq;
    }
}

void Server::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    ClientReply reply;
    if (r.op.f == kv::Function::get) {
        reply.result = read(r.op);
        ctx.reply(m, reply);
        return;
    }
    reply.result.outcome = ClientOutcome::fail;
    if (!serves(o_.type, r.op.f)) {
        ctx.logf("refused {}: a {} store does not serve {}", r.op.describe(), to_string(o_.type), kv::to_string(r.op.f));
        ctx.reply(m, reply);
        return;
    }
    reply.result.outcome = ClientOutcome::ok;
    if (auto it = applied_.find(r.client); it != applied_.end() && r.seq <= it->second) {
        ctx.reply(m, reply);  // applied already: a copy of the request, or a client retrying
        return;
    }
    std::string refusal;
    const std::optional<KeyState> delta = delta_of(ctx, r.op, refusal);
    if (!delta) {
        ctx.logf("refused {}: {}", r.op.describe(), refusal);
        reply.result.outcome = ClientOutcome::fail;
        ctx.reply(m, reply);
        return;
    }
    if (absorb(ctx, r.op.key, *delta)) remember_delta(r.op.key, *delta);
    applied_[r.client] = r.seq;
    ctx.disk().write(std::string(client_prefix) + escape(r.client), std::to_string(r.seq));
    ctx.sync();  // durable before acknowledged
    ctx.reply(m, reply);
}

kv::KvResult Server::read(const kv::KvOp& op) const {
    kv::KvResult r;
    r.outcome = ClientOutcome::ok;
    auto it = data_.find(op.key);
    const std::vector<std::string> values = it == data_.end() ? std::vector<std::string>{} : it->second.values();
    if (values.empty()) return r;  // absent: nothing applied yet
    r.found = true;
    r.value = values.back();  // the greatest: a register's merge of its siblings
    if (values.size() > 1) r.siblings = values;
    return r;
}

std::optional<KeyState> Server::delta_of(Context& ctx, const kv::KvOp& op, std::string& refusal) const {
    const KeyState none(o_.type);
    auto it = data_.find(op.key);
    const KeyState& held = it == data_.end() ? none : it->second;
    switch (op.f) {
        case kv::Function::incr: {
            const std::optional<int64_t> amount = parse_i64(op.value);
            if (!amount || *amount < -amount_max || *amount > amount_max) {
                refusal = fmt::format("incr takes a decimal amount from -{0} to {0}, not '{1}'", amount_max, op.value);
                return std::nullopt;
            }
            if (*amount < 0 && o_.type == CrdtType::g_counter) {
                refusal = "a grow-only counter cannot go down";
                return std::nullopt;
            }
            return held.increment(replica_, *amount);
        }
        case kv::Function::add: return held.add(replica_, op.value);
        case kv::Function::remove: return held.remove(replica_, op.value, o_.orset_remove_loses_concurrent_adds);
        case kv::Function::put: return held.put(replica_, ctx.now().ns(), op.value);
        default: break;
    }
    FL_ASSERT(false, "{} is not an update", op.describe());
    return std::nullopt;
}

bool Server::absorb(Context& ctx, const std::string& key, const KeyState& state) {
    auto [it, fresh] = data_.try_emplace(key, o_.type);
    if (!it->second.merge(state)) {
        if (fresh) data_.erase(it);  // nothing applied: the key stays absent
        return false;
    }
    const std::string encoded = it->second.encode();
    ctx.disk().write(std::string(key_prefix) + escape(key), encoded);
    ctx.annotate("state", escape(key) + ' ' + encoded);
    return true;
}

}  // namespace faultline::crdt
