// LiveSession: a run advanced step by step, with faults applied by hand at the moment it is paused.
//
// The viewer's live mode (issue 5): start the workload of a spec, advance it (play, or step), and
// at the current virtual time crash or restart a node, partition the cluster, skew a clock or drop
// a message in flight; then go on. Each action is applied to the World at now() and recorded with
// that time, so
// - the same actions at the same virtual times give the same run (the same trace hash): the
//   session is a pure function of (spec, actions), like any run;
// - as_spec() turns the actions into the spec's fault schedule (`added`) and manual drops
//   (`dropped_messages`): run_view(as_spec()) replays the live run from the start, event for event
//   (its trace adds the schedule's "plan" notes at time 0, which first_divergence leaves out), and
//   a stored run's fork of it saves as a scenario with those faults as [[fault]] tables.
// The GUI still holds no truth: what it draws is snapshot(), the model of the trace so far.
#pragma once

#include "visualizer/view_run.h"

#include <memory>
#include <vector>

namespace faultline::view {

class LiveSession {
public:
    explicit LiveSession(const ViewRunSpec& spec);

    Instant now() const { return world_->now(); }
    Instant end() const { return Instant::zero() + spec_.duration; }
    bool finished() const { return now() >= end(); }
    // Runs up to `t` (at most to the end of the run). Time never goes back.
    void advance_to(Instant t);

    // Applies a fault now and records it (a Crash of a node already down is the kernel's to refuse:
    // an assertion, so the caller checks world().is_up first).
    void apply(const faults::Fault& fault);
    // A fault at `f.at`: applied now if that is now, else queued for then (e.g. the heal of a
    // partition "for 400 ms"); recorded either way. Not in the past.
    void schedule(const faults::ScheduledFault& f);
    // Drops a message now in flight; false (and nothing recorded) if it is not in flight.
    bool drop(MessageId id);
    std::vector<InFlightMessage> in_flight() const { return world_->in_flight(); }
    const World& world() const { return *world_; }

    const faults::FaultSchedule& actions() const { return actions_; }
    uint64_t trace_hash() const { return world_->trace_hash(); }
    // The model of the run so far (the checker runs too when the spec asks for it).
    ViewRun snapshot() const;
    // The spec whose run_view replays this session: the actions as added faults and drops.
    ViewRunSpec as_spec() const;

private:
    ViewRunSpec spec_;
    ViewRun base_;                       // spec, nemesis and schedule of the run being advanced
    std::unique_ptr<World> world_;
    faults::FaultSchedule actions_;
    std::vector<std::pair<Instant, MessageId>> drops_;
};

}  // namespace faultline::view
