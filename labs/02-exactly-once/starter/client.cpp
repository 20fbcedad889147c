#include "client.h"

namespace faultline::lab02 {

Client::Client(Context& ctx, const std::string& server, Duration attempt_timeout, int attempts_max)
    : ctx_(ctx), attempt_timeout_(attempt_timeout), attempts_max_(attempts_max) {
    auto id = ctx.find_node(server);
    FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", server);
    FL_ASSERT(attempts_max >= 1, "a client makes at least one attempt");
    server_ = *id;
    client_id_ = ctx.rng().next_u64() | 1;  // from the client's own random stream: distinct per client
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    ++sequence_;
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        auto reply = ctx_.call(server_, Request{op, client_id_, sequence_}, attempt_timeout_);
        if (!reply) continue;  // lost, or late: try again with the same sequence number
        kv::KvResult result = reply->get<Reply>().result;
        result.served_by = server_;
        return result;
    }
    return kv::KvResult{ClientOutcome::info};  // unanswered: it may or may not have happened
}

}  // namespace faultline::lab02
