// Lab 03's view service: the one authority on who is primary. You need not change this file, but
// your server's correctness depends on its rules, so read them.
//
// Every server pings it every 20 ms; it answers with the current view. It declares a server dead
// after 100 ms without a ping, or at once when the server pings with a new incarnation (it
// restarted: its memory is gone). Then:
//   - the first view makes the first server that pings primary, with no backup;
//   - it moves to a new view only once the current view's primary has acknowledged it (pinged
//     acked = the view's number): a primary acknowledges only when its backup holds its state;
//   - a dead primary is replaced by the backup (never by an idle server, which holds nothing), and
//     a live idle server becomes the new backup; a dead backup is replaced by an idle server;
//   - if the primary is dead and there is no backup, nothing can be promoted: no primary until
//     the old one comes back (consistency over availability).
// It is assumed not to fail (it is not a replica).
#pragma once

#include "messages.h"

#include <map>
#include <vector>

namespace faultline::lab03 {

class ViewService final : public Process {
public:
    explicit ViewService(std::vector<std::string> servers) : names_(std::move(servers)) {}
    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId, uint64_t) override;
    std::string describe_state() const override;
    const View& view() const { return view_; }

private:
    struct Heard {
        Instant at;
        uint32_t incarnation = 0;
    };
    bool alive(Context& ctx, NodeId s) const;
    void decide(Context& ctx);
    void change(Context& ctx, NodeId primary, NodeId backup);

    std::vector<std::string> names_;
    std::vector<NodeId> servers_;
    std::map<NodeId, Heard> heard_;
    std::map<NodeId, uint32_t> member_incarnation_;  // of the current view's members, when it was made
    View view_;
    bool acked_ = false;
};

ProcessFactory view_service(std::vector<std::string> servers);

}  // namespace faultline::lab03
