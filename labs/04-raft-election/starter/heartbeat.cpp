// Lab 04's stand-in for replication: the leader's heartbeats, and a follower's answer to them.
// You need not change this file. (Lab 05 replaces it with replication.cpp, where AppendEntries
// carries log entries; here the log is always empty.)
#include "node.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

void RaftNode::on_heartbeat_timeout(Context& ctx) {
    if (role_ != Role::leader) return;  // a deposed leader stops
    for (NodeId peer : peers(ctx)) send_append_entries(ctx, peer);
    reset_heartbeat_timer(ctx);
}

void RaftNode::send_append_entries(Context& ctx, NodeId peer) {
    ctx.send(peer, AppendEntries{current_term_, 0, 0, {}, commit_index_});  // a heartbeat
}

void RaftNode::advance_commit_index(Context&) {}  // nothing to commit in lab 04

void RaftNode::on_append_entries(Context& ctx, const Envelope& m, const AppendEntries& a) {
    if (a.term < current_term_) {  // from a deposed leader: tell it the newer term
        ctx.send(m.from, AppendReply{current_term_, false, 0});
        return;
    }
    // A leader of this term or a newer one: follow it (a candidate of this term gives up).
    if (a.term > current_term_ || role_ != Role::follower) {
        const uint64_t was = current_term_;
        become_follower(ctx, a.term);
        if (current_term_ != was) persist(ctx);  // a term this server adopted must survive a crash
    }
    leader_ = m.from;
    reset_election_timer(ctx);  // the leader is alive: no election for another timeout
    ctx.send(m.from, AppendReply{current_term_, true, 0});
}

void RaftNode::on_append_reply(Context& ctx, const Envelope&, const AppendReply& r) {
    if (r.term > current_term_) {  // this leader has been replaced
        become_follower(ctx, r.term);
        persist(ctx);
    }
}

void RaftNode::on_client_request(Context& ctx, const Envelope& m, const ClientRequest&) {
    ctx.reply(m, ClientReply{false, leader_, {}});  // lab 04 serves no clients
}

bool RaftNode::log_is_up_to_date(uint64_t, uint64_t) const {
    return true;  // lab 04's logs are empty, so every candidate's is as up-to-date as ours
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
