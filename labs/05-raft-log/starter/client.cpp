#include "client.h"

namespace faultline::raft_lab {

Client::Client(Context& ctx, const std::vector<std::string>& servers, Duration attempt_timeout, int attempts_max)
    : ctx_(ctx), attempt_timeout_(attempt_timeout), attempts_max_(attempts_max) {
    FL_ASSERT(attempts_max >= 1, "a client makes at least one attempt");
    for (const auto& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
    client_id_ = ctx.rng().next_u64() | 1;
    next_ = static_cast<std::size_t>(ctx.rng().below(servers_.size()));
}

std::unique_ptr<kv::KvClient> make_client(Context& ctx, const std::vector<std::string>& servers,
                                          const plugin::ClientSettings& settings) {
    return std::make_unique<Client>(ctx, servers, settings.attempt_timeout, settings.attempts_max);
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    ++sequence_;
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        NodeId to = leader_;
        if (to == no_node) {
            to = servers_[next_];
            next_ = (next_ + 1) % servers_.size();
        }
        auto reply = ctx_.call(to, ClientRequest{op, client_id_, sequence_}, attempt_timeout_);
        if (reply && reply->get<ClientReply>().ok) {
            leader_ = to;
            kv::KvResult result = reply->get<ClientReply>().result;
            result.served_by = to;
            return result;
        }
        // Refused: try the leader it names, unless that is where we just were. Silent: move on.
        const NodeId hint = reply ? reply->get<ClientReply>().leader_hint : no_node;
        leader_ = hint != to ? hint : no_node;
        if (!reply || leader_ == no_node) ctx_.sleep(attempt_timeout_ / 4);  // perhaps no leader yet
    }
    kv::KvResult unknown;
    unknown.outcome = ClientOutcome::info;
    return unknown;
}

}  // namespace faultline::raft_lab
