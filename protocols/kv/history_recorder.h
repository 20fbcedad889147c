// HistoryRecorder: the run's client history, Jepsen-style, for the checkers.
//
// Every operation a workload issues is recorded twice: as trace events on the client's node
// (client_invoke / client_complete, for the timeline) and here, as a check::History with process
// ids, keys and values (for the linearizability checker). The recorder is owned by whoever runs
// the scenario; client fibers hold a pointer to it. Calls happen in the kernel's event order, so
// the history is in real-time order; `clock` (the World's true time, supplied by the owner) only
// labels events with times, node code never reads it.
#pragma once

#include "protocols/kv/kv_client.h"
#include "check/history_builder.h"

#include <functional>
#include <map>

namespace faultline::kv {

class HistoryRecorder {
public:
    explicit HistoryRecorder(std::function<int64_t()> true_time_ns) : true_time_ns_(std::move(true_time_ns)) {}

    // Records the invocation; returns the id to complete it with.
    check::OpId invoke(int64_t process, const KvOp& op);
    void complete(check::OpId id, const KvOp& op, const KvResult& result);

    const check::History& history() const { return builder_.history(); }
    // Per operation (by OpId, the order pair_operations gives): the server that answered it.
    const std::vector<NodeId>& served_by() const { return served_by_; }
    // Reads that returned concurrent versions: OpId -> the versions (two or more).
    const std::map<check::OpId, std::vector<std::string>>& siblings() const { return siblings_; }
    std::size_t invoked() const { return invoked_; }

private:
    std::function<int64_t()> true_time_ns_;
    check::HistoryBuilder builder_;
    std::size_t invoked_ = 0;
    std::vector<NodeId> served_by_;
    std::map<check::OpId, std::vector<std::string>> siblings_;
};

}  // namespace faultline::kv
