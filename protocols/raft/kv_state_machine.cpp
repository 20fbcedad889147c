#include "protocols/raft/kv_state_machine.h"

#include "sim/node.h"

namespace faultline::raft {

CommandResult KvStateMachine::apply(const Command& command) {
    if (command.operation == Operation::noop) {
        FL_ASSERT(command.client_id == 0, "a no-op carries no client session (client {})", command.client_id);
        return CommandResult{};
    }
    FL_ASSERT(command.client_id != 0, "client command '{}' without a session", command.describe());
    FL_ASSERT(command.sequence != 0, "client sequences start at 1 ('{}')", command.describe());
    auto it = sessions_.find(command.client_id);
    if (it != sessions_.end() && command.sequence <= it->second.last_sequence) {
        // Already applied (a retry or a network duplicate that reached the log twice): never
        // apply twice. Only the latest result is kept; older duplicates get an empty answer that
        // nobody waits for.
        if (command.sequence == it->second.last_sequence) return it->second.last_result;
        CommandResult stale;
        stale.ok = false;
        return stale;
    }
    FL_ASSERT(sessions_.size() < sessions_max || it != sessions_.end(),
              "more than {} client sessions: add session expiry before running this many clients", sessions_max);
    CommandResult result = execute(command);
    Session& session = sessions_[command.client_id];
    FL_ASSERT(command.sequence > session.last_sequence, "session sequence must grow");
    session.last_sequence = command.sequence;
    session.last_result = result;
    return result;
}

CommandResult KvStateMachine::execute(const Command& c) {
    CommandResult r;
    switch (c.operation) {
        case Operation::noop: FL_ASSERT(false, "no-ops are handled by apply"); break;
        case Operation::get: {
            auto it = data_.find(c.key);
            r.found = it != data_.end();
            if (r.found) r.value = it->second;
            break;
        }
        case Operation::put:
            data_[c.key] = c.value;
            break;
        case Operation::append:
            r.value = data_[c.key] += c.value;
            break;
        case Operation::cas: {
            auto it = data_.find(c.key);
            r.found = it != data_.end();
            r.ok = r.found && it->second == c.expected;
            if (r.ok) it->second = c.value;
            if (r.found) r.value = it->second;
            break;
        }
    }
    return r;
}

std::optional<CommandResult> KvStateMachine::session_result(uint64_t client_id, uint64_t sequence) const {
    auto it = sessions_.find(client_id);
    if (it == sessions_.end() || it->second.last_sequence != sequence) return std::nullopt;
    return it->second.last_result;
}

uint64_t KvStateMachine::last_sequence(uint64_t client_id) const {
    auto it = sessions_.find(client_id);
    return it == sessions_.end() ? 0 : it->second.last_sequence;
}

}  // namespace faultline::raft
