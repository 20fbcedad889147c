// The Raft labs' messages (labs 04 and 05), after Figure 2 of the Raft paper. You need not change
// this file.
//
// Who sent a message is the envelope's `from` (m.from): a RequestVote's candidate, an
// AppendEntries' leader. Terms travel in every message: whoever sees a higher term than its own
// adopts it and becomes a follower (Figure 2, "Rules for all servers").
#pragma once

#include "protocols/kv/kv_client.h"
#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::raft_lab {

// One entry of the replicated log: a client's operation, stamped with the term of the leader that
// received it. (client, sequence) let the state machine apply a retried operation once.
struct LogEntry {
    uint64_t term = 0;
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    bool operator==(const LogEntry& o) const {
        return term == o.term && client == o.client && sequence == o.sequence && op.f == o.op.f && op.key == o.op.key &&
               op.value == o.op.value && op.expected == o.op.expected;
    }
};

// Candidate -> every other server: "vote for me in `term`".
struct RequestVote {
    static constexpr std::string_view type_name = "raftlab.request_vote";
    uint64_t term = 0;
    uint64_t last_log_index = 0;  // the candidate's last log entry (0: empty log)
    uint64_t last_log_term = 0;
    std::string describe() const {
        return fmt::format("term {} last {}@{}", term, last_log_index, last_log_term);
    }
};

struct VoteReply {
    static constexpr std::string_view type_name = "raftlab.vote_reply";
    uint64_t term = 0;  // the voter's current term, for the candidate to update itself
    bool granted = false;
    std::string describe() const { return fmt::format("term {} {}", term, granted ? "granted" : "refused"); }
};

// Leader -> follower: the entries after prev_log_index (none: a heartbeat), and how far the
// leader has committed.
struct AppendEntries {
    static constexpr std::string_view type_name = "raftlab.append_entries";
    uint64_t term = 0;
    uint64_t prev_log_index = 0;  // the entry just before `entries` (0: they start the log)
    uint64_t prev_log_term = 0;
    std::vector<LogEntry> entries;
    uint64_t leader_commit = 0;
    std::string describe() const {
        return fmt::format("term {} prev {}@{} +{} commit {}", term, prev_log_index, prev_log_term, entries.size(),
                           leader_commit);
    }
};

struct AppendReply {
    static constexpr std::string_view type_name = "raftlab.append_reply";
    uint64_t term = 0;
    bool success = false;
    // On success: the index of the last entry the follower now holds from this message
    // (prev_log_index + entries.size()), so the leader knows what it matched even when replies
    // arrive out of order or twice.
    uint64_t match_index = 0;
    std::string describe() const {
        return fmt::format("term {} {} match {}", term, success ? "ok" : "refused", match_index);
    }
};

// Client -> server (lab 05): one operation. Only the leader takes it.
struct ClientRequest {
    static constexpr std::string_view type_name = "raftlab.request";
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    std::string describe() const { return op.describe() + " #" + std::to_string(sequence); }
};

struct ClientReply {
    static constexpr std::string_view type_name = "raftlab.reply";
    bool ok = false;                // false: "I am not the leader": try `leader_hint`, or another server
    NodeId leader_hint = no_node;   // the leader this server last heard from (no_node: none known)
    kv::KvResult result;
    std::string describe() const { return ok ? "ok " + result.value : "not leader"; }
};

}  // namespace faultline::raft_lab
