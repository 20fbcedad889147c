// Log replication (§5.3) and the commit rule (§5.4.2): AppendEntries on both sides.
#include "protocols/raft/raft_node.h"

#include <algorithm>

namespace faultline::raft {

uint64_t RaftNode::term_at(uint64_t index) const {
    // Index 0 is the empty log's sentinel, with term 0, so prev_log_index = 0 always matches;
    // the snapshot's last index keeps its term (§7) for the consistency check after it.
    if (index == 0) return 0;
    if (index == snapshot_index_) return snapshot_term_;
    FL_ASSERT(index > snapshot_index_, "term_at({}) of a compacted index (snapshot at {})", index, snapshot_index_);
    FL_ASSERT(index <= last_log_index(), "term_at({}) past the last log index {}", index, last_log_index());
    return log_[index - snapshot_index_ - 1].term;
}

const LogEntry& RaftNode::entry_at(uint64_t index) const {
    FL_ASSERT(index > snapshot_index_, "entry {} is compacted into the snapshot at {}", index, snapshot_index_);
    FL_ASSERT(index <= last_log_index(), "entry {} past the last log index {}", index, last_log_index());
    return log_[index - snapshot_index_ - 1];
}

uint64_t RaftNode::append_entry(Context& ctx, LogEntry entry) {
    FL_ASSERT(entry.term <= term_, "entry of term {} is newer than the current term {}", entry.term, term_);
    FL_ASSERT(entry.term >= term_at(last_log_index()), "log terms never decrease along the log");
    log_.push_back(std::move(entry));
    write_entry(ctx.disk(), last_log_index(), log_.back());
    return last_log_index();
}

void RaftNode::truncate_log_from(Context& ctx, uint64_t index) {
    FL_ASSERT(index > snapshot_index_ && index <= last_log_index(), "truncation point {} outside the log ({}..{})",
              index, snapshot_index_ + 1, last_log_index());
    FL_ASSERT(role_ != Role::leader, "a leader never deletes entries from its own log (§5.3)");
    if (index <= commit_index_ && options_.any_planted_bug()) {
        // A planted bug broke safety; let the run go on so the checkers see the damage. The
        // state machine keeps what it applied (the divergence the checkers are meant to find).
        ctx.logf("raft: planted: truncating committed entries {}..{} (commit_index {})", index, last_log_index(),
                 commit_index_);
        commit_index_ = index - 1;
        last_applied_ = std::min(last_applied_, commit_index_);
    }
    // §5.4: a committed entry is present in every future leader's log, so a leader never asks a
    // follower to delete one. If this fires, Leader Completeness or Log Matching is broken.
    FL_ASSERT(index > commit_index_, "truncating committed entry {} (commit_index {})", index, commit_index_);
    ctx.logf("raft: truncate: entries {}..{} conflict with the leader's log", index, last_log_index());
    erase_entries(ctx.disk(), index, last_log_index());
    log_.resize(index - snapshot_index_ - 1);
}

// --- leader side ---------------------------------------------------------------------------------

void RaftNode::send_append_entries(Context& ctx, std::size_t peer) {
    FL_ASSERT(role_ == Role::leader, "only a leader sends AppendEntries");
    FL_ASSERT(peer != self_position_ && peer < cluster_.size(), "bad peer position {}", peer);
    uint64_t next = next_index_[peer];
    FL_ASSERT(next >= 1 && next <= last_log_index() + 1, "next_index {} outside [1, {}]", next, last_log_index() + 1);
    // §7: the entries this follower needs are compacted away: send the snapshot instead.
    if (next <= snapshot_index_) return send_snapshot(ctx, peer);
    AppendEntries request{term_, self(), next - 1, term_at(next - 1), {}, commit_index_, ctx.now().ns()};
    uint64_t last = std::min<uint64_t>(last_log_index(), next - 1 + options_.append_entries_max);
    request.entries.assign(log_.begin() + static_cast<std::ptrdiff_t>(next - snapshot_index_ - 1),
                           log_.begin() + static_cast<std::ptrdiff_t>(last - snapshot_index_));
    ctx.send(cluster_[peer], std::move(request));
}

void RaftNode::broadcast_append_entries(Context& ctx) {
    // Entries must be durable here before anyone can count them (our own match includes them).
    persist(ctx);
    for (std::size_t p = 0; p < cluster_.size(); ++p) {
        if (p == self_position_) continue;
        send_append_entries(ctx, p);
        // Buggify: the leader crashes with its newest entry sent to some followers only (the
        // opening move of Figure 8), and restarts soon enough to run for its term again.
        if (next_index_[p] <= last_log_index() && ctx.buggify("raft.crash_after_append", 0.05)) {
            ctx.crash_and_restart(milliseconds(ctx.rng().uniform_int(5, 40)));
            return;
        }
    }
}

void RaftNode::on_append_entries_reply(Context& ctx, const Envelope& m, const AppendEntriesReply& reply) {
    if (observe_term(ctx, reply.term)) return;
    // Replies from an earlier term, or arriving after we stepped down, carry no information.
    if (role_ != Role::leader || reply.term != term_) return;
    std::size_t p = peer_position(m.from);
    FL_ASSERT(p != self_position_, "a leader does not send AppendEntries to itself");
    last_reply_at_[p] = ctx.now();  // CheckQuorum: any answer of this term shows contact
    // Lease reads: the peer reset its election timer no earlier than this request's send time.
    // An echo from before this leadership answers a request of an earlier term, which the peer
    // rejected without hearing us as leader (its reply carries our term only because it has
    // moved on to it since): it proves nothing about the peer's vote.
    if (reply.echo_sent_at_ns >= leader_since_ns_)
        lease_acked_sent_at_ns_[p] = std::max(lease_acked_sent_at_ns_[p], reply.echo_sent_at_ns);
    if (reply.success) {
        // Within one term our log only grows, so what the follower matched is still our log.
        FL_ASSERT(reply.match_index <= last_log_index(), "follower matched index {} beyond our log {}",
                  reply.match_index, last_log_index());
        // Replies can arrive reordered or duplicated: match_index only moves forward.
        if (reply.match_index <= match_index_[p]) return;
        match_index_[p] = reply.match_index;
        next_index_[p] = std::max(next_index_[p], match_index_[p] + 1);
        maybe_commit(ctx);
        // Keep a lagging follower streaming instead of waiting for the next heartbeat.
        if (role_ == Role::leader && next_index_[p] <= last_log_index()) send_append_entries(ctx, p);
        return;
    }
    // Fast backup (§5.3, thesis §3.5): skip a whole conflicting term per round trip.
    uint64_t next = reply.conflict_index;
    if (reply.conflict_term != 0) {
        // If we hold entries of conflict_term, the follower's first conflict is after our last one.
        for (uint64_t i = last_log_index(); i > snapshot_index_; --i) {
            if (term_at(i) == reply.conflict_term) {
                next = i + 1;
                break;
            }
            if (term_at(i) < reply.conflict_term) break;
        }
    }
    next = std::clamp<uint64_t>(next, 1, last_log_index() + 1);
    if (next >= next_index_[p]) return;  // nothing new learned (duplicate or stale reply)
    if (next <= match_index_[p]) {
        // Either a reordered failure from before the follower matched (harmless: we resend a
        // little) or the follower lost entries it had acknowledged (a damaged disk). Forget the
        // match so we neither count that replica nor stall above its real log end.
        ctx.logf("raft: match_lost: node {} fails below its match_index {}; backing up to {}", m.from,
                 match_index_[p], next);
        match_index_[p] = next - 1;
    }
    if (next_index_[p] - next > 1) ctx.logf("raft: backup: node {} next_index {} -> {}", m.from, next_index_[p], next);
    next_index_[p] = next;
    FL_ASSERT(match_index_[p] < next_index_[p], "match_index must stay below next_index");
    send_append_entries(ctx, p);
}

void RaftNode::maybe_commit(Context& ctx) {
    FL_ASSERT(role_ == Role::leader, "only a leader counts replicas");
    FL_ASSERT(commit_index_ <= last_log_index(), "commit_index beyond the log");
    // Highest index first; stop at the first entry of an earlier term: §5.4.2 (Figure 8) forbids
    // committing those by counting. They commit with the first current-term entry after them.
    for (uint64_t n = last_log_index(); n > commit_index_; --n) {
        if (term_at(n) != term_ && !options_.bug_commit_old_term_entries) break;
        std::size_t replicas = 0;
        for (std::size_t p = 0; p < cluster_.size(); ++p) {
            // Our own entries are durable: persist() ran before anything was sent or counted.
            uint64_t match = p == self_position_ ? last_log_index() : match_index_[p];
            if (match >= n) ++replicas;
        }
        if (replicas >= majority()) {
            commit_index_ = n;
            break;
        }
    }
    const bool advanced = commit_index_ > last_applied_;
    apply_committed(ctx);
    annotate_state(ctx);
    // Buggify: the leader crashes right after a commit, before any follower hears of it.
    if (advanced && ctx.buggify("raft.crash_after_commit", 0.05)) ctx.crash_and_restart(milliseconds(ctx.rng().uniform_int(5, 40)));
}

// --- follower side -------------------------------------------------------------------------------

void RaftNode::on_append_entries(Context& ctx, const Envelope& m, const AppendEntries& request) {
    observe_term(ctx, request.term);
    AppendEntriesReply reply{term_, false, 0, 0, 0, request.sent_at_ns};
    if (request.term < term_) {
        // §5.1: reject a stale leader; the reply's term makes it step down.
        persist(ctx);
        ctx.send(m.from, reply);
        return;
    }
    FL_ASSERT(request.term == term_, "observe_term adopted any newer term");
    if (role_ == Role::leader) {
        // Election Safety (§5.2) says this cannot happen; it can only follow from lost durable
        // state elsewhere (a lying fsync). Not asserted, since the fault is another node's.
        ctx.logf("raft: ELECTION SAFETY VIOLATED: node {} also leads term {}", request.leader, term_);
        return;
    }
    if (role_ == Role::candidate) become_follower(ctx, term_);  // §5.2: a leader of our term won
    leader_hint_ = request.leader;
    last_leader_contact_ = ctx.now();
    pre_voting_ = false;  // there is a leader: no election needed
    reset_election_timer(ctx);
    if (request.prev_log_index < snapshot_index_) {
        // The leader starts inside our snapshot (a stale next_index). The compacted prefix is
        // committed, hence identical in the leader's log (§5.4): skip the entries it covers.
        AppendEntries trimmed = request;
        uint64_t skip = std::min<uint64_t>(snapshot_index_ - request.prev_log_index, request.entries.size());
        trimmed.entries.erase(trimmed.entries.begin(), trimmed.entries.begin() + static_cast<std::ptrdiff_t>(skip));
        trimmed.prev_log_index = snapshot_index_;
        trimmed.prev_log_term = snapshot_term_;
        if (request.prev_log_index + skip < snapshot_index_) trimmed.entries.clear();
        FL_ASSERT(trimmed.prev_log_index == snapshot_index_, "the trimmed request starts at the snapshot");
        return on_append_entries(ctx, m, trimmed);
    }

    if (request.prev_log_index > last_log_index()) {
        // Our log is too short: the leader may jump straight to our end.
        reply.conflict_term = 0;
        reply.conflict_index = last_log_index() + 1;
    } else if (term_at(request.prev_log_index) != request.prev_log_term) {
        // Consistency check failed: report the conflicting term and where it starts, so the
        // leader can skip the whole term at once.
        FL_ASSERT(request.prev_log_index > 0, "index 0 always matches");
        reply.conflict_term = term_at(request.prev_log_index);
        uint64_t first = request.prev_log_index;
        while (first > snapshot_index_ + 1 && term_at(first - 1) == reply.conflict_term) --first;
        reply.conflict_index = first;
    } else {
        // Append what is new; delete an existing entry only when it conflicts (same index,
        // different term, §5.3). Matching entries are kept: the request may be an old, reordered
        // one, and truncating on it would drop entries the leader already counted.
        uint64_t index = request.prev_log_index;
        for (const LogEntry& entry : request.entries) {
            ++index;
            if (index <= last_log_index()) {
                if (term_at(index) == entry.term) continue;
                truncate_log_from(ctx, index);
            }
            append_entry(ctx, entry);
        }
        uint64_t last_new = request.prev_log_index + request.entries.size();
        FL_ASSERT(last_new <= last_log_index(), "every entry of the request is now in our log");
        // Figure 2: commitIndex := min(leaderCommit, index of last new entry); only what this
        // request verified is known to match the leader.
        uint64_t commit = std::min(request.leader_commit, last_new);
        if (commit > commit_index_) commit_index_ = commit;
        reply.success = true;
        reply.match_index = last_new;
    }
    if (reply.success && ctx.disk().unsynced_count() > 0 && ctx.buggify("raft.slow_fsync", 0.1)) {
        // The fsync of these entries is slow: the acknowledgement waits for it (and is never
        // sent if the node crashes first, when the unsynced entries are lost with it).
        slow_fsync_replies_.push_back({m.from, reply});
        if (slow_fsync_replies_.size() == 1) ctx.set_timer(milliseconds(ctx.rng().uniform_int(5, 40)), slow_fsync_timer_tag);
    } else {
        persist(ctx);  // Figure 2: on stable storage before responding
        ctx.send(m.from, reply);
    }
    apply_committed(ctx);
    annotate_state(ctx);
}

void RaftNode::finish_slow_fsync(Context& ctx) {
    persist(ctx);
    // An acknowledgement from an earlier term is not sent: since then this node may have
    // truncated the entries it names for a newer leader's, and the old leader (still believing
    // itself leader) would count an entry this node no longer holds. Within one term the log
    // only grows, so a same-term acknowledgement is still true.
    for (const auto& [to, reply] : slow_fsync_replies_)
        if (reply.term == term_) ctx.send(to, reply);
    slow_fsync_replies_.clear();
}

}  // namespace faultline::raft

namespace faultline::raft {

// --- log compaction and InstallSnapshot (§7) --------------------------------------------------

void RaftNode::maybe_compact(Context& ctx) {
    if (options_.snapshot_threshold_entries == 0) return;
    FL_ASSERT(last_applied_ >= snapshot_index_, "the snapshot covers only applied entries");
    if (last_applied_ - snapshot_index_ < options_.snapshot_threshold_entries) return;
    // Snapshot exactly what is applied: the state machine reflects entries 1..last_applied_.
    Snapshot snapshot{last_applied_, term_at(last_applied_), state_machine_.encode()};
    ctx.logf("raft: snapshot: compacting entries {}..{} (term {})", snapshot_index_ + 1, snapshot.last_index,
             snapshot.last_term);
    install_snapshot_locally(ctx, std::move(snapshot));
}

void RaftNode::install_snapshot_locally(Context& ctx, Snapshot snapshot) {
    FL_ASSERT(snapshot.last_index > snapshot_index_, "a snapshot moves forward");
    FL_ASSERT(snapshot.last_index <= commit_index_, "only committed entries go into a snapshot");
    // Durable before the entries go: a crash in between leaves stale entries recovery erases.
    write_snapshot(ctx.disk(), snapshot);
    ctx.sync();
    uint64_t keep_from = snapshot.last_index + 1;  // entries after the snapshot stay
    uint64_t old_start = snapshot_index_;
    if (keep_from <= last_log_index()) {
        log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(keep_from - old_start - 1));
    } else {
        log_.clear();
    }
    erase_entries(ctx.disk(), old_start + 1, snapshot.last_index);
    snapshot_index_ = snapshot.last_index;
    snapshot_term_ = snapshot.last_term;
    snapshot_data_ = std::move(snapshot.data);
    FL_ASSERT(last_log_index() >= snapshot_index_, "the log ends at or after the snapshot");
}

void RaftNode::send_snapshot(Context& ctx, std::size_t peer) {
    FL_ASSERT(role_ == Role::leader, "only a leader sends snapshots");
    FL_ASSERT(snapshot_index_ > 0, "a snapshot to send");
    ctx.logf("raft: install_snapshot: sending snapshot at {} to node {}", snapshot_index_, cluster_[peer]);
    ctx.send(cluster_[peer], InstallSnapshot{term_, self(), snapshot_index_, snapshot_term_, snapshot_data_});
}

void RaftNode::on_install_snapshot(Context& ctx, const Envelope& m, const InstallSnapshot& request) {
    observe_term(ctx, request.term);
    AppendEntriesReply reply{term_, false, 0, 0, 0};
    if (request.term < term_) {
        persist(ctx);
        ctx.send(m.from, reply);
        return;
    }
    if (role_ == Role::leader) {
        ctx.logf("raft: ELECTION SAFETY VIOLATED: node {} also leads term {}", request.leader, term_);
        return;
    }
    if (role_ == Role::candidate) become_follower(ctx, term_);
    leader_hint_ = request.leader;
    last_leader_contact_ = ctx.now();
    pre_voting_ = false;
    reset_election_timer(ctx);
    if (request.last_included_index > commit_index_) {
        std::optional<KvStateMachine> restored = KvStateMachine::decode(request.data);
        FL_ASSERT(restored.has_value(), "a leader's snapshot decodes");
        // §7: keep our entries after the snapshot if we hold its last entry; otherwise the whole
        // log goes (it is behind, or conflicts with committed state).
        bool keep_suffix = request.last_included_index < last_log_index() &&
                           term_at(request.last_included_index) == request.last_included_term;
        if (!keep_suffix && last_log_index() > snapshot_index_) {
            erase_entries(ctx.disk(), snapshot_index_ + 1, last_log_index());
            log_.clear();
        }
        commit_index_ = request.last_included_index;  // in the leader's snapshot: committed
        install_snapshot_locally(ctx, Snapshot{request.last_included_index, request.last_included_term, request.data});
        state_machine_ = std::move(*restored);
        last_applied_ = commit_index_;
        ctx.logf("raft: install_snapshot: installed snapshot at {} from node {}", snapshot_index_, m.from);
    }
    // Everything up to the snapshot's index is committed, so it matches the leader's log.
    reply.success = true;
    reply.match_index = request.last_included_index;
    persist(ctx);
    ctx.send(m.from, reply);
    annotate_state(ctx);
}

}  // namespace faultline::raft
