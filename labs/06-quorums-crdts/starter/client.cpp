#include "client.h"

namespace faultline::lab06 {

Client::Client(Context& ctx, Kind kind, const std::vector<std::string>& servers, Duration attempt_timeout,
               int attempts_max)
    : ctx_(ctx), kind_(kind), attempt_timeout_(attempt_timeout), attempts_max_(attempts_max) {
    for (const auto& name : servers) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server '{}' is not a node of this run", name);
        servers_.push_back(*id);
    }
    FL_ASSERT(!servers_.empty() && attempts_max >= 1, "a client needs servers and at least one attempt");
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    const bool retry = kind_ == Kind::store || op.f == kv::Function::get;
    const int attempts = retry ? attempts_max_ : 1;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        const NodeId server = servers_[ctx_.rng().below(servers_.size())];
        auto reply = ctx_.call(server, Request{op, context_[op.key]}, attempt_timeout_);
        if (!reply) continue;
        const Reply& r = reply->get<Reply>();
        if (kind_ == Kind::store) context_[op.key] = r.context;
        kv::KvResult result;
        result.outcome = ClientOutcome::ok;
        result.served_by = server;
        if (op.f == kv::Function::get && !r.values.empty()) {
            result.found = true;
            result.value = r.values.back();
            if (r.values.size() > 1) result.siblings = r.values;
        }
        return result;
    }
    return kv::KvResult{ClientOutcome::info};  // unanswered: an update may or may not have happened
}

}  // namespace faultline::lab06
