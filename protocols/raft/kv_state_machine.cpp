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

CommandResult KvStateMachine::read(const std::string& key) const {
    CommandResult r;
    auto it = data_.find(key);
    r.found = it != data_.end();
    if (r.found) r.value = it->second;
    return r;
}

// Format: "<keys> " then <len>:<key><len>:<value> per key, then "<sessions> " then per session
// "<client_id> <last_sequence> <ok> <found> " and <len>:<value>.
std::string KvStateMachine::encode() const {
    // Sized first: a compaction encodes the whole store, whose appended values grow long.
    std::size_t size = 2 * 21;
    for (const auto& [key, value] : data_) size += 2 * 21 + key.size() + value.size();
    for (const auto& [client, session] : sessions_) size += 5 * 21 + session.last_result.value.size();
    std::string out;
    out.reserve(size);
    out += std::to_string(data_.size());
    out += ' ';
    for (const auto& [key, value] : data_) {
        put_field(out, key);
        put_field(out, value);
    }
    out += std::to_string(sessions_.size());
    out += ' ';
    for (const auto& [client, session] : sessions_) {
        out += std::to_string(client);
        out += ' ';
        out += std::to_string(session.last_sequence);
        out += session.last_result.ok ? " 1 " : " 0 ";
        out += session.last_result.found ? "1 " : "0 ";
        put_field(out, session.last_result.value);
    }
    return out;
}

std::optional<KvStateMachine> KvStateMachine::decode(std::string_view in) {
    KvStateMachine out;
    uint64_t keys = 0;
    if (!get_number(in, keys, ' ')) return std::nullopt;
    for (uint64_t i = 0; i < keys; ++i) {
        std::string key, value;
        if (!get_field(in, key) || !get_field(in, value)) return std::nullopt;
        out.data_.emplace(std::move(key), std::move(value));
    }
    uint64_t sessions = 0;
    if (!get_number(in, sessions, ' ') || sessions > sessions_max) return std::nullopt;
    for (uint64_t i = 0; i < sessions; ++i) {
        uint64_t client = 0, ok = 0, found = 0;
        Session session;
        if (!get_number(in, client, ' ') || !get_number(in, session.last_sequence, ' ') || !get_number(in, ok, ' ') ||
            !get_number(in, found, ' ') || !get_field(in, session.last_result.value))
            return std::nullopt;
        session.last_result.ok = ok != 0;
        session.last_result.found = found != 0;
        out.sessions_.emplace(client, std::move(session));
    }
    if (!in.empty()) return std::nullopt;
    FL_ASSERT(out.data_.size() == keys, "decoded every key once");
    return out;
}

bool KvStateMachine::operator==(const KvStateMachine& other) const {
    if (data_ != other.data_ || sessions_.size() != other.sessions_.size()) return false;
    for (auto a = sessions_.begin(), b = other.sessions_.begin(); a != sessions_.end(); ++a, ++b)
        if (a->first != b->first || a->second.last_sequence != b->second.last_sequence ||
            !(a->second.last_result == b->second.last_result))
            return false;
    return true;
}

}  // namespace faultline::raft
