// Lab 04: leader election. THIS IS THE FILE YOU EDIT.
//
// As handed out, a server never stands for election and never grants a vote: the cluster has no
// leader, ever. Write Figure 2's rules for candidates and for RequestVote (§5.2), with the term
// and vote persisted (§5.1, "Persistent state on all servers"). node.h lists the state and the
// helpers you have: persist(), reset_election_timer(), reset_heartbeat_timer(), peers(),
// majority(), last_log_index(), last_log_term(), log_is_up_to_date().
#include "node.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

void RaftNode::on_election_timeout(Context& ctx) {
    // TODO(you): a leader only re-arms the timer. Anyone else starts an election: a new term,
    // a vote for itself, RequestVote to every peer, and a fresh timer (in case this election
    // splits the vote).
    reset_election_timer(ctx);
}

void RaftNode::on_request_vote(Context& ctx, const Envelope& m, const RequestVote& r) {
    // TODO(you): a newer term makes this server a follower of it first. Grant the vote when the
    // request is of the current term, this server has not voted for someone else in it, and
    // the candidate's log is at least as up-to-date as ours. Whatever you promise must be on
    // disk before the reply leaves.
    ctx.send(m.from, VoteReply{current_term_, false});
}

void RaftNode::on_vote_reply(Context& ctx, const Envelope& m, const VoteReply& r) {
    // TODO(you): a newer term makes this server a follower. A candidate counts the votes
    // granted in its current term (each voter once) and becomes leader with a majority.
}

void RaftNode::become_follower(Context& ctx, uint64_t term) {
    // TODO(you): adopt `term` if it is newer (a new term has no vote cast yet) and step down.
    role_ = Role::follower;
}

void RaftNode::become_leader(Context& ctx) {
    // TODO(you): lead, and tell everyone at once (on_heartbeat_timeout sends the heartbeats and
    // re-arms their timer). Lab 05: set up next_index_ and match_index_ here too.
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
