#include "visualizer/live_session.h"

#include "sim/assert.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::view {

LiveSession::LiveSession(const ViewRunSpec& spec) : spec_(spec) {
    auto parsed = parse_view_scenario(spec_);
    FL_ASSERT(std::holds_alternative<scenario::Scenario>(parsed), "a live run of a scenario that does not parse: {}",
              std::get<std::string>(parsed));
    scenario_ = std::move(std::get<scenario::Scenario>(parsed));
    const scenario::System* sys = view_system(scenario_, spec_);
    FL_ASSERT(sys != nullptr, "a live run of system '{}', which scenario {} does not have", spec_.system, scenario_.name);
    // A live run advances as fast as a person steps it: it keeps every event it makes.
    runner::RunOptions options = view_run_options(spec_);
    options.trace_events_max = UINT64_MAX;
    session_ = std::make_unique<runner::SystemSession>(scenario_, *sys, options);
}

void LiveSession::apply(const faults::Fault& fault) {
    FL_ASSERT(actions_.size() < 10'000, "more than 10,000 live actions: a script, not a person");
    session_->apply(fault);
    actions_.push_back({now(), fault});
}

void LiveSession::schedule(const faults::ScheduledFault& f) {
    FL_ASSERT(actions_.size() < 10'000, "more than 10,000 live actions: a script, not a person");
    session_->schedule(f);
    actions_.push_back(f);
}

bool LiveSession::drop(MessageId id) {
    if (!session_->drop(id)) return false;
    drops_.push_back({now(), id});
    return true;
}

uint64_t LiveSession::trace_hash() const { return session_->world().trace_hash(); }

ViewRun LiveSession::snapshot() const {
    const World& w = session_->world();
    ViewRun run;
    run.spec = as_spec();
    run.title = fmt::format("{}, seed {} (live)", scenario_.name, spec_.seed);
    run.planned = session_->planned();
    RunInfo info;
    info.title = run.title;
    info.seed = spec_.seed;
    info.trace_hash = w.trace_hash();
    run.model = RunModel::build(w.trace(), w.node_names(), w.now(), info);
    return run;
}

ViewRunSpec LiveSession::as_spec() const {
    ViewRunSpec spec = spec_;
    spec.edits.added.insert(spec.edits.added.end(), actions_.begin(), actions_.end());
    spec.edits.dropped_messages.insert(spec.edits.dropped_messages.end(), drops_.begin(), drops_.end());
    return spec;
}

}  // namespace faultline::view
