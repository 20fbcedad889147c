#include "server.h"

#include <fmt/format.h>

namespace faultline::lab03 {

namespace {
constexpr Duration ping_interval = milliseconds(20);
}

void Server::on_start(Context& ctx) {
    view_service_ = *ctx.find_node(view_service_name_);
    ping(ctx);
}

void Server::ping(Context& ctx) {
    ctx.send(view_service_, Ping{acked_, ctx.incarnation()});
    ctx.set_timer(ping_interval);
}

void Server::on_timer(Context& ctx, TimerId, uint64_t) { ping(ctx); }

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* v = m.as<ViewReply>()) on_view(ctx, v->view);
    else if (const auto* r = m.as<Request>()) on_request(ctx, m, *r);
    // TODO(you): Forward, ForwardAck, StateTransfer and StateAck.
}

void Server::on_view(Context& ctx, const View& v) {
    if (v.number <= view_.number) return;
    view_ = v;
    ctx.annotate("role", v.primary == ctx.id() ? "primary" : v.backup == ctx.id() ? "backup" : "idle");
    // TODO(you): a primary with a new backup hands it the whole store (StateTransfer) and
    // acknowledges the view only once the backup has said it holds it (StateAck).
    acked_ = v.number;
}

void Server::on_request(Context& ctx, const Envelope& m, const Request& r) {
    if (view_.primary != ctx.id()) {
        ctx.reply(m, Reply{false, {}});
        return;
    }
    // TODO(you): with a backup, forward the operation (reads too) and answer only once the
    // backup has applied it in this very view. A backup in another view must refuse: that is
    // what stops a primary that has been replaced.
    ctx.reply(m, Reply{true, store_.apply(r.op, r.client, r.sequence)});
}

std::string Server::describe_state() const {
    return fmt::format("{}, acked {}, {} keys", view_.describe(), acked_, store_.data().size());
}

ProcessFactory server(std::string view_service) {
    return [view_service] { return std::make_unique<Server>(view_service); };
}

}  // namespace faultline::lab03
