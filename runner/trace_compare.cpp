#include "runner/trace_compare.h"

#include "sim/assert.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::runner {

namespace {

const std::string& name_of(const TraceSide& side, uint32_t id) {
    static const std::string unknown = "?";
    return id < side.names.size() ? side.names[id] : unknown;
}

std::string node_of(const TraceSide& side, NodeId id) {
    if (id == no_node) return "-";
    return id < side.node_names.size() ? side.node_names[id] : fmt::format("#{}", id);
}

std::string describe(const TraceSide& side, const TraceEvent& e) {
    std::string out = fmt::format("{} {} node {}", to_string(e.time), to_string(e.kind), node_of(side, e.node));
    if (e.peer != no_node) out += fmt::format(" peer {}", node_of(side, e.peer));
    if (e.name != 0) out += fmt::format(" {}", name_of(side, e.name));
    out += fmt::format(" id {} lamport {}", e.id, e.lamport);
    return out;
}

bool same(const TraceSide& a, const TraceEvent& x, const TraceSide& b, const TraceEvent& y, bool compare_text) {
    return x.time == y.time && x.local_time == y.local_time && x.lamport == y.lamport && x.id == y.id &&
           x.cause == y.cause && x.node == y.node && x.peer == y.peer && x.kind == y.kind && x.reason == y.reason &&
           name_of(a, x.name) == name_of(b, y.name) && (!compare_text || x.text == y.text);
}

}  // namespace

std::optional<Divergence> first_divergence(const TraceSide& stored, std::size_t stored_count, const TraceSide& replayed,
                                           bool compare_text) {
    FL_ASSERT(stored_count <= stored.events.size(), "comparing {} stored events, but only {} are loaded", stored_count,
              stored.events.size());
    const std::size_t n = std::min(stored_count, replayed.events.size());
    for (std::size_t i = 0; i < n; ++i) {
        const TraceEvent& x = stored.events[i];
        const TraceEvent& y = replayed.events[i];
        if (same(stored, x, replayed, y, compare_text)) continue;
        return Divergence{i, fmt::format("first divergent event #{}: stored {} | replayed {}", i, describe(stored, x),
                                         describe(replayed, y))};
    }
    if (stored_count == replayed.events.size()) return std::nullopt;
    const bool stored_longer = stored_count > replayed.events.size();
    const TraceEvent& extra = stored_longer ? stored.events[n] : replayed.events[n];
    return Divergence{n, fmt::format("traces agree for {} events, then the {} one goes on with event #{}: {}", n,
                                     stored_longer ? "stored" : "replayed", n,
                                     describe(stored_longer ? stored : replayed, extra))};
}

std::size_t prefix_until(const std::vector<TraceEvent>& events, Instant until) {
    auto it = std::upper_bound(events.begin(), events.end(), until,
                               [](Instant t, const TraceEvent& e) { return t < e.time; });
    return static_cast<std::size_t>(it - events.begin());
}

}  // namespace faultline::runner
