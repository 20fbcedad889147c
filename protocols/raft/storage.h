// Storage: Raft's persistent state (Figure 2: currentTerm, votedFor, log[]) on the node's Disk,
// and its recovery after a restart.
//
// Disk layout (keys in the node's key-value disk)
//   raft/hard_state/0, raft/hard_state/1   "<version> <term> <voted_for>"; writes alternate
//                                          between the two slots, so a torn write of one slot
//                                          leaves the previous state readable in the other.
//   raft/log/<index, 20 digits>            one log entry (encode_entry), index from
//                                          snapshot.last_index + 1
//   raft/snapshot                          "<last_index> <last_term> <len>:<state machine>"
//                                          (§7); written and synced before the entries it
//                                          covers are erased, so a crash in between leaves
//                                          stale entries that recovery erases.
//
// Who syncs: these functions only write (into the page cache). The node calls Context::sync()
// before any message that depends on the writes leaves (before replying to RequestVote or
// AppendEntries, before sending RequestVote, before a leader counts its own entry).
//
// Damage (DiskStatus::corrupt, or text that does not decode) is treated as data the node has
// lost, and every such finding is reported in RecoveredState::damage for the node to log:
// - a damaged or missing log entry at index i: the log ends at i - 1, and the keys from i on are
//   erased so the disk matches. Safe for entries that were never acknowledged (a torn unsynced
//   write); if a durable, acknowledged entry rots, the cluster may lose a committed entry that
//   this node's ack helped commit: Raft assumes stable storage and cannot repair that.
// - both hard-state slots damaged: term := the last log term, and voted_for := unknown, which
//   makes the node refuse to vote in that term. A vote cast in a later term is still forgotten
//   (same caveat: Raft assumes stable storage).
#pragma once

#include "protocols/raft/command.h"

#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::raft {

// voted_for after the record of the vote was lost: the node votes for nobody in this term.
inline constexpr NodeId voted_for_unknown = no_node - 1;

struct HardState {
    uint64_t term = 0;
    NodeId voted_for = no_node;
    bool operator==(const HardState&) const = default;
};

// A snapshot (§7): the state machine after applying every entry up to last_index, whose term
// was last_term. last_index 0: no snapshot.
struct Snapshot {
    uint64_t last_index = 0;
    uint64_t last_term = 0;
    std::string data;  // KvStateMachine::encode()
};

struct RecoveredState {
    HardState hard_state;
    uint64_t hard_state_version = 0;  // of the newest readable slot; the next write uses +1
    Snapshot snapshot;                // last_index 0: none
    std::vector<LogEntry> log;        // log[0] is index snapshot.last_index + 1
    std::vector<std::string> damage;  // what was lost, one line each, for the node's log
};

RecoveredState recover_state(Disk& disk);

// Writes slot (version % 2). Versions must increase by one per write.
void write_hard_state(Disk& disk, uint64_t version, const HardState& state);
void write_entry(Disk& disk, uint64_t index, const LogEntry& entry);
void write_snapshot(Disk& disk, const Snapshot& snapshot);
// Erases entries [from_index, to_index]; used when the log is truncated (§5.3) or compacted.
void erase_entries(Disk& disk, uint64_t from_index, uint64_t to_index);

}  // namespace faultline::raft
