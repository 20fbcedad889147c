// Command: one operation of the replicated key-value state machine, as it travels in the log.
//
// A command carries the client session that issued it, (client_id, sequence): the state machine
// applies a given (client_id, sequence) at most once and remembers the result, so a client that
// retries after a timeout gets the original answer instead of a second application (Raft thesis
// §6.3, "implementing linearizable semantics"). client_id 0 is reserved for the leader's no-op.
//
// Encoding: commands and log entries are stored on disk as text with length-prefixed fields, so
// any bytes may appear in keys and values. decode_* returns nullopt for anything malformed; the
// caller treats that like a corrupt block.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::raft {

enum class Operation : uint8_t {
    noop,    // appended by a new leader at the start of its term (§5.4.2, thesis §6.4)
    get,     // read through the log: linearizable
    put,     // set key to value
    append,  // key := key + value (absent key reads as "")
    cas,     // if key is present and equals expected, set it to value
};
std::string_view to_string(Operation op);

struct Command {
    Operation operation = Operation::noop;
    std::string key{};
    std::string value{};
    std::string expected{};  // cas only
    uint64_t client_id = 0;  // 0: no session (the no-op)
    uint64_t sequence = 0;   // per client, starts at 1, one outstanding command at a time

    // "put x 1", "cas x 1 2": also the operation text of the client history.
    std::string describe() const;
    bool operator==(const Command&) const = default;
};

// What applying a command returned. get: found + value. put: ok. append: ok + the new value.
// cas: ok = whether it swapped, value = the value after the command.
struct CommandResult {
    bool ok = true;
    bool found = false;
    std::string value{};

    // The result text of the client history: "ok", a value or "nil" for get, "true"/"false" for cas.
    std::string describe(Operation op) const;
    bool operator==(const CommandResult&) const = default;
};

struct LogEntry {
    uint64_t term = 0;
    Command command;
    bool operator==(const LogEntry&) const = default;
};

// Pieces of the disk encodings (log entries, snapshots): a length-prefixed field "<len>:<bytes>"
// and a decimal number ended by `terminator`. The getters consume what they read; false on
// malformed input.
void put_field(std::string& out, const std::string& s);
bool get_field(std::string_view& in, std::string& out);
bool get_number(std::string_view& in, uint64_t& out, char terminator);

std::string encode_entry(const LogEntry& entry);
std::optional<LogEntry> decode_entry(std::string_view text);

}  // namespace faultline::raft
