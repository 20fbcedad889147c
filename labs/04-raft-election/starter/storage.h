// The Raft labs' disk layout: how persist() writes Figure 2's persistent state and on_start reads
// it back. You need not change this file.
//
//   raftlab/state        "<term> <voted_for>" (voted_for: a node id, or "-" for none)
//   raftlab/log_size     the number of entries in the log
//   raftlab/log/<index>  one entry, index 1..log_size (20 digits, so keys sort by index)
//
// Anything unreadable (a damaged or missing record) counts as lost: the state falls back to
// term 0 with no vote, the log ends before the first bad entry, and each loss is one line of
// `damage` for the server's log. Raft assumes stable storage; the labs' scenarios keep it.
#pragma once

#include "messages.h"

#include "sim/disk.h"

#include <string>
#include <vector>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

struct Recovered {
    uint64_t term = 0;
    NodeId voted_for = no_node;
    std::vector<LogEntry> log;
    std::vector<std::string> damage;
};

Recovered recover(const Disk& disk);
void write_hard_state(Disk& disk, uint64_t term, NodeId voted_for);
void write_entry(Disk& disk, uint64_t index, const LogEntry& entry);
void write_log_size(Disk& disk, uint64_t size);

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
