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
    s.incarnation = p->incarnation;
    // The primary has restarted and lost its state if it pings epoch 0 after the first view, or
    // pings from another incarnation than the one its view was made with.
    bool restarted = p->epoch_known == 0 || p->incarnation != primary_incarnation_;
    s.fresh = restarted && view_.epoch > 0 && m.from == view_.primary;
    if (m.from == view_.primary && p->acked_epoch == view_.epoch && view_.epoch > 0) acked_ = true;
    maybe_change_view(ctx);
    View reply = view_;
    // A restarted primary that could not be replaced yet must not serve the view it lost: it
    // hears the view without a primary and stays idle.
    if (m.from == view_.primary && s.fresh) reply.primary = no_node;
    ctx.reply(m, ViewReply{reply});
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
    std::vector<NodeId> live_backups;
    for (NodeId b : view_.backups)
        if (alive(ctx, b)) live_backups.push_back(b);
    if (!alive(ctx, view_.primary)) {
        // Promote a backup that holds this view's state; without one, wait (no primary). This
        // may happen before the primary acknowledged the view: a backup that reports this
        // epoch's state got it from the primary's transfer, and the primary serves nothing
        // before every backup has it, so nothing acknowledged can be missing.
        // Best a backup that holds this view's state. Failing that, one that held the previous
        // view's state as a member of it: if this view was never set up, nothing completed in it
        // (the primary serves only once every backup has its state), and a member of the
        // previous view accepted everything that completed there.
        for (bool previous : {false, true}) {
            for (NodeId b : live_backups) {
                uint64_t holds = seen_[b].initialized_epoch;
                bool eligible = previous ? holds + 1 == view_.epoch && previous_members_.count(b) > 0
                                         : holds == view_.epoch;
                if (!eligible) continue;
                View v{view_.epoch + 1, b, {}};
                for (NodeId r : replicas_)
                    if (r != b && alive(ctx, r)) v.backups.push_back(r);
                set_view(ctx, v);
                return;
            }
        }
        return;
    }
    if (!acked_) return;  // membership never moves on from a view that is not set up
    // Membership: drop dead backups, add replicas that are alive and not in the view.
    std::vector<NodeId> want;
    for (NodeId r : replicas_)
        if (r != view_.primary && alive(ctx, r)) want.push_back(r);
    if (want != view_.backups) set_view(ctx, View{view_.epoch + 1, view_.primary, want});
}

void ViewService::set_view(Context& ctx, View v) {
    FL_ASSERT(v.epoch == view_.epoch + 1, "views advance one epoch at a time");
    FL_ASSERT(v.primary != no_node, "a view needs a primary");
    previous_members_.clear();
    if (view_.epoch > 0) {
        previous_members_.insert(view_.primary);
        previous_members_.insert(view_.backups.begin(), view_.backups.end());
    }
    view_ = std::move(v);
    primary_incarnation_ = seen_[view_.primary].incarnation;
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
