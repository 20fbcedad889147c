#include "protocols/crdt/client.h"

#include <fmt/format.h>

namespace faultline::crdt {

Client::Client(Context& ctx, const std::vector<std::string>& servers, Duration timeout, int attempts_max)
    : ctx_(ctx), name_(fmt::format("{}.{}", ctx.name(), ctx.incarnation())), timeout_(timeout), attempts_max_(attempts_max) {
    FL_ASSERT(timeout > Duration::zero() && attempts_max > 0, "a client needs a positive timeout and attempts");
    FL_ASSERT(!servers.empty(), "a client needs servers");
    for (const std::string& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
    current_ = static_cast<std::size_t>(ctx.rng().below(servers_.size()));
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    const ClientRequest request{name_, ++seq_, op};
    const int attempts = op.f == kv::Function::get ? attempts_max_ : 1;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        const NodeId to = server();
        auto reply = ctx_.call(to, request, timeout_);
        if (!reply) {
            next_server();
            continue;
        }
        kv::KvResult result = reply->get<ClientReply>().result;
        result.served_by = to;
        return result;
    }
    kv::KvResult unanswered;
    unanswered.outcome = op.f == kv::Function::get ? ClientOutcome::fail : ClientOutcome::info;
    return unanswered;
}

}  // namespace faultline::crdt
