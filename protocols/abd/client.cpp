#include "protocols/abd/client.h"

#include <algorithm>

namespace faultline::abd {

Client::Client(Context& ctx, const std::vector<std::string>& servers, Duration timeout, int attempts_max, ClientOptions o)
    : ctx_(ctx), timeout_(timeout), attempts_max_(attempts_max), o_(o),
      // Operation numbers unique across this client's lives: a late reply to an operation of an
      // earlier life is never taken for one of this life.
      next_operation_((uint64_t{ctx.incarnation()} << 40) + 1) {
    FL_ASSERT(!servers.empty() && timeout > Duration::zero() && attempts_max > 0, "a client needs servers, a timeout and attempts");
    for (const auto& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
}

template <typename Message>
bool Client::phase(uint64_t op, const Message& message, std::vector<Stamped>* replies) {
    const std::size_t majority = servers_.size() / 2 + 1;
    std::set<NodeId> answered;
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        for (NodeId s : servers_)
            if (!answered.count(s)) ctx_.send(s, message);
        const Instant deadline = ctx_.now() + timeout_;
        while (answered.size() < majority && ctx_.now() < deadline) {
            auto m = ctx_.receive(deadline - ctx_.now());
            if (!m) break;
            if (const auto* r = m->template as<QueryReply>(); r != nullptr && r->operation == op) {
                if (answered.insert(m->from).second && replies != nullptr) replies->push_back(r->stamped);
            } else if (const auto* a = m->template as<StoreAck>(); a != nullptr && a->operation == op) {
                answered.insert(m->from);
            }
        }
        if (answered.size() >= majority) return true;
    }
    return false;
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    kv::KvResult result;
    if (op.f != kv::Function::get && op.f != kv::Function::put) {
        result.outcome = ClientOutcome::fail;  // a register: no append, cas, counters or sets
        return result;
    }
    const bool put = op.f == kv::Function::put;
    const uint64_t id = next_operation_++;
    std::vector<Stamped> replies;
    if (!phase(id, Query{id, op.key}, &replies)) {
        result.outcome = ClientOutcome::fail;  // nothing was stored yet: no effect
        return result;
    }
    Stamped newest;
    for (const Stamped& s : replies)
        if (newest.tag < s.tag) newest = s;
    if (put) {
        newest = Stamped{Tag{newest.tag.counter + 1, ctx_.name()}, true, op.value};
    } else {
        const bool unanimous = std::all_of(replies.begin(), replies.end(), [&](const Stamped& s) { return s.tag == newest.tag; });
        const bool write_back = o_.always_write_back || (!unanimous && !o_.read_skips_write_back);
        if (!write_back) {
            ctx_.annotate("complete", op.key + " " + newest.tag.text());
            result.outcome = ClientOutcome::ok;
            result.found = newest.found;
            result.value = newest.value;
            return result;
        }
    }
    const uint64_t store_id = next_operation_++;
    if (!phase(store_id, Store{store_id, op.key, newest}, nullptr)) {
        result.outcome = put ? ClientOutcome::info : ClientOutcome::fail;
        return result;
    }
    ctx_.annotate("complete", op.key + " " + newest.tag.text());
    result.outcome = ClientOutcome::ok;
    result.found = newest.found;
    if (!put) result.value = newest.value;
    return result;
}

}  // namespace faultline::abd
