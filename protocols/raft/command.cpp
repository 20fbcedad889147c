#include "protocols/raft/command.h"

#include "sim/node.h"

#include <charconv>

namespace faultline::raft {

std::string_view to_string(Operation op) {
    switch (op) {
        case Operation::noop: return "noop";
        case Operation::get: return "get";
        case Operation::put: return "put";
        case Operation::append: return "append";
        case Operation::cas: return "cas";
    }
    return "?";
}

std::string Command::describe() const {
    switch (operation) {
        case Operation::noop: return "noop";
        case Operation::get: return fmt::format("get {}", key);
        case Operation::put: return fmt::format("put {} {}", key, value);
        case Operation::append: return fmt::format("append {} {}", key, value);
        case Operation::cas: return fmt::format("cas {} {} {}", key, expected, value);
    }
    return "?";
}

std::string CommandResult::describe(Operation op) const {
    switch (op) {
        case Operation::get: return found ? value : std::string("nil");
        case Operation::cas: return ok ? "true" : "false";
        default: return "ok";
    }
}

namespace {
// `v` in decimal and then `terminator`, appended without a temporary (entries are encoded on
// every append a follower or leader makes: the hot path of a Raft run).
void put_number(std::string& out, uint64_t v, char terminator) {
    char digits[21];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits - 1, v);
    *end++ = terminator;
    // (pointer, length), not (first, last): the iterator overload goes through the string's
    // general replace, several times the cost.
    out.append(digits, static_cast<std::size_t>(end - digits));
}
}  // namespace

// Entry format: "<term> <op> <client_id> <sequence> <len>:<key><len>:<value><len>:<expected>".
void put_field(std::string& out, const std::string& s) {
    put_number(out, s.size(), ':');
    out += s;
}

bool get_number(std::string_view& in, uint64_t& out, char terminator) {
    auto end = in.find(terminator);
    if (end == std::string_view::npos || end == 0) return false;
    auto [ptr, ec] = std::from_chars(in.data(), in.data() + end, out);
    if (ec != std::errc() || ptr != in.data() + end) return false;
    in.remove_prefix(end + 1);
    return true;
}

bool get_field(std::string_view& in, std::string& out) {
    uint64_t length = 0;
    if (!get_number(in, length, ':')) return false;
    if (length > in.size()) return false;
    out.assign(in.substr(0, length));
    in.remove_prefix(length);
    return true;
}

std::string encode_entry(const LogEntry& entry) {
    const Command& c = entry.command;
    std::string out;
    out.reserve(7 * 21 + c.key.size() + c.value.size() + c.expected.size());  // 7 numbers, each <= 20 digits + 1
    put_number(out, entry.term, ' ');
    put_number(out, static_cast<uint64_t>(c.operation), ' ');
    put_number(out, c.client_id, ' ');
    put_number(out, c.sequence, ' ');
    put_field(out, c.key);
    put_field(out, c.value);
    put_field(out, c.expected);
    return out;
}

std::optional<LogEntry> decode_entry(std::string_view in) {
    LogEntry e;
    uint64_t op = 0;
    if (!get_number(in, e.term, ' ') || !get_number(in, op, ' ')) return std::nullopt;
    if (op > static_cast<uint64_t>(Operation::cas)) return std::nullopt;
    e.command.operation = static_cast<Operation>(op);
    if (!get_number(in, e.command.client_id, ' ') || !get_number(in, e.command.sequence, ' ')) return std::nullopt;
    if (!get_field(in, e.command.key) || !get_field(in, e.command.value) || !get_field(in, e.command.expected))
        return std::nullopt;
    if (!in.empty()) return std::nullopt;
    // A term-0 entry cannot exist: terms start at 1 and index 0 is the empty log's sentinel.
    if (e.term == 0) return std::nullopt;
    return e;
}

}  // namespace faultline::raft
