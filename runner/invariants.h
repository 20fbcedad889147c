// InvariantMonitor: a protocol's safety invariants, checked as the run goes (from the trace's
// state annotations, through an observer) and at its end (from the nodes' state).
//
// A violation names the invariant, the node(s), the true time and the trace event where it was
// seen, so the GUI and `show` can mark it. Monitors read; they never change the run.
#pragma once

#include "sim/world.h"

#include <string>
#include <vector>

namespace faultline::runner {

struct Violation {
    std::string invariant;   // e.g. "election_safety"
    std::string detail;
    Instant at;
    EventIndex event = no_event;
};

class InvariantMonitor {
public:
    virtual ~InvariantMonitor() = default;
    // Called once, before the run: attach observers to world.trace().
    virtual void attach(World& world) = 0;
    // Called once, after the run, with the world in its final state.
    virtual void finish(World& world) {}
    // The invariants this monitor checks, for reports ("election_safety", ...).
    virtual std::vector<std::string> names() const = 0;
    const std::vector<Violation>& violations() const { return violations_; }

protected:
    void report(std::string invariant, std::string detail, Instant at, EventIndex event = no_event) {
        // Bounded: one broken invariant can fire on every event after it.
        if (violations_.size() < 100) violations_.push_back({std::move(invariant), std::move(detail), at, event});
    }

private:
    std::vector<Violation> violations_;
};

std::unique_ptr<InvariantMonitor> raft_invariants(std::vector<NodeId> servers);
std::unique_ptr<InvariantMonitor> primary_backup_invariants(std::vector<NodeId> servers);

}  // namespace faultline::runner
