// KvStateMachine: the replicated key-value map that committed log entries are applied to, with
// client sessions for exactly-once application.
//
// Guarantees
// - Deterministic: the same sequence of commands gives the same map and the same results, on
//   every server (std::map, no randomness).
// - Sessions (thesis §6.3): for each client it remembers the highest applied sequence and that
//   command's result. A command whose sequence is not above the client's last one is not applied
//   again; the remembered result is returned when it is the last one (a retry), an empty result
//   when it is older (a stale duplicate whose client has moved on and is not listening).
// - Clients have one outstanding command at a time, so one remembered result per client is enough.
//
// Limit: at most sessions_max client sessions (there is no session expiry yet: assert, don't grow
// without bound).
#pragma once

#include "protocols/raft/command.h"

#include <map>
#include <optional>
#include <string>

namespace faultline::raft {

class KvStateMachine {
public:
    static constexpr std::size_t sessions_max = 1 << 16;

    CommandResult apply(const Command& command);

    // The result of (client_id, sequence) if it is the client's last applied command.
    std::optional<CommandResult> session_result(uint64_t client_id, uint64_t sequence) const;
    // 0 when the client has never been applied.
    uint64_t last_sequence(uint64_t client_id) const;

    // Snapshot encoding (§7): the whole map and every session, so that a server restored from a
    // snapshot answers retries exactly like one that applied the log. decode returns nullopt on
    // malformed text (treated as damage by the caller).
    std::string encode() const;
    // A read outside the log (lease reads): the current value, no session change.
    CommandResult read(const std::string& key) const;
    static std::optional<KvStateMachine> decode(std::string_view text);
    bool operator==(const KvStateMachine& other) const;

    const std::map<std::string, std::string>& data() const { return data_; }
    std::size_t session_count() const { return sessions_.size(); }

private:
    struct Session {
        uint64_t last_sequence = 0;
        CommandResult last_result;
    };
    CommandResult execute(const Command& command);

    std::map<std::string, std::string> data_;
    std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::raft
