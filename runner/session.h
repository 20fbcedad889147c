// SystemSession: one system of a scenario as a run in progress. The world is built and its faults
// queued at construction; the caller advances it (all at once for run_scenario, step by step for
// the viewer's live mode, acting on it in between), then finishes it: the checks run on the world
// as it is and give the SystemOutcome.
//
// What it guarantees
// - Advancing to end() and finishing gives exactly run_scenario's outcome for that system (the
//   same trace, event for event), whatever steps the advance took.
// - No failed FL_ASSERT or CHECKER_ASSERT and no exception escapes: the first one ends the
//   session (finished(), error()), and finish() reports it as SystemOutcome::error with the trace
//   and history up to it.
// - Live actions (apply, schedule, drop) happen at now() and are recorded among the outcome's
//   faults; RunEdits with the same actions at the same times replay the session's run.
//
// Who owns what: the session owns its World, the protocol's built system and the client history.
// world() is valid until the session is destroyed. Use a session from one thread.
#pragma once

#include "runner/run.h"
#include "sim/world.h"

#include <memory>

namespace faultline::runner {

class SystemSession {
public:
    SystemSession(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& options);
    ~SystemSession();
    SystemSession(const SystemSession&) = delete;
    SystemSession& operator=(const SystemSession&) = delete;

    const World& world() const;
    Instant now() const;
    Instant end() const;     // where run_scenario stops: the scenario's end, the liveness phase's, or `until`
    bool finished() const;   // at the end, or stopped by an error
    const std::optional<RunError>& error() const;
    // The scenario's faults (scripted and the nemesis's, in time order), before the edits.
    const faults::FaultSchedule& planned() const;

    // Runs up to min(t, end()); time never goes back.
    void advance_to(Instant t);
    void run_to_end() { advance_to(end()); }

    // A live fault now. Not after the end; the kernel's own rules hold (a crashed node is not
    // crashed again: check world().is_up first).
    void apply(const faults::Fault& f);
    // A live fault at f.at >= now(): applied now if that is now, else queued.
    void schedule(const faults::ScheduledFault& f);
    // Drops a message in flight now; false (nothing recorded) if it is not in flight.
    bool drop(MessageId id);
    std::vector<InFlightMessage> in_flight() const;

    // Checks the run as it is and returns its outcome. Once.
    SystemOutcome finish();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace faultline::runner
