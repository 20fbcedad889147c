#include "protocols/primary_backup/client.h"

#include <algorithm>

namespace faultline::primary_backup {

PbClient::PbClient(Context& ctx, ClientOptions options) : ctx_(ctx), o_(std::move(options)) {
    FL_ASSERT(!o_.replicas.empty(), "a client needs replicas to talk to");
    FL_ASSERT(o_.attempts_max > 0, "attempts_max must be positive");
    for (const auto& name : o_.replicas) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "replica '{}' is not a node of this run", name);
        replicas_.push_back(*id);
    }
    // A session id from the client's own stream: distinct per client and per incarnation.
    client_id_ = ctx.rng().next_u64() | 1;
}

kv::KvResult PbClient::execute(const kv::KvOp& op) {
    ++sequence_;
    ClientRequest req{op, client_id_, sequence_};
    for (int attempt = 0; attempt < o_.attempts_max; ++attempt) {
        NodeId to = replicas_[target_ % replicas_.size()];
        // Buggify (client layer): an impatient client gives up on this attempt after 1 ms and
        // sends the same request to the same replica at once, while the first copy is still on
        // its way: the primary sees it twice, maybe the second while the first is replicating,
        // and must apply it once (sessions) and answer both alike.
        const bool impatient = ctx_.buggify("primary_backup.client_impatient_retry", 0.1);
        auto reply = ctx_.call(to, req, impatient ? milliseconds(1) : o_.call_timeout);
        if (!reply) {
            if (!impatient) ++target_;  // crashed, partitioned or deposed: try the next replica
            continue;
        }
        const auto& r = reply->get<ClientReply>();
        if (r.status == ReplyStatus::ok) {
            kv::KvResult result = r.result;
            result.served_by = to;
            return result;
        }
        auto hint = std::find(replicas_.begin(), replicas_.end(), r.primary_hint);
        if (hint != replicas_.end() && *hint != to) {
            target_ = static_cast<std::size_t>(hint - replicas_.begin());
        } else {
            ++target_;
            ctx_.sleep(o_.retry_backoff);
        }
    }
    return kv::KvResult{ClientOutcome::info};
}

}  // namespace faultline::primary_backup
