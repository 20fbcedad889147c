#include "client.h"

namespace faultline::lab01 {

Client::Client(Context& ctx, const std::vector<std::string>& servers, Duration attempt_timeout, int attempts_max)
    : ctx_(ctx), attempt_timeout_(attempt_timeout), attempts_max_(attempts_max) {
    for (const auto& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
    FL_ASSERT(!servers_.empty() && attempts_max >= 1, "a client needs servers and at least one attempt");
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    FL_ASSERT(op.f == kv::Function::get || op.f == kv::Function::put, "lab01 serves get and put");
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        const NodeId server = servers_[ctx_.rng().below(servers_.size())];
        auto reply = ctx_.call(server, Request{op, context_[op.key]}, attempt_timeout_);
        if (!reply) continue;
        const Reply& r = reply->get<Reply>();
        context_[op.key] = r.context;
        kv::KvResult result;
        result.outcome = ClientOutcome::ok;
        result.served_by = server;
        if (op.f == kv::Function::get && !r.values.empty()) {
            result.found = true;
            result.value = r.values.front();
            if (r.values.size() > 1) result.siblings = r.values;
        }
        return result;
    }
    return kv::KvResult{ClientOutcome::info};  // unanswered: a put may or may not have happened
}

}  // namespace faultline::lab01
