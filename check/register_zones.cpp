// decide_by_register_zones. See register_zones.h.
#include "check/register_zones.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

namespace faultline::check {
namespace {

constexpr std::int64_t before_everything = std::numeric_limits<std::int64_t>::min();

// One write and the reads of its value. Cluster 0 is the virtual write of `absent`.
struct Cluster {
    std::int64_t first_completion = before_everything;
    std::int64_t last_invocation = before_everything;
    std::vector<std::size_t> members;
};

struct Zone {
    std::int64_t from, to;
    std::size_t cluster;
};

ZoneDecision violation(std::vector<std::size_t> conflict) {
    std::sort(conflict.begin(), conflict.end());
    return {true, false, std::move(conflict)};
}

ZoneDecision violation(const Cluster& a, const Cluster& b) {
    std::vector<std::size_t> conflict = a.members;
    conflict.insert(conflict.end(), b.members.begin(), b.members.end());
    return violation(std::move(conflict));
}

}  // namespace

ZoneDecision decide_by_register_zones(const std::vector<Operation>& ops) {
    std::map<std::string, std::size_t> writer_of;  // put value -> position; lookup only
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& op = ops[i];
        if (op.f == Function::put) {
            if (!op.value || op.completion == Completion::fail) return {};
            if (!writer_of.emplace(*op.value, i).second) return {};
        } else if (op.f != Function::get || op.completion != Completion::ok) {
            return {};
        }
    }

    // clusters[0]: absent; clusters[i + 1]: the put at position i.
    std::vector<Cluster> clusters(ops.size() + 1);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].f != Function::put) continue;
        clusters[i + 1] = {ops[i].complete_index, ops[i].invoke_index, {i}};
    }
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Operation& get = ops[i];
        if (get.f != Function::get) continue;
        std::size_t c = 0;
        if (get.output) {
            auto it = writer_of.find(*get.output);
            if (it == writer_of.end()) return violation({i});                                   // (a)
            if (get.complete_index < ops[it->second].invoke_index) return violation({i, it->second});  // (a)
            c = it->second + 1;
        }
        Cluster& cluster = clusters[c];
        cluster.first_completion = std::min(cluster.first_completion, get.complete_index);
        cluster.last_invocation = std::max(cluster.last_invocation, get.invoke_index);
        cluster.members.push_back(i);
    }

    std::vector<Zone> forward, backward;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        const Cluster& cluster = clusters[c];
        if (cluster.members.empty()) continue;
        if (cluster.first_completion < cluster.last_invocation) {
            forward.push_back({cluster.first_completion, cluster.last_invocation, c});
        } else {
            backward.push_back({cluster.last_invocation, cluster.first_completion, c});
        }
    }
    auto by_start = [](const Zone& a, const Zone& b) { return a.from < b.from; };
    std::sort(forward.begin(), forward.end(), by_start);
    std::sort(backward.begin(), backward.end(), by_start);
    // (b) Sorted by start, overlapping forward zones include two neighbours that overlap.
    for (std::size_t z = 1; z < forward.size(); ++z) {
        if (forward[z].from < forward[z - 1].to) return violation(clusters[forward[z - 1].cluster], clusters[forward[z].cluster]);
    }
    // (c) The forward zones are now disjoint: only the last one starting before a backward zone
    // can contain it.
    for (const Zone& zone : backward) {
        auto after = std::upper_bound(forward.begin(), forward.end(), zone, by_start);
        if (after == forward.begin()) continue;
        const Zone& outer = *std::prev(after);
        if (outer.from < zone.from && zone.to < outer.to) return violation(clusters[outer.cluster], clusters[zone.cluster]);
    }
    return {true, true, {}};
}

}  // namespace faultline::check
