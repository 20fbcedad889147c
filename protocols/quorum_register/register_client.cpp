#include "protocols/quorum_register/register_client.h"

namespace faultline::quorum_register {

RegisterClient::RegisterClient(Context& ctx, const std::vector<std::string>& servers, Duration timeout)
    : ctx_(ctx), timeout_(timeout) {
    FL_ASSERT(!servers.empty(), "a client needs servers to talk to");
    FL_ASSERT(timeout > Duration::zero(), "the client's timeout must be positive");
    for (const auto& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
}

kv::KvResult RegisterClient::execute(const kv::KvOp& op) {
    NodeId server = servers_[ctx_.rng().below(servers_.size())];
    auto reply = ctx_.call(server, ClientRequest{op}, timeout_);
    if (!reply) return kv::KvResult{};  // outcome info: it may have taken effect
    kv::KvResult result = reply->get<ClientReply>().result;
    result.served_by = server;
    return result;
}

}  // namespace faultline::quorum_register
