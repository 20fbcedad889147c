// The messages of Raft (Figure 2 of the paper) and of its clients.
//
// RequestVote / AppendEntries carry exactly the paper's arguments; the AppendEntries reply adds
// the fast-backup hint (conflict_term, conflict_index; §5.3 "the follower can include the term of
// the conflicting entry and the first index it stores for that term") and the highest index the
// follower now matches, so the leader never has to remember what it sent.
//
// ClientRequest/ClientReply: any server accepts a request; a non-leader answers not_leader with
// its best guess of the leader (thesis §6.2). A leader that loses leadership before the command
// commits answers retry: the command may still commit, so only the session makes retrying safe.
#pragma once

#include "protocols/raft/command.h"

#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::raft {

struct RequestVote {
    static constexpr std::string_view type_name = "raft.request_vote";
    uint64_t term = 0;
    NodeId candidate = no_node;
    uint64_t last_log_index = 0;
    uint64_t last_log_term = 0;
    // PreVote (thesis §9.6): "would you vote for me in `term`?"; nobody changes term or vote.
    bool pre_vote = false;
    std::string describe() const;
};

struct RequestVoteReply {
    static constexpr std::string_view type_name = "raft.request_vote_reply";
    uint64_t term = 0;
    bool vote_granted = false;
    bool pre_vote = false;  // the answer to a pre-vote; a granted one carries the asked-for term
    std::string describe() const;
};

struct AppendEntries {
    static constexpr std::string_view type_name = "raft.append_entries";
    uint64_t term = 0;
    NodeId leader = no_node;
    uint64_t prev_log_index = 0;
    uint64_t prev_log_term = 0;
    std::vector<LogEntry> entries;
    uint64_t leader_commit = 0;
    int64_t sent_at_ns = 0;  // the leader's local send time, echoed in the reply (lease reads)
    std::string describe() const;
};

struct AppendEntriesReply {
    static constexpr std::string_view type_name = "raft.append_entries_reply";
    uint64_t term = 0;
    bool success = false;
    // On success: prev_log_index + entries.size() of the request, now known to match the leader.
    uint64_t match_index = 0;
    // On failure: the term of the follower's entry at prev_log_index (0 if it has none there) and
    // the first index it holds with that term (or its last index + 1 when conflict_term is 0).
    uint64_t conflict_term = 0;
    uint64_t conflict_index = 0;
    int64_t echo_sent_at_ns = 0;  // the request's sent_at_ns
    std::string describe() const;
};

// InstallSnapshot (§7): sent instead of AppendEntries when the entries a follower needs were
// compacted away. Sent whole (no chunking): the state machine is small in this simulator. The
// answer is an AppendEntriesReply with match_index = last_included_index on success.
struct InstallSnapshot {
    static constexpr std::string_view type_name = "raft.install_snapshot";
    uint64_t term = 0;
    NodeId leader = no_node;
    uint64_t last_included_index = 0;
    uint64_t last_included_term = 0;
    std::string data;  // KvStateMachine::encode()
    std::string describe() const;
};

struct ClientRequest {
    static constexpr std::string_view type_name = "raft.client_request";
    Command command;
    std::string describe() const;
};

enum class ClientStatus : uint8_t {
    ok,          // applied exactly once; `result` is its result
    not_leader,  // this server is not the leader; try `leader_hint` (no_node: unknown)
    retry,       // the leader lost leadership or is busy; the command may or may not commit
    rejected,    // never appended (e.g. a key over the size limit): definitely not applied
};
std::string_view to_string(ClientStatus s);

struct ClientReply {
    static constexpr std::string_view type_name = "raft.client_reply";
    ClientStatus status = ClientStatus::retry;
    NodeId leader_hint = no_node;
    CommandResult result;
    std::string describe() const;
};

}  // namespace faultline::raft
