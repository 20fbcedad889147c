// The Raft labs' server (labs 04 and 05). You need not change this file: you write the bodies of
// the functions it declares, in election.cpp (lab 04) and replication.cpp (lab 05).
//
// The state is Figure 2's, under the same names. node.cpp (given) restores the persistent part
// from disk when the server starts, hands every message and timer to the function that handles
// it, and reports each change of role, term, vote and commit index to the trace, where the
// grader's checks and the viewer read them.
//
// The same files build lab 04 and lab 05 (lab 05 adds replication to your lab 04 election): each
// lab's build puts them in a namespace of its own, RAFT_LAB (lab04 or lab05), set by its
// CMakeLists.txt. Write your code in `namespace faultline::raft_lab` as the starter files do.
#pragma once

#include "messages.h"

#include "protocols/kv/store.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

enum class Role { follower, candidate, leader };
std::string_view to_string(Role r);

// Timings, in local time (the scenario's options; faultline lab show gives their defaults).
struct Settings {
    Duration election_timeout_min = milliseconds(150);
    Duration election_timeout_max = milliseconds(300);
    Duration heartbeat_interval = milliseconds(50);
    // The graders' own tests plant a typical mistake by name (lab.toml's [[mistake]]s) in the
    // reference solution. Your code never reads it.
    std::string mistake;
};

class RaftNode final : public Process {
public:
    RaftNode(Settings settings, std::vector<std::string> servers)
        : settings_(std::move(settings)), server_names_(std::move(servers)) {}

    // Given (node.cpp).
    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    // What the grader, the viewer and the lab's plug-in read.
    Role role() const { return role_; }
    uint64_t current_term() const { return current_term_; }
    NodeId voted_for() const { return voted_for_; }
    uint64_t commit_index() const { return commit_index_; }
    const std::vector<LogEntry>& log() const { return log_; }
    const kv::Store& store() const { return store_; }

private:
    // ---- election (election.cpp: lab 04) ---------------------------------------------------------
    // The election timer fired: no word from a leader (or no election won) for a whole timeout.
    void on_election_timeout(Context& ctx);
    // A candidate asks for this server's vote (the candidate is m.from).
    void on_request_vote(Context& ctx, const Envelope& m, const RequestVote& r);
    // A server answers this server's RequestVote.
    void on_vote_reply(Context& ctx, const Envelope& m, const VoteReply& r);
    // Adopt `term` and become a follower of it (a higher term was seen, or a leader of it heard).
    void become_follower(Context& ctx, uint64_t term);
    void become_leader(Context& ctx);

    // ---- replication (replication.cpp: lab 05; lab 04 gives heartbeats only, in heartbeat.cpp) ---
    // The heartbeat timer fired (set by the leader): send every follower what it lacks.
    void on_heartbeat_timeout(Context& ctx);
    // The leader's AppendEntries (the leader is m.from).
    void on_append_entries(Context& ctx, const Envelope& m, const AppendEntries& a);
    void on_append_reply(Context& ctx, const Envelope& m, const AppendReply& r);
    void on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r);
    // Leaders: send `peer` an AppendEntries with the entries from next_index_[peer] on.
    void send_append_entries(Context& ctx, NodeId peer);
    // Leaders: move commit_index_ to the highest index a majority holds (Figure 2's last rule
    // for leaders, and §5.4.2: only an entry of the leader's own term commits by counting).
    void advance_commit_index(Context& ctx);
    // §5.4.1: whether a log ending at (last_index, last_term) is at least as up-to-date as ours.
    bool log_is_up_to_date(uint64_t last_index, uint64_t last_term) const;

    // ---- helpers (node.cpp) ----------------------------------------------------------------------
    // Writes current_term_, voted_for_ and log_ to disk and syncs. Call it before any message
    // that depends on them leaves: what this server promised must survive a crash.
    void persist(Context& ctx);
    // (Re)arms the election timer with a fresh random timeout in [election_timeout_min, max];
    // the previous one no longer fires.
    void reset_election_timer(Context& ctx);
    // Arms the heartbeat timer (heartbeat_interval); the previous one no longer fires.
    void reset_heartbeat_timer(Context& ctx);
    // Applies log entries up to commit_index_ to the store (in order, once each), and answers
    // the client waiting for each one, if this server is the leader that took its request.
    void apply_committed(Context& ctx);
    uint64_t last_log_index() const { return log_.size(); }
    uint64_t last_log_term() const { return log_.empty() ? 0 : log_.back().term; }
    // The term of the entry at `index` (1-based, as in the paper); 0 for index 0.
    uint64_t term_at(uint64_t index) const { return index == 0 ? 0 : log_.at(index - 1).term; }
    std::vector<NodeId> peers(const Context& ctx) const;  // every other server
    std::size_t majority() const { return servers_.size() / 2 + 1; }

    // Reports changes of role, term, vote and commit index to the trace (after every handler).
    void report(Context& ctx);

    Settings settings_;
    std::vector<std::string> server_names_;
    std::vector<NodeId> servers_;  // every server of the cluster, this one included (on_start)

    // Persistent state on all servers (Figure 2): persist() writes it, on_start restores it.
    uint64_t current_term_ = 0;
    NodeId voted_for_ = no_node;  // the candidate voted for in current_term_ (no_node: none)
    std::vector<LogEntry> log_;   // log_[i - 1] is the entry at index i

    // Volatile state on all servers.
    Role role_ = Role::follower;
    NodeId leader_ = no_node;     // the leader of current_term_, once heard from
    uint64_t commit_index_ = 0;   // highest index known committed
    uint64_t last_applied_ = 0;   // highest index applied to store_
    kv::Store store_;             // the state machine

    // Candidates: the servers that granted their vote in current_term_ (this one included).
    std::set<NodeId> votes_;

    // Leaders, reinitialized after election: per follower, the next index to send and the
    // highest index known replicated there.
    std::map<NodeId, uint64_t> next_index_;
    std::map<NodeId, uint64_t> match_index_;
    // Leaders: the client request waiting for each log index this leader appended.
    std::map<uint64_t, Envelope> waiting_;

    // Timers (helpers above).
    TimerId election_timer_ = 0;
    TimerId heartbeat_timer_ = 0;
    // What report() last told the trace.
    struct Reported {
        Role role = Role::follower;
        uint64_t term = 0;
        NodeId voted_for = no_node;
        uint64_t commit_index = 0;
        bool any = false;
    } reported_;
    // The log as persist() last wrote it, so that it writes only what changed since.
    std::vector<LogEntry> on_disk_;
};

// A server of the cluster whose servers are named `servers` (this one among them).
ProcessFactory raft_node(Settings settings, std::vector<std::string> servers);

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
