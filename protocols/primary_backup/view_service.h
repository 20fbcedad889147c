// ViewService: the fenced mode's authority on who is primary (the view service of MIT 6.824's
// primary-backup lab, and the role ZooKeeper or a lease manager plays in real systems).
//
// It hears a Ping from every replica each heartbeat interval and answers with the current View
// (epoch, primary, backups). Rules, each of which the fencing argument needs:
// - It changes the view only after the current view's primary has acknowledged it (set it up:
//   every backup holds its state). So a new primary is always chosen from a view that is fully
//   set up.
// - It promotes only a backup of the current view that still holds that view's state (a backup
//   that restarted since holds nothing and pings initialized_epoch 0).
// - A replica is dead after dead_after of silence; a primary that pings as freshly restarted
//   (epoch_known 0) is dead at once: its state is gone.
// If no backup can be promoted, there is no primary until one comes back: the system chooses
// consistency over availability. The view service itself is assumed not to fail (it is not a
// replica; a nemesis should not target it).
#pragma once

#include "protocols/primary_backup/messages.h"
#include "protocols/primary_backup/options.h"

#include <map>

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
        bool fresh = false;
    };
    bool alive(Context& ctx, NodeId n) const;
    void maybe_change_view(Context& ctx);
    void set_view(Context& ctx, View v);

    Options o_;
    std::vector<NodeId> replicas_;
    View view_;
    bool acked_ = false;
    std::map<NodeId, Seen> seen_;
};

ProcessFactory view_service(Options options);

}  // namespace faultline::primary_backup
