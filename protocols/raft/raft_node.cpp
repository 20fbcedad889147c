// RaftNode lifecycle, roles and elections (§5.2, §5.4.1). Replication is in replication.cpp,
// client requests and the state machine in client_requests.cpp.
#include "protocols/raft/raft_node.h"

#include <algorithm>
#include <functional>

namespace faultline::raft {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::follower: return "follower";
        case Role::candidate: return "candidate";
        case Role::leader: return "leader";
    }
    return "?";
}

RaftNode::RaftNode(RaftOptions options) : options_(std::move(options)) {
    FL_ASSERT(!options_.cluster.empty(), "a Raft cluster needs at least one server name");
    FL_ASSERT(options_.election_timeout_ms_min > options_.heartbeat_interval_ms,
              "heartbeats ({} ms) must come faster than election timeouts ({} ms), or leaders are deposed (§5.6)",
              options_.heartbeat_interval_ms, options_.election_timeout_ms_min);
    FL_ASSERT(options_.election_timeout_ms_min <= options_.election_timeout_ms_max, "election timeout range is empty");
    FL_ASSERT(options_.append_entries_max > 0, "append_entries_max must be positive");
}

ProcessFactory raft_node(RaftOptions options) {
    return [options = std::move(options)] { return std::make_unique<RaftNode>(options); };
}

void RaftNode::on_start(Context& ctx) {
    cluster_.clear();
    for (const std::string& name : options_.cluster) {
        std::optional<NodeId> id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "cluster member {} is not a node of this world: add every server before running",
                  name);
        cluster_.push_back(*id);
    }
    auto self_it = std::find(cluster_.begin(), cluster_.end(), ctx.id());
    FL_ASSERT(self_it != cluster_.end(), "node {} runs Raft but is not in its cluster list", ctx.name());
    self_position_ = static_cast<std::size_t>(self_it - cluster_.begin());
    recover(ctx);
    if (options_.lease_reads && term_ > 0) {
        // Lease reads (thesis §4.2.3): before a crash this server may have acknowledged a leader
        // whose lease still runs, and the moment it heard that leader was volatile. Count the
        // restart as leader contact, so it refuses votes for election_timeout_ms_min: granting
        // one at once could elect a new leader while the old one still answers reads. (Term 0
        // on disk means it never acknowledged anyone: acknowledging adopts a term >= 1 first.)
        last_leader_contact_ = ctx.now();
    }
    annotate_state(ctx);
    reset_election_timer(ctx);
}

void RaftNode::recover(Context& ctx) {
    RecoveredState recovered = recover_state(ctx.disk());
    for (const std::string& line : recovered.damage) ctx.logf("raft: disk damage: {}", line);
    term_ = recovered.hard_state.term;
    voted_for_ = recovered.hard_state.voted_for;
    hard_state_version_ = recovered.hard_state_version;
    log_ = std::move(recovered.log);
    snapshot_index_ = recovered.snapshot.last_index;
    snapshot_term_ = recovered.snapshot.last_term;
    snapshot_data_ = std::move(recovered.snapshot.data);
    if (!recovered.damage.empty()) {
        // Recovery may have erased a damaged log suffix or chosen a fallback hard state: make
        // that durable before acting on it, so a second crash recovers the same state.
        write_hard_state(ctx.disk(), ++hard_state_version_, HardState{term_, voted_for_});
        ctx.sync();
    }
    // commit_index and last_applied are volatile (Figure 2): the state machine is rebuilt by
    // re-applying entries as this node learns they are committed.
    FL_ASSERT(commit_index_ == 0 && last_applied_ == 0, "recovery runs on a fresh process");
    FL_ASSERT(term_at(last_log_index()) <= term_, "no log entry can be newer than the current term");
    if (snapshot_index_ > 0) {
        // A snapshot holds only committed, applied entries (§7): start from it.
        std::optional<KvStateMachine> restored = KvStateMachine::decode(snapshot_data_);
        FL_ASSERT(restored.has_value(), "a snapshot that passed recovery decodes");
        state_machine_ = std::move(*restored);
        commit_index_ = last_applied_ = snapshot_index_;
    }
    ctx.logf("raft: recovered term={} voted_for={} snapshot={} log={}", term_, voted_for_, snapshot_index_,
             log_.size());
}

void RaftNode::on_message(Context& ctx, const Envelope& m) {
    if (const auto* rv = m.as<RequestVote>()) return on_request_vote(ctx, m, *rv);
    if (const auto* rvr = m.as<RequestVoteReply>()) return on_request_vote_reply(ctx, m, *rvr);
    if (const auto* ae = m.as<AppendEntries>()) return on_append_entries(ctx, m, *ae);
    if (const auto* aer = m.as<AppendEntriesReply>()) return on_append_entries_reply(ctx, m, *aer);
    if (const auto* cr = m.as<ClientRequest>()) return on_client_request(ctx, m, *cr);
    if (const auto* is = m.as<InstallSnapshot>()) return on_install_snapshot(ctx, m, *is);
    ctx.logf("raft: ignoring unexpected {} from node {}", m.payload.type_name(), m.from);
}

void RaftNode::on_timer(Context& ctx, TimerId timer, uint64_t tag) {
    if (tag == election_timer_tag) {
        if (timer != election_timer_) return;  // superseded by a reset
        election_timer_ = 0;
        if (election_timer_due_ != election_deadline_) {
            // Reset since this timer was set: wait out the rest. (At once if a pause held this
            // timer past the deadline: the timer then runs after the messages the pause held.)
            Duration rest = std::max(Duration::zero(), election_deadline_ - ctx.now());
            election_timer_ = ctx.set_timer(rest, election_timer_tag);
            election_timer_due_ = election_deadline_;
            return;
        }
        FL_ASSERT(role_ != Role::leader, "a leader runs no election timer");
        if (options_.pre_vote) return start_pre_vote(ctx);
        become_candidate(ctx);
    } else if (tag == heartbeat_timer_tag) {
        if (timer != heartbeat_timer_) return;
        heartbeat_timer_ = 0;
        FL_ASSERT(role_ == Role::leader, "only a leader runs the heartbeat timer");
        if (options_.check_quorum && !leader_has_quorum_contact(ctx)) {
            // Thesis §6.2: a leader cut off from a majority steps down instead of holding its
            // clients forever; it stays in its term and may be elected again.
            ctx.logf("raft: check_quorum: no majority heard within {} ms; leader of term {} steps down",
                     options_.election_timeout_ms_min, term_);
            return become_follower(ctx, term_);
        }
        broadcast_append_entries(ctx);
        heartbeat_timer_ = ctx.set_timer(milliseconds(options_.heartbeat_interval_ms), heartbeat_timer_tag);
    } else if (tag == slow_fsync_timer_tag) {
        finish_slow_fsync(ctx);
    } else {
        FL_ASSERT(false, "unknown raft timer tag {}", tag);
    }
}

// --- roles -------------------------------------------------------------------------------------

void RaftNode::become_follower(Context& ctx, uint64_t term) {
    FL_ASSERT(term >= term_, "term must not go backwards ({} -> {})", term_, term);
    bool was_leader = role_ == Role::leader;
    if (term > term_) {
        set_term(ctx, term, no_node);
        leader_hint_ = no_node;  // a newer term may have a leader we have not heard from
    }
    role_ = Role::follower;
    votes_granted_.clear();
    pre_voting_ = false;
    if (was_leader) {
        ctx.cancel_timer(heartbeat_timer_);
        heartbeat_timer_ = 0;
        // Waiting clients cannot be answered by us any more; their commands may still commit
        // under the next leader, so they hear `retry`, and the session makes the retry safe.
        release_waiters(ctx);
    }
    if (election_timer_ == 0) reset_election_timer(ctx);
    FL_ASSERT(heartbeat_timer_ == 0, "a follower sends no heartbeats");
    FL_ASSERT(waiters_.empty(), "a follower holds no client requests");
    annotate_state(ctx);
}

void RaftNode::become_candidate(Context& ctx) {
    FL_ASSERT(role_ != Role::leader, "a leader does not start elections");
    // §5.2: increment currentTerm, vote for self, reset the election timer, send RequestVote.
    set_term(ctx, term_ + 1, self());
    role_ = Role::candidate;
    pre_voting_ = false;
    leader_hint_ = no_node;
    votes_granted_ = {self()};
    reset_election_timer(ctx);
    annotate_state(ctx);
    // The vote for ourselves must be durable before it is counted, like any other vote.
    persist(ctx);
    if (votes_granted_.size() >= majority()) return become_leader(ctx);  // a one-server cluster
    RequestVote request{term_, self(), last_log_index(), term_at(last_log_index())};
    for (std::size_t p = 0; p < cluster_.size(); ++p)
        if (p != self_position_) ctx.send(cluster_[p], request);
}

void RaftNode::become_leader(Context& ctx) {
    FL_ASSERT(role_ == Role::candidate, "only a candidate becomes leader");
    FL_ASSERT(votes_granted_.size() >= majority(), "leader without a majority of votes");
    // The planted fault (options.h): a deliberate assertion failure, for the runner's tests.
    FL_ASSERT(options_.planted_assert_from_term == 0 || term_ < static_cast<uint64_t>(options_.planted_assert_from_term),
              "PLANTED FAULT: {} became leader of term {} (planted_assert_from_term = {})", ctx.name(), term_,
              options_.planted_assert_from_term);
    role_ = Role::leader;
    leader_hint_ = self();
    ctx.cancel_timer(election_timer_);
    election_timer_ = 0;
    // Figure 2: nextIndex := leader's last log index + 1, matchIndex := 0.
    next_index_.assign(cluster_.size(), last_log_index() + 1);
    match_index_.assign(cluster_.size(), 0);
    last_reply_at_.assign(cluster_.size(), ctx.now());  // CheckQuorum: a fresh leader gets a full timeout
    lease_acked_sent_at_ns_.assign(cluster_.size(), 0);  // no lease until a majority acknowledges
    leader_since_ns_ = ctx.now().ns();
    annotate_state(ctx);
    ctx.logf("raft: leader of term {}", term_);
    // A leader commits nothing of earlier terms by counting (§5.4.2); a no-op of its own term
    // commits them indirectly and lets it learn the commit index at once (thesis §6.4).
    append_entry(ctx, LogEntry{term_, Command{}});
    persist(ctx);
    broadcast_append_entries(ctx);
    heartbeat_timer_ = ctx.set_timer(milliseconds(options_.heartbeat_interval_ms), heartbeat_timer_tag);
    maybe_commit(ctx);
}

void RaftNode::start_pre_vote(Context& ctx) {
    FL_ASSERT(options_.pre_vote, "pre-votes only with the pre_vote option");
    // A candidate whose election failed asks again, from its current term.
    if (role_ == Role::candidate) become_follower(ctx, term_);
    FL_ASSERT(role_ == Role::follower, "only a follower asks for pre-votes");
    pre_voting_ = true;
    pre_votes_granted_ = {self()};
    leader_hint_ = no_node;
    reset_election_timer(ctx);  // a pre-vote round that fails is retried after another timeout
    if (pre_votes_granted_.size() >= majority()) return become_candidate(ctx);  // a one-server cluster
    RequestVote request{term_ + 1, self(), last_log_index(), term_at(last_log_index()), true};
    for (std::size_t p = 0; p < cluster_.size(); ++p)
        if (p != self_position_) ctx.send(cluster_[p], request);
}

void RaftNode::on_pre_vote(Context& ctx, const Envelope& m, const RequestVote& request) {
    FL_ASSERT(request.pre_vote, "on_pre_vote answers pre-votes only");
    // Thesis §9.6: grant only if we would grant the real vote (a newer term, an up-to-date log)
    // and believe there is no working leader. Nothing here changes our term, vote or timers.
    bool leader_is_recent = role_ == Role::leader ||
                            (last_leader_contact_.has_value() &&
                             ctx.now() - *last_leader_contact_ < milliseconds(options_.election_timeout_ms_min));
    bool granted = request.term > term_ && !leader_is_recent &&
                   log_is_up_to_date(request.last_log_term, request.last_log_index);
    // A granted pre-vote carries the asked-for term, so the asker does not take it for a newer one.
    ctx.send(m.from, RequestVoteReply{granted ? request.term : term_, granted, true});
}

bool RaftNode::leader_has_quorum_contact(Context& ctx) const {
    FL_ASSERT(role_ == Role::leader, "only a leader checks its quorum");
    FL_ASSERT(last_reply_at_.size() == cluster_.size(), "reply times for every server");
    std::size_t in_contact = 1;  // ourselves
    for (std::size_t p = 0; p < cluster_.size(); ++p)
        if (p != self_position_ && ctx.now() - last_reply_at_[p] < milliseconds(options_.election_timeout_ms_min))
            ++in_contact;
    return in_contact >= majority();
}

bool RaftNode::holds_read_lease(Context& ctx) const {
    FL_ASSERT(options_.lease_reads, "leases only with the lease_reads option");
    if (role_ != Role::leader || term_at(commit_index_) != term_) return false;
    // The majority-th most recent acknowledged send time (our own counts as now).
    std::vector<int64_t> acked;
    for (std::size_t p = 0; p < cluster_.size(); ++p)
        acked.push_back(p == self_position_ ? ctx.now().ns() : lease_acked_sent_at_ns_[p]);
    std::sort(acked.begin(), acked.end(), std::greater<>());
    int64_t lease_start_ns = acked[majority() - 1];
    if (lease_start_ns == 0) return false;
    double factor = 1.0 - static_cast<double>(options_.lease_drift_bound_ppm) / 1e6;
    auto lease_ns = static_cast<int64_t>(static_cast<double>(options_.election_timeout_ms_min) * 1e6 * factor);
    FL_ASSERT(lease_ns < options_.election_timeout_ms_min * 1'000'000 + 1, "a lease never outlasts the election timeout");
    return ctx.now().ns() - lease_start_ns < lease_ns;
}

bool RaftNode::observe_term(Context& ctx, uint64_t term) {
    if (term <= term_) return false;
    become_follower(ctx, term);
    return true;
}

// --- elections -----------------------------------------------------------------------------------

void RaftNode::on_request_vote(Context& ctx, const Envelope& m, const RequestVote& request) {
    if (request.pre_vote) return on_pre_vote(ctx, m, request);
    if (options_.lease_reads && role_ == Role::follower && last_leader_contact_.has_value() &&
        ctx.now() - *last_leader_contact_ < milliseconds(options_.election_timeout_ms_min)) {
        // Thesis §4.2.3: a follower that heard a leader within the minimum election timeout
        // neither adopts the candidate's term nor votes, so that leader's read lease holds.
        return;
    }
    // Planted bug (options.h): the term and vote of this handler stay in memory only.
    hard_state_in_memory_only_ = options_.bug_vote_without_persisting;
    observe_term(ctx, request.term);
    bool granted = false;
    if (request.term == term_) {
        bool free_to_vote = voted_for_ == no_node || voted_for_ == request.candidate;
        // §5.4.1: vote only for a candidate whose log is at least as up to date as ours.
        bool log_ok = options_.bug_vote_without_log_check ||
                      log_is_up_to_date(request.last_log_term, request.last_log_index);
        if (free_to_vote && log_ok) {
            FL_ASSERT(role_ == Role::follower, "a candidate or leader has voted for itself already");
            set_term(ctx, term_, request.candidate);
            granted = true;
            // §5.2: granting a vote resets the election timer (the candidate may win).
            reset_election_timer(ctx);
        }
    }
    FL_ASSERT(!granted || voted_for_ == request.candidate, "a granted vote is recorded before it is sent");
    FL_ASSERT(term_ >= request.term, "a request's newer term is adopted before answering");
    // The vote (and any newer term) must be durable before the reply leaves (Figure 2).
    if (hard_state_in_memory_only_) {
        hard_state_in_memory_only_ = false;
        if (granted) ctx.logf("raft: planted: vote for node {} in term {} not persisted", request.candidate, term_);
    } else {
        persist(ctx);
    }
    ctx.send(m.from, RequestVoteReply{term_, granted});
    // Buggify: the voter crashes with its vote on the wire and is back at once (a process that
    // restarts in under 2 ms), while the election it voted in is still running.
    if (granted && ctx.buggify("raft.crash_after_vote", 0.5))
        ctx.crash_and_restart(microseconds(ctx.rng().uniform_int(100, 2'000)));
}

void RaftNode::on_request_vote_reply(Context& ctx, const Envelope& m, const RequestVoteReply& reply) {
    if (reply.pre_vote) {
        // A refusal from a newer term teaches us that term; a grant carries term_ + 1 and must
        // not be mistaken for one.
        if (!reply.vote_granted) {
            observe_term(ctx, reply.term);
            return;
        }
        if (!pre_voting_ || role_ != Role::follower || reply.term != term_ + 1) return;  // stale
        peer_position(m.from);  // asserts the voter is a member
        pre_votes_granted_.insert(m.from);
        if (pre_votes_granted_.size() >= majority()) become_candidate(ctx);
        return;
    }
    if (observe_term(ctx, reply.term)) return;
    if (role_ != Role::candidate || reply.term != term_ || !reply.vote_granted) return;
    FL_ASSERT(m.from != self(), "a candidate does not ask itself for its vote");
    peer_position(m.from);  // asserts the voter is a member
    votes_granted_.insert(m.from);  // a set: a duplicated reply is counted once
    FL_ASSERT(votes_granted_.size() <= cluster_.size(), "more votes than servers");
    if (votes_granted_.size() >= majority()) become_leader(ctx);
}

bool RaftNode::log_is_up_to_date(uint64_t candidate_last_term, uint64_t candidate_last_index) const {
    // §5.4.1: the log with the later last term is more up to date; with equal last terms, the
    // longer log is.
    FL_ASSERT(candidate_last_index > 0 || candidate_last_term == 0, "an empty log has last term 0");
    uint64_t my_last_term = term_at(last_log_index());
    if (candidate_last_term != my_last_term) return candidate_last_term > my_last_term;
    return candidate_last_index >= last_log_index();
}

// --- timers, persistence, annotations ------------------------------------------------------------

void RaftNode::reset_election_timer(Context& ctx) {
    FL_ASSERT(role_ != Role::leader, "a leader runs no election timer");
    // §5.2: randomized timeouts make split votes rare.
    int64_t ms = ctx.rng().uniform_int(options_.election_timeout_ms_min, options_.election_timeout_ms_max);
    election_deadline_ = ctx.now() + milliseconds(ms);
    // Lazily, as etcd's tick counter does: every AppendEntries resets the timeout, and cancelling
    // and setting a kernel timer each time was ~5% of a run and a sixth of its trace events. A
    // timer that fires no later than the new deadline stays; when it fires, on_timer sets one for
    // the rest. The timeout expires at the same local instant as with a fresh timer.
    if (election_timer_ != 0 && election_timer_due_ <= election_deadline_) return;
    if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
    election_timer_ = ctx.set_timer(milliseconds(ms), election_timer_tag);
    election_timer_due_ = election_deadline_;
}

void RaftNode::set_term(Context& ctx, uint64_t term, NodeId voted_for) {
    FL_ASSERT(term >= term_, "term must not go backwards ({} -> {})", term_, term);
    FL_ASSERT(term > term_ || voted_for_ == no_node || voted_for_ == voted_for,
              "one vote per term: voted for {} in term {}, now {}", voted_for_, term, voted_for);
    term_ = term;
    voted_for_ = voted_for;
    if (hard_state_in_memory_only_) return;  // planted bug_vote_without_persisting
    write_hard_state(ctx.disk(), ++hard_state_version_, HardState{term_, voted_for_});
}

void RaftNode::persist(Context& ctx) {
    // Writes went to the page cache as the state changed; one sync covers them all. A lost-fsync
    // fault can leave writes unsynced afterwards: Raft assumes stable storage and cannot tell.
    if (ctx.disk().unsynced_count() > 0) ctx.sync();
}

void RaftNode::annotate_state(Context& ctx) {
    // Term before role: an observer reading "role=leader" knows the term it leads.
    if (annotated_.term != term_) ctx.annotate("term", std::to_string(annotated_.term = term_));
    if (!annotated_.role_set || annotated_.role != role_) {
        annotated_.role_set = true;
        annotated_.role = role_;
        ctx.annotate("role", to_string(role_));
    }
    if (annotated_.commit_index != commit_index_)
        ctx.annotate("commit_index", std::to_string(annotated_.commit_index = commit_index_));
    if (annotated_.last_applied != last_applied_)
        ctx.annotate("last_applied", std::to_string(annotated_.last_applied = last_applied_));
}

std::size_t RaftNode::peer_position(NodeId node) const {
    auto it = std::find(cluster_.begin(), cluster_.end(), node);
    FL_ASSERT(it != cluster_.end(), "node {} is not a member of this Raft cluster", node);
    return static_cast<std::size_t>(it - cluster_.begin());
}

std::string RaftNode::describe_state() const {
    return fmt::format("role={} term={} voted_for={} snapshot={} log={} commit_index={} last_applied={} leader_hint={} keys={}",
                       to_string(role_), term_, voted_for_, snapshot_index_, log_.size(), commit_index_, last_applied_, leader_hint_,
                       state_machine_.data().size());
}

}  // namespace faultline::raft
