// InvariantMonitor: a protocol's safety invariants, checked as the run goes (from the trace's
// state annotations, through an observer) and at its end (from the nodes' final state).
//
// A protocol's plug-in makes one per run (protocol_entry.h, BuiltSystem::invariants); the
// `invariants` checker reports what it found. A violation names the invariant, the node(s), the
// true time and the trace event where it was seen, so the viewer and `show` can mark it.
// Monitors read; they never change the run.
#pragma once

#include "protocols/plugin/cluster_view.h"

#include <iterator>
#include <string>
#include <vector>

namespace faultline::plugin {

struct Violation {
    std::string invariant;   // e.g. "election_safety"
    std::string detail;
    Instant at;
    EventIndex event = no_event;
};

// Whether the event tells that a node's disk lost data it held (a wipe, a crash after a lost
// fsync, a torn or corrupt record): a monitor that follows what each replica holds starts that
// node over, since what it forgot was not the protocol's doing.
inline bool disk_lost_data(EventKind k) {
    return k == EventKind::disk_wipe || k == EventKind::disk_loss || k == EventKind::disk_torn || k == EventKind::disk_corrupt;
}
// The same kinds, for a monitor's Trace::add_observer.
inline constexpr EventKinds disk_lost_data_kinds{EventKind::disk_wipe, EventKind::disk_loss, EventKind::disk_torn,
                                                 EventKind::disk_corrupt};

// Erases every entry of `node` from a map keyed by (node, ...) pairs.
template <typename Map>
void erase_node(Map& m, NodeId node) {
    for (auto it = m.begin(); it != m.end();) it = it->first.first == node ? m.erase(it) : std::next(it);
}

class InvariantMonitor {
public:
    virtual ~InvariantMonitor() = default;
    // Called once, before the run: attach observers to cluster.trace(). `cluster` outlives the run.
    virtual void attach(const ClusterView& cluster) = 0;
    // Called once, after the run, with the world in its final state.
    virtual void finish(const ClusterView& cluster) {}
    const std::vector<Violation>& violations() const { return violations_; }

protected:
    void report(std::string invariant, std::string detail, Instant at, EventIndex event = no_event) {
        // Bounded: one broken invariant can fire on every event after it.
        if (violations_.size() < violations_max) violations_.push_back({std::move(invariant), std::move(detail), at, event});
    }

private:
    static constexpr std::size_t violations_max = 100;
    std::vector<Violation> violations_;
};

}  // namespace faultline::plugin
