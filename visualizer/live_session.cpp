#include "visualizer/live_session.h"

#include "sim/assert.h"

#include <algorithm>

namespace faultline::view {

LiveSession::LiveSession(const ViewRunSpec& spec) : spec_(spec) {
    FL_ASSERT(spec.duration > Duration::zero(), "a live run of no time");
    world_ = make_view_world(spec_, base_);
    FL_ASSERT(world_ != nullptr, "make_view_world returned no world");
}

void LiveSession::advance_to(Instant t) {
    FL_ASSERT(t >= Instant::zero(), "advance to a time before the run");
    Instant until = std::min(t, end());
    if (until <= now()) return;
    world_->run_until(until);
    FL_ASSERT(world_->now() <= end(), "the world ran past the end of the live run");
}

void LiveSession::apply(const faults::Fault& fault) {
    FL_ASSERT(!finished(), "a live action after the run ended ({}): nothing would happen", to_string(end()));
    FL_ASSERT(actions_.size() < 10'000, "more than 10,000 live actions: a script, not a person");
    faults::apply(*world_, fault);
    actions_.push_back({now(), fault});
}

void LiveSession::schedule(const faults::ScheduledFault& f) {
    FL_ASSERT(f.at >= now(), "a live fault in the past ({} < now {})", to_string(f.at), to_string(now()));
    if (f.at == now()) {
        apply(f.fault);
        return;
    }
    FL_ASSERT(actions_.size() < 10'000, "more than 10,000 live actions: a script, not a person");
    faults::schedule(*world_, {f});
    actions_.push_back(f);
}

bool LiveSession::drop(MessageId id) {
    FL_ASSERT(!finished(), "a live drop after the run ended");
    if (!world_->drop_in_flight(id)) return false;
    drops_.push_back({now(), id});
    return true;
}

ViewRun LiveSession::snapshot() const {
    ViewRun run = base_;
    run.spec = as_spec();
    run.schedule.insert(run.schedule.end(), actions_.begin(), actions_.end());
    return model_view_run(*world_, std::move(run));
}

ViewRunSpec LiveSession::as_spec() const {
    ViewRunSpec spec = spec_;
    spec.added.insert(spec.added.end(), actions_.begin(), actions_.end());
    spec.dropped_messages.insert(spec.dropped_messages.end(), drops_.begin(), drops_.end());
    return spec;
}

}  // namespace faultline::view
