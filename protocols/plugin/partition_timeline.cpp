#include "protocols/plugin/partition_timeline.h"

#include "sim/assert.h"

#include <algorithm>
#include <optional>

namespace faultline::plugin {

void PartitionTimeline::record(Instant at, Partition p) {
    FL_ASSERT(changes_.empty() || changes_.back().at <= at, "partition changes are recorded in time order");
    changes_.push_back({at, std::move(p)});
}

const Partition* PartitionTimeline::at(Instant t) const {
    // The last change at or before t.
    auto it = std::upper_bound(changes_.begin(), changes_.end(), t, [](Instant x, const Change& c) { return x < c.at; });
    if (it == changes_.begin()) return nullptr;
    const Partition& p = std::prev(it)->partition;
    return p.any_cut() ? &p : nullptr;
}

bool PartitionTimeline::minority_under(const Partition& p, NodeId node, const std::vector<NodeId>& servers) {
    std::size_t reached = 0;
    for (NodeId s : servers) {
        const bool inside = s < p.node_count() && node < p.node_count();
        if (s == node || !inside || (!p.cut(node, s) && !p.cut(s, node))) ++reached;
    }
    FL_ASSERT(reached <= servers.size(), "reached more servers than there are");
    return reached * 2 <= servers.size();
}

bool PartitionTimeline::in_minority(NodeId node, Instant t, const std::vector<NodeId>& servers) const {
    const Partition* p = at(t);
    return p != nullptr && minority_under(*p, node, servers);
}

bool PartitionTimeline::minority_throughout(NodeId node, Instant from, Instant to, const std::vector<NodeId>& servers) const {
    FL_ASSERT(from <= to, "an interval ends after it starts");
    if (!in_minority(node, from, servers)) return false;
    for (const Change& c : changes_) {
        if (c.at <= from || c.at > to) continue;
        if (!c.partition.any_cut() || !minority_under(c.partition, node, servers)) return false;
    }
    return true;
}

std::vector<std::pair<Instant, Instant>> PartitionTimeline::cut_intervals(Instant end) const {
    std::vector<std::pair<Instant, Instant>> out;
    std::optional<Instant> open;
    for (const Change& c : changes_) {
        if (c.at >= end) break;
        const bool cut = c.partition.any_cut();
        if (cut && !open) open = c.at;
        if (!cut && open) {
            out.emplace_back(*open, c.at);
            open.reset();
        }
    }
    if (open) out.emplace_back(*open, end);
    return out;
}

}  // namespace faultline::plugin
