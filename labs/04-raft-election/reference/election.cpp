// Lab 04's reference solution: leader election (§5.2) with the term and vote persisted (§5.1).
// settings_.mistake plants one of lab.toml's typical partial solutions, for the grader's tests.
#include "node.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {
bool planted(const Settings& s, std::string_view mistake) { return s.mistake == mistake; }
}  // namespace

void RaftNode::on_election_timeout(Context& ctx) {
    reset_election_timer(ctx);
    if (role_ == Role::leader && !planted(settings_, "leader_runs_elections")) return;
    ++current_term_;
    role_ = Role::candidate;
    voted_for_ = ctx.id();
    leader_ = no_node;
    votes_ = {ctx.id()};
    if (!planted(settings_, "nothing_persisted")) persist(ctx);
    for (NodeId peer : peers(ctx)) ctx.send(peer, RequestVote{current_term_, last_log_index(), last_log_term()});
    if (votes_.size() >= majority()) become_leader(ctx);  // a cluster of one
}

void RaftNode::on_request_vote(Context& ctx, const Envelope& m, const RequestVote& r) {
    if (r.term > current_term_) become_follower(ctx, r.term);
    const bool free = voted_for_ == no_node || voted_for_ == m.from || planted(settings_, "vote_not_recorded");
    const bool grant = r.term == current_term_ && free && log_is_up_to_date(r.last_log_index, r.last_log_term);
    if (grant) {
        if (!planted(settings_, "vote_not_recorded")) voted_for_ = m.from;
        reset_election_timer(ctx);  // a candidate that may win: give it time to
    }
    if (!planted(settings_, "nothing_persisted")) persist(ctx);
    ctx.send(m.from, VoteReply{current_term_, grant});
}

void RaftNode::on_vote_reply(Context& ctx, const Envelope& m, const VoteReply& r) {
    if (r.term > current_term_) {
        become_follower(ctx, r.term);
        if (!planted(settings_, "nothing_persisted")) persist(ctx);
        return;
    }
    if (role_ != Role::candidate || r.term != current_term_ || !r.granted) return;
    // The mistake counts replies, not voters: each reply takes a slot of its own, so a reply the
    // network duplicated counts twice.
    const bool replies = planted(settings_, "votes_counted_twice");
    votes_.insert(replies ? static_cast<NodeId>(no_node - 1 - votes_.size()) : m.from);
    if (votes_.size() >= majority()) become_leader(ctx);
}

void RaftNode::become_follower(Context& ctx, uint64_t term) {
    if (term > current_term_) {
        current_term_ = term;
        voted_for_ = no_node;
        leader_ = no_node;
    }
    role_ = Role::follower;
}

void RaftNode::become_leader(Context& ctx) {
    role_ = Role::leader;
    leader_ = ctx.id();
    for (NodeId peer : peers(ctx)) {
        next_index_[peer] = last_log_index() + 1;
        match_index_[peer] = 0;
    }
    on_heartbeat_timeout(ctx);
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
