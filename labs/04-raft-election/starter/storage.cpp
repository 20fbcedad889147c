#include "storage.h"

#include <charconv>
#include <optional>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {

const std::string state_key = "raftlab/state";
const std::string size_key = "raftlab/log_size";
std::string entry_key(uint64_t index) { return fmt::format("raftlab/log/{:020}", index); }

// Fields: numbers end with ' '; strings are "<length>:<bytes>" (any bytes may appear in them).
void put_string(std::string& out, const std::string& s) { fmt::format_to(std::back_inserter(out), "{}:{}", s.size(), s); }

bool get_number(std::string_view& in, uint64_t& out, char end) {
    auto [ptr, ec] = std::from_chars(in.data(), in.data() + in.size(), out);
    if (ec != std::errc() || ptr == in.data() + in.size() || *ptr != end) return false;
    in.remove_prefix(static_cast<std::size_t>(ptr - in.data()) + 1);
    return true;
}

bool get_string(std::string_view& in, std::string& out) {
    uint64_t n = 0;
    if (!get_number(in, n, ':') || n > in.size()) return false;
    out.assign(in.substr(0, n));
    in.remove_prefix(n);
    return true;
}

std::string encode(const LogEntry& e) {
    std::string out = fmt::format("{} {} {} {} ", e.term, e.client, e.sequence, static_cast<int>(e.op.f));
    put_string(out, e.op.key);
    put_string(out, e.op.value);
    put_string(out, e.op.expected);
    return out;
}

std::optional<LogEntry> decode(std::string_view in) {
    LogEntry e;
    uint64_t f = 0;
    if (!get_number(in, e.term, ' ') || !get_number(in, e.client, ' ') || !get_number(in, e.sequence, ' ') ||
        !get_number(in, f, ' ') || f > static_cast<uint64_t>(kv::Function::remove))
        return std::nullopt;
    e.op.f = static_cast<kv::Function>(f);
    if (!get_string(in, e.op.key) || !get_string(in, e.op.value) || !get_string(in, e.op.expected) || !in.empty())
        return std::nullopt;
    return e;
}

}  // namespace

void write_hard_state(Disk& disk, uint64_t term, NodeId voted_for) {
    disk.write(state_key, fmt::format("{} {}", term, voted_for == no_node ? std::string("-") : std::to_string(voted_for)));
}

void write_entry(Disk& disk, uint64_t index, const LogEntry& entry) { disk.write(entry_key(index), encode(entry)); }

void write_log_size(Disk& disk, uint64_t size) { disk.write(size_key, std::to_string(size)); }

Recovered recover(const Disk& disk) {
    Recovered out;
    if (DiskRead state = disk.read(state_key); state.ok()) {
        std::string_view in = state.value;
        uint64_t voted = 0;
        if (!get_number(in, out.term, ' ')) out.damage.push_back("raftlab: unreadable term and vote; starting at term 0");
        else if (in != "-" && (std::from_chars(in.data(), in.data() + in.size(), voted).ec != std::errc()))
            out.damage.push_back("raftlab: unreadable vote; voting afresh");
        else if (in != "-")
            out.voted_for = static_cast<NodeId>(voted);
    } else if (state.status != DiskStatus::not_found) {
        out.damage.push_back("raftlab: damaged term and vote; starting at term 0");
    }
    DiskRead size = disk.read(size_key);
    uint64_t n = 0;
    if (size.ok()) {
        std::string_view in = size.value;
        if (std::from_chars(in.data(), in.data() + in.size(), n).ec != std::errc()) n = 0;
    }
    for (uint64_t i = 1; i <= n; ++i) {
        DiskRead r = disk.read(entry_key(i));
        std::optional<LogEntry> e = r.ok() ? decode(r.value) : std::nullopt;
        if (!e) {
            out.damage.push_back(fmt::format("raftlab: log entry {} lost; the log ends at {}", i, i - 1));
            break;
        }
        out.log.push_back(std::move(*e));
    }
    return out;
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
