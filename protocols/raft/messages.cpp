#include "protocols/raft/messages.h"

namespace faultline::raft {

std::string RequestVote::describe() const {
    return fmt::format("{}term={} candidate={} last_log_index={} last_log_term={}", pre_vote ? "pre_vote " : "", term,
                       candidate, last_log_index, last_log_term);
}

std::string RequestVoteReply::describe() const {
    return fmt::format("{}term={} vote_granted={}", pre_vote ? "pre_vote " : "", term, vote_granted);
}

std::string AppendEntries::describe() const {
    return fmt::format("term={} leader={} prev_log_index={} prev_log_term={} entries={} leader_commit={}", term,
                       leader, prev_log_index, prev_log_term, entries.size(), leader_commit);
}

std::string AppendEntriesReply::describe() const {
    if (success) return fmt::format("term={} success match_index={}", term, match_index);
    return fmt::format("term={} failure conflict_term={} conflict_index={}", term, conflict_term, conflict_index);
}

std::string InstallSnapshot::describe() const {
    return fmt::format("term={} leader={} last_included_index={} last_included_term={} bytes={}", term, leader,
                       last_included_index, last_included_term, data.size());
}

std::string ClientRequest::describe() const {
    return fmt::format("{} (client {} seq {})", command.describe(), command.client_id, command.sequence);
}

std::string_view to_string(ClientStatus s) {
    switch (s) {
        case ClientStatus::ok: return "ok";
        case ClientStatus::not_leader: return "not_leader";
        case ClientStatus::retry: return "retry";
        case ClientStatus::rejected: return "rejected";
    }
    return "?";
}

std::string ClientReply::describe() const {
    return fmt::format("{} leader_hint={} value={}", to_string(status), leader_hint, result.value);
}

}  // namespace faultline::raft
