#include "protocols/primary_backup/view_service.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::primary_backup {

ProcessFactory view_service(Options options) {
    return [options] { return std::make_unique<ViewService>(options); };
}

void ViewService::on_start(Context& ctx) {
    for (const auto& name : o_.replicas) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "replica '{}' is not a node of this run", name);
        replicas_.push_back(*id);
    }
    ctx.annotate("epoch", "0");
    ctx.set_timer(o_.heartbeat_interval);
}

bool ViewService::alive(Context& ctx, NodeId n) const {
    auto it = seen_.find(n);
    if (it == seen_.end() || it->second.fresh) return false;
    return ctx.now() - it->second.last_ping <= o_.dead_after;
}

void ViewService::on_message(Context& ctx, const Envelope& m) {
    auto* p = m.as<Ping>();
    if (p == nullptr) return;
    Seen& s = seen_[m.from];
    s.last_ping = ctx.now();
    s.initialized_epoch = p->initialized_epoch;
    // A replica that pings epoch 0 after the first view exists has restarted and lost its state.
    s.fresh = p->epoch_known == 0 && view_.epoch > 0 && m.from == view_.primary;
    if (m.from == view_.primary && p->acked_epoch == view_.epoch && view_.epoch > 0) acked_ = true;
    maybe_change_view(ctx);
    ctx.reply(m, ViewReply{view_});
}

void ViewService::on_timer(Context& ctx, TimerId, uint64_t) {
    maybe_change_view(ctx);
    ctx.set_timer(o_.heartbeat_interval);
}

void ViewService::maybe_change_view(Context& ctx) {
    if (view_.epoch == 0) {
        // The first view: the first replica (in configuration order) that is alive.
        for (NodeId r : replicas_) {
            if (!alive(ctx, r)) continue;
            View v{1, r, {}};
            for (NodeId b : replicas_)
                if (b != r && alive(ctx, b)) v.backups.push_back(b);
            set_view(ctx, v);
            return;
        }
        return;
    }
    if (!acked_) return;  // never move on from a view that is not set up
    std::vector<NodeId> live_backups;
    for (NodeId b : view_.backups)
        if (alive(ctx, b)) live_backups.push_back(b);
    if (!alive(ctx, view_.primary)) {
        // Promote a backup that holds this view's state; without one, wait (no primary).
        for (NodeId b : live_backups) {
            if (seen_[b].initialized_epoch != view_.epoch) continue;
            View v{view_.epoch + 1, b, {}};
            for (NodeId r : replicas_)
                if (r != b && alive(ctx, r)) v.backups.push_back(r);
            set_view(ctx, v);
            return;
        }
        return;
    }
    // Membership: drop dead backups, add replicas that are alive and not in the view.
    std::vector<NodeId> want;
    for (NodeId r : replicas_)
        if (r != view_.primary && alive(ctx, r)) want.push_back(r);
    if (want != view_.backups) set_view(ctx, View{view_.epoch + 1, view_.primary, want});
}

void ViewService::set_view(Context& ctx, View v) {
    FL_ASSERT(v.epoch == view_.epoch + 1, "views advance one epoch at a time");
    FL_ASSERT(v.primary != no_node, "a view needs a primary");
    view_ = std::move(v);
    acked_ = false;
    std::string backups;
    for (NodeId b : view_.backups) backups += (backups.empty() ? "" : ",") + ctx.node_name(b);
    ctx.logf("view {}: primary {}, backups [{}]", view_.epoch, ctx.node_name(view_.primary), backups);
    ctx.annotate("epoch", std::to_string(view_.epoch));
    ctx.annotate("primary", ctx.node_name(view_.primary));
}

std::string ViewService::describe_state() const {
    return fmt::format("view {} primary {} backups {} acked {}", view_.epoch, view_.primary, view_.backups.size(), acked_);
}

}  // namespace faultline::primary_backup
