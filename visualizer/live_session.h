// LiveSession: a run advanced step by step, with faults applied by hand at the moment it is paused.
//
// The viewer's live mode: start any scenario's run (runner::SystemSession), advance it (play, or
// step), and at the current virtual time crash or restart a node, partition the cluster, skew a
// clock or drop a message in flight; then go on. Each action is applied at now() and recorded
// with that time, so
// - the same actions at the same virtual times give the same run (the same trace hash): the
//   session is a pure function of (spec, actions), like any run;
// - as_spec() turns the actions into the spec's edits (added faults, dropped messages):
//   run_view(as_spec()) replays the live run from the start, event for event, and checks it.
// The GUI still holds no truth: what it draws is snapshot(), the model of the trace so far.
#pragma once

#include "runner/session.h"
#include "visualizer/view_run.h"

#include <memory>
#include <vector>

namespace faultline::view {

class LiveSession {
public:
    // The spec must parse and name a system of its scenario (run_view said so for the run shown).
    explicit LiveSession(const ViewRunSpec& spec);

    Instant now() const { return session_->now(); }
    Instant end() const { return session_->end(); }
    bool finished() const { return session_->finished(); }
    // Runs up to `t` (at most to the end of the run). Time never goes back.
    void advance_to(Instant t) { session_->advance_to(t); }

    // Applies a fault now and records it (a Crash of a node already down is the kernel's to refuse:
    // an assertion, so the caller checks world().is_up first).
    void apply(const faults::Fault& fault);
    // A fault at `f.at`: applied now if that is now, else queued for then (e.g. the heal of a
    // partition "for 400 ms"); recorded either way. Not in the past.
    void schedule(const faults::ScheduledFault& f);
    // Drops a message now in flight; false (and nothing recorded) if it is not in flight.
    bool drop(MessageId id);
    std::vector<InFlightMessage> in_flight() const { return session_->in_flight(); }
    const World& world() const { return session_->world(); }

    const faults::FaultSchedule& actions() const { return actions_; }
    uint64_t trace_hash() const;
    // The model of the run so far (no checks yet: they run on the finished run).
    ViewRun snapshot() const;
    // The spec whose run_view replays this session: the actions as added faults and drops.
    ViewRunSpec as_spec() const;

private:
    ViewRunSpec spec_;
    scenario::Scenario scenario_;  // the session refers to it
    std::unique_ptr<runner::SystemSession> session_;
    faults::FaultSchedule actions_;
    std::vector<std::pair<Instant, MessageId>> drops_;
};

}  // namespace faultline::view
