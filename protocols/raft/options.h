// RaftOptions: the cluster and the timing and size limits of one Raft server.
//
// Every server of a cluster must get the same `cluster` list (the names of all servers, itself
// included); membership is fixed for now (no joint consensus yet). Times are in the node's local
// clock. Safety never depends on timing; liveness needs
// heartbeat_interval_ms < election_timeout_ms_min (§5.6: broadcastTime << electionTimeout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::raft {

struct RaftOptions {
    std::vector<std::string> cluster{};    // names of every server, this one included
    int64_t election_timeout_ms_min = 150;  // randomized in [min, max] (§5.2)
    int64_t election_timeout_ms_max = 300;
    int64_t heartbeat_interval_ms = 50;
    std::size_t append_entries_max = 64;    // entries in one AppendEntries
    std::size_t pending_requests_max = 1024;  // client requests a leader holds awaiting commit
    std::size_t key_bytes_max = 256;        // larger keys are rejected (client sees `fail`)
    std::size_t value_bytes_max = 4096;
};

}  // namespace faultline::raft
