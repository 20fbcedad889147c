// RaftOptions: the cluster and the timing and size limits of one Raft server.
//
// Every server of a cluster must get the same `cluster` list (the names of all servers, itself
// included); membership is fixed for now (no joint consensus yet). Times are in the node's local
// clock. Safety never depends on timing; liveness needs
// heartbeat_interval_ms < election_timeout_ms_min (§5.6: broadcastTime << electionTimeout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::raft {

struct RaftOptions {
    std::vector<std::string> cluster{};    // names of every server, this one included
    int64_t election_timeout_ms_min = 150;  // randomized in [min, max] (§5.2)
    int64_t election_timeout_ms_max = 300;
    int64_t heartbeat_interval_ms = 50;
    std::size_t append_entries_max = 64;    // entries in one AppendEntries
    std::size_t pending_requests_max = 1024;  // client requests a leader holds awaiting commit
    std::size_t key_bytes_max = 256;        // larger keys are rejected (client sees `fail`)
    std::size_t value_bytes_max = 4096;

    // Log compaction (§7): once this many applied entries follow the last snapshot, the server
    // snapshots its state machine (sessions included) at last_applied, persists it, and drops
    // the entries it covers. A follower that needs dropped entries gets InstallSnapshot.
    // 0: never compact.
    std::size_t snapshot_threshold_entries = 0;

    // Lease-based reads (thesis §6.4.1): a leader answers `get` from its state machine, without a
    // log entry, while it holds a lease: a majority acknowledged an AppendEntries it sent less
    // than election_timeout_ms_min * (1 - lease_drift_bound_ppm / 10^6) ago (its own clock), and
    // an entry of its term is committed. Followers then ignore RequestVote within
    // election_timeout_ms_min of hearing the leader (thesis §4.2.3), so no other leader can be
    // elected inside the lease. UNSAFE when clocks drift or jump apart by more than the bound:
    // a deposed leader may then answer stale reads (not linearizable). Clock faults break it on
    // purpose.
    bool lease_reads = false;
    int64_t lease_drift_bound_ppm = 10'000;  // 1%: the assumed bound on clock rate differences

    // PreVote (thesis §9.6): before raising its term, a server whose election timer fires asks
    // the others whether they would vote for it (RequestVote with pre_vote, for term + 1). A
    // server grants a pre-vote only if it has not heard from a leader within
    // election_timeout_ms_min and the asker's log is up to date; nobody changes term or vote.
    // Only with a majority of pre-votes does the server start a real election, so a server that
    // was partitioned away rejoins without deposing a stable leader.
    bool pre_vote = false;
    // CheckQuorum (thesis §6.2): a leader that has not heard an AppendEntries reply from a
    // majority (itself included) within election_timeout_ms_min steps down, checked at every
    // heartbeat. An isolated leader then stops claiming leadership (and answers its waiting
    // clients `retry`) within election_timeout_ms_min + heartbeat_interval_ms.
    bool check_quorum = false;

    // --- planted bugs (CONTRIBUTING.md rule 14) --------------------------------------------------------------
    // Deliberately broken variants that live beside the real code so that tests can prove the
    // checkers catch them (tests/raft/planted_bugs_test.cpp, scenarios/raft/planted_*.toml).
    // All default off; never switch one on outside a demonstration. With any of them on, the
    // node stops asserting the safety properties the bug breaks (a committed entry being
    // truncated) and logs "raft: planted: ..." instead, so that the run goes on and the
    // linearizability checker and the invariant monitor get to see the damage.
    //
    // Counts replicas for entries of earlier terms too, committing them without an entry of the
    // current term above them: the Figure 8 counterexample (§5.4.2).
    bool bug_commit_old_term_entries = false;
    // Grants votes (and adopts a RequestVote's newer term) in memory only: neither term nor
    // voted_for reaches the disk before the reply, so a crash and restart forgets the vote and the
    // server may vote again in the same term (two leaders in one term, §5.2, Figure 2).
    bool bug_vote_without_persisting = false;
    // Grants votes without the up-to-date-log check (§5.4.1): a server missing committed entries
    // can win an election and overwrite them (Leader Completeness broken).
    bool bug_vote_without_log_check = false;

    // --- planted fault (tests of the runner, not of the checkers) ------------------------------
    // PLANTED FAULT: a server that becomes leader of this term or a later one trips an FL_ASSERT
    // right there. It exists so that tests can prove a sweep, a run and a shrink contain a seed
    // that asserts (tests/runner/internal_error_test.cpp); which seeds reach the term depends on
    // the seed. 0: off (the default); never set it outside such a test.
    int64_t planted_assert_from_term = 0;

    bool any_planted_bug() const {
        return bug_commit_old_term_entries || bug_vote_without_persisting || bug_vote_without_log_check;
    }
};

}  // namespace faultline::raft
