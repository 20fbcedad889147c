// PartitionTimeline: which partition was in force when, over one run (recorded by the runner
// from the trace's partition and heal events). Figures such as "writes acknowledged on the
// minority side" ask it where a server stood while it served an operation.
#pragma once

#include "sim/partition.h"
#include "sim/time.h"

#include <utility>
#include <vector>

namespace faultline::plugin {

class PartitionTimeline {
public:
    // From `at` on, `p` is in force (a heal records an empty partition). Times never go back.
    void record(Instant at, Partition p);

    // The partition in force at `t` (null: none, the network whole).
    const Partition* at(Instant t) const;
    // Whether `node`, under the partition in force at `t`, reaches (both ways) at most half of
    // `servers`, counting itself: cut off from any majority.
    bool in_minority(NodeId node, Instant t, const std::vector<NodeId>& servers) const;
    // The same through the whole interval [from, to]: no change of partition gave it a majority.
    bool minority_throughout(NodeId node, Instant from, Instant to, const std::vector<NodeId>& servers) const;
    bool empty() const { return changes_.empty(); }
    // The intervals [from, to) during which some link was cut, up to `end` (an interval still
    // open at `end` ends there).
    std::vector<std::pair<Instant, Instant>> cut_intervals(Instant end) const;

private:
    struct Change {
        Instant at;
        Partition partition;
    };
    static bool minority_under(const Partition& p, NodeId node, const std::vector<NodeId>& servers);
    std::vector<Change> changes_;
};

}  // namespace faultline::plugin
