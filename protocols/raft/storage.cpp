#include "protocols/raft/storage.h"

#include <charconv>

namespace faultline::raft {

namespace {
const std::string hard_state_prefix = "raft/hard_state/";
const std::string log_prefix = "raft/log/";
const std::string snapshot_key = "raft/snapshot";

// log_prefix and the index in 20 digits, zero-padded, so that key order is index order. Written
// by hand: it runs for every entry written or erased.
std::string log_key(uint64_t index) {
    std::string key(log_prefix.size() + 20, '0');
    log_prefix.copy(key.data(), log_prefix.size());
    for (std::size_t i = key.size(); index > 0; index /= 10) key[--i] = static_cast<char>('0' + index % 10);
    return key;
}

struct Slot {
    uint64_t version = 0;
    HardState state;
};

std::optional<uint64_t> parse_u64(std::string_view s) {
    uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<Slot> parse_slot(const std::string& text) {
    auto a = text.find(' ');
    auto b = a == std::string::npos ? a : text.find(' ', a + 1);
    if (b == std::string::npos) return std::nullopt;
    auto version = parse_u64(std::string_view(text).substr(0, a));
    auto term = parse_u64(std::string_view(text).substr(a + 1, b - a - 1));
    std::string_view voted = std::string_view(text).substr(b + 1);
    if (!version || !term) return std::nullopt;
    Slot slot{*version, HardState{*term, no_node}};
    if (voted == "-") return slot;
    if (voted == "?") {
        slot.state.voted_for = voted_for_unknown;
        return slot;
    }
    auto id = parse_u64(voted);
    if (!id || *id >= voted_for_unknown) return std::nullopt;
    slot.state.voted_for = static_cast<NodeId>(*id);
    return slot;
}
}  // namespace

void write_hard_state(Disk& disk, uint64_t version, const HardState& state) {
    FL_ASSERT(version > 0, "hard-state versions start at 1");
    std::string voted = state.voted_for == no_node             ? std::string("-")
                        : state.voted_for == voted_for_unknown ? std::string("?")
                                                               : std::to_string(state.voted_for);
    disk.write(hard_state_prefix + std::to_string(version % 2), fmt::format("{} {} {}", version, state.term, voted));
}

void write_entry(Disk& disk, uint64_t index, const LogEntry& entry) {
    FL_ASSERT(index > 0, "log indexes start at 1");
    FL_ASSERT(entry.term > 0, "log entries have a term of at least 1 (index {})", index);
    disk.write(log_key(index), encode_entry(entry));
}

void write_snapshot(Disk& disk, const Snapshot& snapshot) {
    FL_ASSERT(snapshot.last_index > 0 && snapshot.last_term > 0, "a snapshot covers at least one entry");
    std::string text;
    text.reserve(3 * 21 + snapshot.data.size());  // the data is the whole store: copy it once
    text += std::to_string(snapshot.last_index);
    text += ' ';
    text += std::to_string(snapshot.last_term);
    text += ' ';
    put_field(text, snapshot.data);
    disk.write(snapshot_key, std::move(text));
}

void erase_entries(Disk& disk, uint64_t from_index, uint64_t to_index) {
    FL_ASSERT(from_index > 0, "log indexes start at 1");
    for (uint64_t i = from_index; i <= to_index; ++i) disk.erase(log_key(i));
}

RecoveredState recover_state(Disk& disk) {
    RecoveredState out;

    // Hard state: the readable slot with the highest version wins.
    std::optional<Slot> best;
    for (int s = 0; s < 2; ++s) {
        std::string key = hard_state_prefix + std::to_string(s);
        DiskRead read = disk.read(key);
        if (read.status == DiskStatus::not_found) continue;
        std::optional<Slot> slot = read.ok() ? parse_slot(read.value) : std::nullopt;
        if (!slot) {
            out.damage.push_back(fmt::format("{} is damaged; using the other slot", key));
            continue;
        }
        if (!best || slot->version > best->version) best = slot;
    }

    // Snapshot: a damaged one is lost (and the log after it is then out of sequence).
    DiskRead snapshot_read = disk.read(snapshot_key);
    if (snapshot_read.status != DiskStatus::not_found) {
        std::string_view in = snapshot_read.value;
        Snapshot snapshot;
        bool ok = snapshot_read.ok() && get_number(in, snapshot.last_index, ' ') &&
                  get_number(in, snapshot.last_term, ' ') && get_field(in, snapshot.data) && in.empty() &&
                  snapshot.last_index > 0 && snapshot.last_term > 0;
        if (ok) {
            out.snapshot = std::move(snapshot);
        } else {
            out.damage.push_back(fmt::format("{} is damaged; starting without a snapshot", snapshot_key));
        }
    }

    // Log: consecutive entries after the snapshot; the first damaged or missing one ends it.
    std::vector<std::string> keys = disk.keys(log_prefix);  // in key order = index order
    uint64_t expected = out.snapshot.last_index + 1;
    for (const std::string& key : keys) {
        auto index = parse_u64(std::string_view(key).substr(log_prefix.size()));
        if (index && *index <= out.snapshot.last_index) continue;  // covered by the snapshot: erased below
        DiskRead read = disk.read(key);
        std::optional<LogEntry> entry = read.ok() ? decode_entry(read.value) : std::nullopt;
        bool in_order = index && *index == expected;
        uint64_t previous_term = out.log.empty() ? out.snapshot.last_term : out.log.back().term;
        bool term_in_order = entry && entry->term >= previous_term;
        if (!in_order || !entry || !term_in_order) {
            out.damage.push_back(fmt::format("log entry {} is {}; the log now ends at index {}", key,
                                             !in_order ? "out of sequence" : "damaged", expected - 1));
            break;
        }
        out.log.push_back(std::move(*entry));
        ++expected;
    }
    // Erase everything after the usable prefix so that disk and memory agree from now on.
    for (const std::string& key : keys) {
        auto index = parse_u64(std::string_view(key).substr(log_prefix.size()));
        if (!index || *index >= expected || *index <= out.snapshot.last_index) disk.erase(key);
    }

    uint64_t last_log_term = out.log.empty() ? out.snapshot.last_term : out.log.back().term;
    if (best) {
        out.hard_state = best->state;
        out.hard_state_version = best->version;
    } else if (!out.log.empty() || out.snapshot.last_index > 0 || !out.damage.empty()) {
        // Both slots lost (or never written while the log was): we cannot know whom we voted for.
        out.hard_state = HardState{last_log_term, voted_for_unknown};
        out.damage.push_back(fmt::format("no readable hard state; term := {} (last log term), voted_for := unknown",
                                         last_log_term));
    }
    if (out.hard_state.term < last_log_term) {
        // A lost newer slot can leave the term behind the log; a term never goes backwards.
        out.damage.push_back(fmt::format("hard-state term {} is behind the log's last term {}; raised",
                                         out.hard_state.term, last_log_term));
        out.hard_state = HardState{last_log_term, voted_for_unknown};
    }
    FL_ASSERT(out.snapshot.last_index + out.log.size() + 1 == expected, "recovered log must be the consecutive prefix");
    FL_ASSERT(out.hard_state.term >= last_log_term, "recovered term must cover every log entry");
    return out;
}

}  // namespace faultline::raft
