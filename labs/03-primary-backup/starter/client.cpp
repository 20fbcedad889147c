#include "client.h"

namespace faultline::lab03 {

Client::Client(Context& ctx, const std::string& view_service, Duration attempt_timeout, int attempts_max)
    : ctx_(ctx), attempt_timeout_(attempt_timeout), attempts_max_(attempts_max) {
    auto id = ctx.find_node(view_service);
    FL_ASSERT(id.has_value(), "view service '{}' is not a node of this run", view_service);
    FL_ASSERT(attempts_max >= 1, "a client makes at least one attempt");
    view_service_ = *id;
    client_id_ = ctx.rng().next_u64() | 1;
}

void Client::refresh_view() {
    if (auto reply = ctx_.call(view_service_, GetView{}, attempt_timeout_)) view_ = reply->get<ViewReply>().view;
}

kv::KvResult Client::execute(const kv::KvOp& op) {
    ++sequence_;
    for (int attempt = 0; attempt < attempts_max_; ++attempt) {
        if (view_.primary == no_node) {
            refresh_view();
            if (view_.primary == no_node) {
                ctx_.sleep(attempt_timeout_);  // no primary yet (or none can be made): wait
                continue;
            }
        }
        const NodeId primary = view_.primary;
        auto reply = ctx_.call(primary, Request{op, client_id_, sequence_}, attempt_timeout_);
        if (reply && reply->get<Reply>().ok) {
            kv::KvResult result = reply->get<Reply>().result;
            result.served_by = primary;
            return result;
        }
        view_ = View{};  // refused or silent: ask the view service again
    }
    return kv::KvResult{ClientOutcome::info};
}

}  // namespace faultline::lab03
