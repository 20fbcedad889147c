// RaftNode: one Raft server (Ongaro & Ousterhout, "In Search of an Understandable Consensus
// Algorithm", 2014; Ongaro's thesis, 2014) running a replicated key-value state machine.
//
// What it does
// - Roles follower / candidate / leader with randomized election timeouts in local time (§5.2).
// - RequestVote with the up-to-date-log rule (§5.4.1); AppendEntries with the consistency check,
//   truncation of conflicting entries, and fast backup via conflict_term / conflict_index (§5.3).
// - Commit by counting replicas only for entries of the leader's current term (§5.4.2, Figure 8);
//   a new leader appends a no-op so that earlier entries commit promptly (thesis §6.4).
// - current_term, voted_for and the log are on disk and synced before any message that depends on
//   them leaves (Figure 2, "updated on stable storage before responding to RPCs"); on_start
//   recovers them (see storage.h for what damaged data means).
// - Optional (RaftOptions): PreVote (§9.6), CheckQuorum (§6.2), log compaction with snapshots
//   and InstallSnapshot (§7; log indexes stay absolute, log() starts after log_start_index()),
//   and planted bugs for checker tests.
// - Client requests (ClientRequest) are appended to the log and answered once applied; reads go
//   through the log too, so every answer is linearizable. Sessions make retries exactly-once.
//
// Invariants asserted here (each one local to this node)
// - term_ never decreases; a leader's log never shrinks within its term.
// - commit_index_ <= last log index, last_applied_ <= commit_index_, and a committed entry is
//   never truncated (Leader Completeness + Log Matching, §5.4).
// - only a leader holds waiting client requests.
//
// Trace annotations (for invariant checkers and the GUI timeline), emitted on change:
//   term, role (follower/candidate/leader; "leader" always follows the term it leads),
//   commit_index, last_applied.
//
// Source files: raft_node.cpp (lifecycle, roles, elections), replication.cpp (AppendEntries,
// commit), client_requests.cpp (client requests, applying entries).
#pragma once

#include "protocols/raft/command.h"
#include "protocols/raft/kv_state_machine.h"
#include "protocols/raft/messages.h"
#include "protocols/raft/options.h"
#include "protocols/raft/storage.h"

#include "sim/node.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faultline::raft {

enum class Role : uint8_t { follower, candidate, leader };
std::string_view to_string(Role role);

class RaftNode final : public Process {
public:
    explicit RaftNode(RaftOptions options);

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& message) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    // --- accessors for tests and tools --------------------------------------------------------
    Role role() const { return role_; }
    uint64_t term() const { return term_; }
    NodeId voted_for() const { return voted_for_; }
    uint64_t commit_index() const { return commit_index_; }
    uint64_t last_applied() const { return last_applied_; }
    // Gets this process answered from its read lease (option lease_reads), for probes.
    uint64_t lease_reads_served() const { return lease_reads_served_; }
    uint64_t last_log_index() const { return snapshot_index_ + log_.size(); }
    uint64_t log_size() const { return log_.size(); }  // entries held, after the snapshot
    // The index the snapshot covers (0 without one): log()[0] is index log_start_index() + 1.
    uint64_t log_start_index() const { return snapshot_index_; }
    uint64_t snapshot_term() const { return snapshot_term_; }
    const std::vector<LogEntry>& log() const { return log_; }
    // The entry at `index` (asserts log_start_index() < index <= last_log_index()).
    const LogEntry& entry_at(uint64_t index) const;
    // The term at `index`: 0 for index 0, the snapshot's term at log_start_index() (asserts for
    // compacted indexes below it).
    uint64_t log_term_at(uint64_t index) const { return term_at(index); }
    // The leader as far as this node knows (itself when leader); no_node when unknown.
    NodeId leader_hint() const { return leader_hint_; }
    bool pre_voting() const { return pre_voting_; }
    const std::map<std::string, std::string>& kv() const { return state_machine_.data(); }
    const KvStateMachine& state_machine() const { return state_machine_; }

private:
    enum TimerTag : uint64_t { election_timer_tag = 1, heartbeat_timer_tag = 2, slow_fsync_timer_tag = 3 };

    struct Waiter {          // a client waiting for the entry at some index to apply
        NodeId client = no_node;
        uint64_t call_id = 0;
        uint64_t client_id = 0;
        uint64_t sequence = 0;
    };

    // raft_node.cpp: roles, terms, elections, timers
    void recover(Context& ctx);
    void become_follower(Context& ctx, uint64_t term);
    void become_candidate(Context& ctx);
    void become_leader(Context& ctx);
    // PreVote (thesis §9.6): ask for pre-votes for term + 1 before raising the term.
    void start_pre_vote(Context& ctx);
    void on_pre_vote(Context& ctx, const Envelope& message, const RequestVote& request);
    // CheckQuorum (thesis §6.2): whether a majority answered within election_timeout_ms_min.
    bool leader_has_quorum_contact(Context& ctx) const;
    // Lease reads (thesis §6.4.1): whether this leader may answer a read from its state machine.
    bool holds_read_lease(Context& ctx) const;
    // Steps down to follower if `term` is newer (§5.1: "if one server's current term is smaller
    // than the other's, it updates its current term"). True if it did.
    bool observe_term(Context& ctx, uint64_t term);
    void on_request_vote(Context& ctx, const Envelope& message, const RequestVote& request);
    void on_request_vote_reply(Context& ctx, const Envelope& message, const RequestVoteReply& reply);
    bool log_is_up_to_date(uint64_t candidate_last_term, uint64_t candidate_last_index) const;
    void reset_election_timer(Context& ctx);
    void set_term(Context& ctx, uint64_t term, NodeId voted_for);
    void persist(Context& ctx);
    void annotate_state(Context& ctx);

    // replication.cpp: AppendEntries, commit
    void on_append_entries(Context& ctx, const Envelope& message, const AppendEntries& request);
    void finish_slow_fsync(Context& ctx);  // buggify site raft.slow_fsync
    void on_append_entries_reply(Context& ctx, const Envelope& message, const AppendEntriesReply& reply);
    void send_append_entries(Context& ctx, std::size_t peer);
    void broadcast_append_entries(Context& ctx);
    void maybe_commit(Context& ctx);
    uint64_t append_entry(Context& ctx, LogEntry entry);
    void truncate_log_from(Context& ctx, uint64_t index);
    uint64_t term_at(uint64_t index) const;
    void on_install_snapshot(Context& ctx, const Envelope& message, const InstallSnapshot& request);
    void send_snapshot(Context& ctx, std::size_t peer);
    // Log compaction (§7): snapshot at last_applied_ when the threshold is reached.
    void maybe_compact(Context& ctx);
    // Persists `snapshot` (synced) and then drops the log entries it covers.
    void install_snapshot_locally(Context& ctx, Snapshot snapshot);

    // client_requests.cpp: client requests and the state machine
    void on_client_request(Context& ctx, const Envelope& message, const ClientRequest& request);
    void apply_committed(Context& ctx);
    void release_waiters(Context& ctx);
    void reply_to_client(Context& ctx, const Waiter& waiter, ClientReply reply);

    std::size_t peer_position(NodeId node) const;  // position in cluster_, asserts membership
    std::size_t majority() const { return cluster_.size() / 2 + 1; }
    NodeId self() const { return cluster_[self_position_]; }

    RaftOptions options_;
    std::vector<NodeId> cluster_;  // every server, in options_.cluster order
    std::size_t self_position_ = 0;

    // Persistent state (Figure 2), mirrored on disk.
    uint64_t term_ = 0;
    NodeId voted_for_ = no_node;
    std::vector<LogEntry> log_;         // log_[0] is index snapshot_index_ + 1
    uint64_t snapshot_index_ = 0;       // the last index the snapshot covers (0: none)
    uint64_t snapshot_term_ = 0;
    std::string snapshot_data_;         // the snapshot's state machine, for InstallSnapshot
    uint64_t hard_state_version_ = 0;
    // Set only while on_request_vote runs with the planted bug_vote_without_persisting.
    bool hard_state_in_memory_only_ = false;

    // Volatile state.
    Role role_ = Role::follower;
    uint64_t commit_index_ = 0;
    uint64_t last_applied_ = 0;
    NodeId leader_hint_ = no_node;
    // The election timeout, re-armed lazily (reset_election_timer): election_deadline_ is when the
    // timeout expires (local time), election_timer_due_ when the pending timer fires, never later.
    TimerId election_timer_ = 0;
    Instant election_deadline_;
    Instant election_timer_due_;
    TimerId heartbeat_timer_ = 0;
    KvStateMachine state_machine_;

    // Candidate state.
    std::set<NodeId> votes_granted_;
    // PreVote: a follower asking for pre-votes for term_ + 1, and who granted them.
    bool pre_voting_ = false;
    std::set<NodeId> pre_votes_granted_;
    // When this server last accepted AppendEntries from a leader of its term (local time); a
    // PreVote is refused within election_timeout_ms_min of it.
    std::optional<Instant> last_leader_contact_;

    // Leader state, indexed like cluster_ (reinitialized by become_leader).
    std::vector<uint64_t> next_index_;
    std::vector<uint64_t> match_index_;
    std::vector<Instant> last_reply_at_;  // CheckQuorum: last AppendEntries reply (local time)
    std::vector<int64_t> lease_acked_sent_at_ns_;  // lease reads: latest acknowledged send time
    int64_t leader_since_ns_ = 0;  // lease reads: when this term's leadership began (local time)
    std::map<uint64_t, std::vector<Waiter>> waiters_;  // by log index
    std::size_t waiter_count_ = 0;
    uint64_t lease_reads_served_ = 0;
    // Buggify site raft.slow_fsync: acknowledgements of appended entries waiting for their sync,
    // sent by finish_slow_fsync when the slow-fsync timer fires.
    std::vector<std::pair<NodeId, AppendEntriesReply>> slow_fsync_replies_;

    // What was last annotated, so annotations are emitted only on change.
    struct Annotated {
        uint64_t term = UINT64_MAX;
        Role role = Role::follower;
        bool role_set = false;
        uint64_t commit_index = UINT64_MAX;
        uint64_t last_applied = UINT64_MAX;
    } annotated_;
};

// A factory for World::add_node / restart.
ProcessFactory raft_node(RaftOptions options);

}  // namespace faultline::raft
