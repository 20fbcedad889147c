#include "protocols/dynamo/client.h"

#include <algorithm>

namespace faultline::dynamo {

Client::Client(Context& ctx, std::shared_ptr<const Ring> ring, std::size_t n, Duration timeout, int attempts_max, Duration suspect)
    : ctx_(ctx), ring_(std::move(ring)), n_(n), timeout_(timeout), attempts_max_(attempts_max), suspect_(suspect) {
    FL_ASSERT(timeout > Duration::zero() && attempts_max > 0, "a client needs a positive timeout and attempts");
    for (const std::string& name : ring_->servers()) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        ids_.push_back(*id);
    }
}

std::vector<NodeId> Client::coordinators(const std::string& key) {
    std::vector<NodeId> out;
    for (std::size_t i : ring_->walk(key)) out.push_back(ids_[i]);
    const std::size_t n = std::min(n_, out.size());
    std::rotate(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(ctx_.rng().below(n)), out.begin() + static_cast<std::ptrdiff_t>(n));
    // Suspected coordinators last, each group in the order above.
    const Instant now = ctx_.now();
    std::stable_partition(out.begin(), out.end(), [&](NodeId c) {
        auto it = suspect_until_.find(c);
        return it == suspect_until_.end() || it->second <= now;
    });
    return out;
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    const std::vector<NodeId> order = coordinators(op.key);
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        const NodeId coordinator = order[static_cast<std::size_t>(attempt) % order.size()];
        auto reply = ctx_.call(coordinator, ClientRequest{op, context_[op.key]}, timeout_);
        if (!reply) {
            suspect_until_[coordinator] = ctx_.now() + suspect_;
            continue;
        }
        suspect_until_.erase(coordinator);
        const ClientReply& r = reply->get<ClientReply>();
        kv::KvResult result = r.result;
        result.served_by = coordinator;
        if (result.outcome == ClientOutcome::ok) context_[op.key].merge(r.context);
        return result;
    }
    kv::KvResult unanswered;
    unanswered.outcome = op.f == kv::Function::get ? ClientOutcome::fail : ClientOutcome::info;
    return unanswered;
}

}  // namespace faultline::dynamo
