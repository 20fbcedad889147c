#include "view_service.h"

#include <fmt/format.h>

namespace faultline::lab03 {

namespace {
constexpr Duration tick = milliseconds(20);
constexpr Duration dead_after = milliseconds(100);
}  // namespace

void ViewService::on_start(Context& ctx) {
    for (const auto& n : names_) servers_.push_back(*ctx.find_node(n));
    ctx.set_timer(tick);
}

bool ViewService::alive(Context& ctx, NodeId s) const {
    auto it = heard_.find(s);
    if (it == heard_.end() || ctx.now() - it->second.at > dead_after) return false;
    auto member = member_incarnation_.find(s);
    return member == member_incarnation_.end() || member->second == it->second.incarnation;
}

void ViewService::change(Context& ctx, NodeId primary, NodeId backup) {
    view_ = View{view_.number + 1, primary, backup};
    acked_ = false;
    member_incarnation_.clear();
    for (NodeId s : {primary, backup})
        if (s != no_node) member_incarnation_[s] = heard_[s].incarnation;
    ctx.annotate("view", view_.describe());
}

void ViewService::decide(Context& ctx) {
    auto idle = [&]() -> NodeId {
        for (NodeId s : servers_)
            if (s != view_.primary && s != view_.backup && heard_.count(s) && ctx.now() - heard_[s].at <= dead_after) return s;
        return no_node;
    };
    if (view_.number == 0) {
        if (NodeId first = idle(); first != no_node) change(ctx, first, no_node);
        return;
    }
    if (!acked_) return;
    const bool primary_ok = alive(ctx, view_.primary);
    const bool backup_ok = view_.backup != no_node && alive(ctx, view_.backup);
    if (!primary_ok) {
        if (backup_ok) change(ctx, view_.backup, idle());
        return;
    }
    if (view_.backup != no_node && !backup_ok) change(ctx, view_.primary, idle());
    else if (view_.backup == no_node)
        if (NodeId b = idle(); b != no_node) change(ctx, view_.primary, b);
}

void ViewService::on_message(Context& ctx, const Envelope& m) {
    if (const auto* p = m.as<Ping>()) {
        heard_[m.from] = Heard{ctx.now(), p->incarnation};
        if (m.from == view_.primary && p->acked == view_.number && alive(ctx, m.from)) acked_ = true;
        decide(ctx);
        ctx.reply(m, ViewReply{view_});
    } else if (m.as<GetView>()) {
        ctx.reply(m, ViewReply{view_});
    }
}

void ViewService::on_timer(Context& ctx, TimerId, uint64_t) {
    decide(ctx);
    ctx.set_timer(tick);
}

std::string ViewService::describe_state() const { return fmt::format("{}{}", view_.describe(), acked_ ? " (acked)" : ""); }

ProcessFactory view_service(std::vector<std::string> servers) {
    return [servers] { return std::make_unique<ViewService>(servers); };
}

}  // namespace faultline::lab03
