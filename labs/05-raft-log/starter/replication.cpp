// Lab 05: log replication and a key-value store on top. THIS IS THE FILE YOU EDIT (and your lab
// 04 election.cpp, which this lab builds with).
//
// As handed out, this is lab 04's heartbeat.cpp: the leader sends empty AppendEntries, followers
// follow, and no client request is taken. Write Figure 2's AppendEntries rules, the leader's
// bookkeeping (next_index_, match_index_), the commit rule, and client requests served through
// the log. node.h lists the state and the helpers: persist(), apply_committed() (applies entries
// up to commit_index_ and answers their clients), term_at(), last_log_index(), last_log_term().
#include "node.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

void RaftNode::on_heartbeat_timeout(Context& ctx) {
    if (role_ != Role::leader) return;
    for (NodeId peer : peers(ctx)) send_append_entries(ctx, peer);
    reset_heartbeat_timer(ctx);
}

void RaftNode::send_append_entries(Context& ctx, NodeId peer) {
    // TODO(you): the entries from next_index_[peer] on (a bounded batch), with the index and term
    // of the entry just before them, and commit_index_.
    ctx.send(peer, AppendEntries{current_term_, 0, 0, {}, commit_index_});
}

void RaftNode::on_append_entries(Context& ctx, const Envelope& m, const AppendEntries& a) {
    if (a.term < current_term_) {
        ctx.send(m.from, AppendReply{current_term_, false, 0});
        return;
    }
    if (a.term > current_term_ || role_ != Role::follower) {
        const uint64_t was = current_term_;
        become_follower(ctx, a.term);
        if (current_term_ != was) persist(ctx);
    }
    leader_ = m.from;
    reset_election_timer(ctx);
    // TODO(you): refuse unless the log holds an entry at prev_log_index with prev_log_term.
    // Otherwise append the entries that are new, cutting the log at the first one that
    // conflicts (never because of a late, older message), persist, move commit_index_ (not past
    // the last entry this message covers), apply, and reply with the match index.
    ctx.send(m.from, AppendReply{current_term_, true, 0});
}

void RaftNode::on_append_reply(Context& ctx, const Envelope& m, const AppendReply& r) {
    if (r.term > current_term_) {
        become_follower(ctx, r.term);
        persist(ctx);
        return;
    }
    // TODO(you): a leader of r.term records what the follower m.from matched (replies arrive
    // late and twice: never move match_index_ back) and tries to commit; on a refusal it steps
    // next_index_ back and sends again.
}

void RaftNode::advance_commit_index(Context& ctx) {
    // TODO(you): the highest index held by a majority, if its entry is of the current term
    // (Figure 8); then apply_committed(ctx).
}

void RaftNode::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    // TODO(you): a leader appends the operation to its log (reads too: a read that skips the log
    // can be answered by a leader that has been replaced), remembers the request in
    // waiting_[index] for apply_committed to answer, persists, and sends it out. Anyone else
    // answers "not leader", naming the leader it knows.
    ctx.reply(m, ClientReply{false, leader_, {}});
}

bool RaftNode::log_is_up_to_date(uint64_t last_index, uint64_t last_term) const {
    // TODO(you): §5.4.1: the log whose last entry has the later term is more up-to-date; with
    // equal last terms, the longer log is.
    return true;
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
