// ViewService: the fenced mode's authority on who is primary (the view service of MIT 6.824's
// primary-backup lab, and the role ZooKeeper or a lease manager plays in real systems).
//
// It hears a Ping from every replica each heartbeat interval and answers with the current View
// (epoch, primary, backups). Rules, each of which the fencing argument needs:
// - It changes membership only after the current view's primary has acknowledged the view (set it
//   up: every backup holds its state).
// - It promotes only a backup of the current view that reports holding that view's state (it got
//   the primary's transfer; a backup that restarted since holds nothing and pings
//   initialized_epoch 0), or, failing one, the previous view's state as a member of that view.
//   Either may be promoted before the view was acknowledged: the primary serves nothing until
//   every backup has its state, so an unacknowledged view completed nothing.
// - A restarted primary that cannot be replaced yet is told the view without a primary, so it
//   stays idle instead of serving the view it lost.
// - A replica is dead after dead_after of silence; a primary that pings as freshly restarted
//   (epoch_known 0, or an incarnation other than the one it had when its view was made) is dead
//   at once: its state is gone. Epoch 0 alone is not enough: a restarted primary may first hear
//   an older epoch from a stale primary and ping that (nemesis seed 33 of the fenced
//   primary-backup sweep: it then served view 5 again with view 4's state, losing writes).
// If no backup can be promoted, there is no primary until one comes back: the system chooses
// consistency over availability. The view service itself is assumed not to fail (it is not a
// replica; a nemesis should not target it).
#pragma once

#include "protocols/primary_backup/messages.h"
#include "protocols/primary_backup/options.h"

#include <map>
#include <set>

namespace faultline::primary_backup {

class ViewService final : public Process {
public:
    explicit ViewService(Options options) : o_(std::move(options)) {}
    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId, uint64_t) override;
    std::string describe_state() const override;
    const View& view() const { return view_; }

private:
    struct Seen {
        Instant last_ping;
        uint64_t initialized_epoch = 0;
        uint64_t incarnation = 0;
        bool fresh = false;
    };
    bool alive(Context& ctx, NodeId n) const;
    void maybe_change_view(Context& ctx);
    void set_view(Context& ctx, View v);

    Options o_;
    std::vector<NodeId> replicas_;
    View view_;
    uint64_t primary_incarnation_ = 0;
    std::set<NodeId> previous_members_;  // primary and backups of the view before this one  // the view's primary's incarnation when the view was made
    bool acked_ = false;
    std::map<NodeId, Seen> seen_;
};

ProcessFactory view_service(Options options);

}  // namespace faultline::primary_backup
