#include "server.h"

#include <fmt/format.h>

namespace faultline::lab03 {

namespace {
constexpr Duration ping_interval = milliseconds(20);
constexpr Duration forward_timeout = milliseconds(40);
constexpr uint64_t ping_tag = 0, forward_tag = 1;
}  // namespace

void Server::on_start(Context& ctx) {
    view_service_ = *ctx.find_node(view_service_name_);
    ping(ctx);
}

void Server::ping(Context& ctx) {
    ctx.send(view_service_, Ping{acked_, ctx.incarnation()});
    // A state transfer (or its ack) may have been lost: send it again until the view is set up.
    if (view_.primary == ctx.id() && view_.backup != no_node && acked_ < view_.number) send_state(ctx);
    ctx.set_timer(ping_interval, ping_tag);
}

void Server::on_timer(Context& ctx, TimerId timer, uint64_t tag) {
    if (tag == ping_tag) ping(ctx);
    else if (tag == forward_tag && forwarding_ && timer == forward_timer_) finish_head(ctx, false);
}

void Server::on_message(Context& ctx, const Envelope& m) {
    if (const auto* v = m.as<ViewReply>()) on_view(ctx, v->view);
    else if (const auto* r = m.as<Request>()) on_request(ctx, m, *r);
    else if (const auto* f = m.as<Forward>()) on_forward(ctx, m, *f);
    else if (const auto* a = m.as<ForwardAck>()) on_forward_ack(ctx, m, *a);
    else if (const auto* t = m.as<StateTransfer>()) on_state(ctx, m, *t);
    else if (const auto* s = m.as<StateAck>()) {
        if (s->view == view_.number && view_.primary == ctx.id()) acked_ = view_.number;
    }
}

void Server::send_state(Context& ctx) { ctx.send(view_.backup, StateTransfer{view_, store_}); }

void Server::on_view(Context& ctx, const View& v) {
    if (v.number <= view_.number) return;
    view_ = v;
    ctx.annotate("role", v.primary == ctx.id() ? "primary" : v.backup == ctx.id() ? "backup" : "idle");
    // Requests of an older view are refused: their clients ask the view service again.
    while (!waiting_.empty()) finish_head(ctx, false);
    if (v.primary == ctx.id() && v.backup != no_node && mistake_ != Mistake::no_state_transfer) {
        send_state(ctx);  // acknowledged when the backup says it holds it (StateAck)
        return;
    }
    acked_ = v.number;
}

void Server::on_state(Context& ctx, const Envelope& m, const StateTransfer& t) {
    if (t.view.number < view_.number || t.view.backup != ctx.id()) return;
    store_ = t.store;
    if (t.view.number > view_.number) {
        view_ = t.view;
        ctx.annotate("role", "backup");
        acked_ = t.view.number;
    }
    ctx.send(m.from, StateAck{t.view.number});
}

void Server::on_request(Context& ctx, const Envelope& m, const Request& r) {
    const bool set_up = view_.backup == no_node || acked_ == view_.number;
    if (view_.primary != ctx.id() || !set_up) {
        ctx.reply(m, Reply{false, {}});
        return;
    }
    const bool alone = view_.backup == no_node || mistake_ == Mistake::no_forwarding ||
                       (mistake_ == Mistake::reads_served_locally && r.op.f == kv::Function::get);
    if (alone) {
        ctx.reply(m, Reply{true, store_.apply(r.op, r.client, r.sequence)});
        return;
    }
    waiting_.push_back({m, r});
    pump(ctx);
}

void Server::pump(Context& ctx) {
    while (!forwarding_ && !waiting_.empty()) {
        const Request& r = waiting_.front().request;
        if (const kv::KvResult* done = store_.applied(r.client, r.sequence)) {
            ctx.reply(waiting_.front().message, Reply{true, *done});  // a retry: applied already
            waiting_.pop_front();
            continue;
        }
        ctx.send(view_.backup, Forward{view_.number, r.op, r.client, r.sequence});
        forwarding_ = true;
        forward_timer_ = ctx.set_timer(forward_timeout, forward_tag);
    }
}

void Server::finish_head(Context& ctx, bool ok) {
    if (waiting_.empty()) return;
    const Waiting w = waiting_.front();
    waiting_.pop_front();
    if (forwarding_) ctx.cancel_timer(forward_timer_);
    forwarding_ = false;
    if (ok) ctx.reply(w.message, Reply{true, store_.apply(w.request.op, w.request.client, w.request.sequence)});
    else ctx.reply(w.message, Reply{false, {}});
    pump(ctx);
}

void Server::on_forward_ack(Context& ctx, const Envelope& m, const ForwardAck& a) {
    if (!forwarding_ || m.from != view_.backup) return;
    finish_head(ctx, a.ok && a.view == view_.number);
}

void Server::on_forward(Context& ctx, const Envelope& m, const Forward& f) {
    // Fencing: only the primary of this very view may have its operations applied here.
    const bool current = f.view == view_.number && view_.backup == ctx.id() && m.from == view_.primary;
    if (!current && mistake_ != Mistake::no_fencing) {
        ctx.send(m.from, ForwardAck{view_.number, false});
        return;
    }
    store_.apply(f.op, f.client, f.sequence);
    ctx.send(m.from, ForwardAck{mistake_ == Mistake::no_fencing ? f.view : view_.number, true});
}

std::string Server::describe_state() const {
    return fmt::format("{}, acked {}, {} keys, {} waiting", view_.describe(), acked_, store_.data().size(), waiting_.size());
}

ProcessFactory server(std::string view_service, Mistake mistake) {
    return [view_service, mistake] { return std::make_unique<Server>(view_service, mistake); };
}

}  // namespace faultline::lab03
