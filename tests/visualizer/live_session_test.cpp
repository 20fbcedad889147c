// Live mode: a run advanced step by step with faults applied by hand while it is paused.
// Method: two sessions of the same seed given the same actions at the same virtual times must
// hash the same, a different action time must not; the session's spec, re-run from the start,
// must be the same run (first_divergence, which leaves out the plan notes, finds no difference);
// and the live faults must show in the model (a crash, a manual drop).
#include "visualizer/live_session.h"
#include "visualizer/view_queries.h"
#include "tests/visualizer/view_workload.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::view;

namespace {

ViewRunSpec live_spec() { return test::workload_spec(5, 3'000, /*nemesis=*/false); }

// Steps in 10 ms frames as the GUI does, and acts at `crash_at`: crash n2, isolate n5, then drop the
// first message seen in flight; 400 ms later restart n2, heal and set n3's clock back 120 ms.
LiveSession drive(Instant crash_at) {
    LiveSession live(live_spec());
    Instant restart_at = crash_at + milliseconds(400);
    bool crashed = false, restarted = false;
    while (!live.finished()) {
        Instant next = live.now() + milliseconds(10);
        if (!crashed && next >= crash_at) {
            live.advance_to(crash_at);
            live.apply(faults::Crash{1});
            live.apply(faults::PartitionNetwork{Partition::isolate(live.world().node_count(), 4)});
            // Then, a little later, the first message seen in flight is dropped by hand.
            for (int step = 0; step < 1000 && live.in_flight().empty(); ++step) live.advance_to(live.now() + microseconds(100));
            REQUIRE_FALSE(live.in_flight().empty());
            REQUIRE(live.drop(live.in_flight().front().id));
            crashed = true;
            continue;
        }
        if (crashed && !restarted && next >= restart_at) {
            live.advance_to(restart_at);
            live.apply(faults::Restart{1});
            live.apply(faults::Heal{});
            live.apply(faults::ClockJump{2, milliseconds(-120)});
            restarted = true;
            continue;
        }
        live.advance_to(next);
    }
    return live;
}

}  // namespace

TEST_CASE("live: the same actions at the same virtual times give the same run", "[visualizer][live]") {
    Instant at = Instant::zero() + microseconds(1'234'567);
    LiveSession a = drive(at);
    LiveSession b = drive(at);
    REQUIRE(a.actions().size() == 5);
    REQUIRE(a.trace_hash() == b.trace_hash());
    // Acting a millisecond later is another run.
    LiveSession c = drive(at + milliseconds(1));
    REQUIRE(c.trace_hash() != a.trace_hash());
}

TEST_CASE("live: the live actions change the run, and show in its model", "[visualizer][live]") {
    Instant at = Instant::zero() + microseconds(1'234'567);
    LiveSession live = drive(at);
    ViewRun quiet = test::must_run(live_spec());
    REQUIRE(live.trace_hash() != quiet.model.info().trace_hash);
    ViewRun shown = live.snapshot();
    const RunModel& m = shown.model;
    REQUIRE(m.lane(1).is_down(at + milliseconds(100)));
    REQUIRE_FALSE(m.lane(1).is_down(at + milliseconds(500)));
    REQUIRE(m.partition_at(at + milliseconds(100)) != nullptr);
    bool manual_drop = false;
    for (const Message& msg : m.messages()) manual_drop |= msg.fate == MessageFate::dropped && msg.reason == DropReason::manual;
    REQUIRE(manual_drop);
    REQUIRE(m.lane(2).clock_offset_ns(at + milliseconds(500)) < m.lane(2).clock_offset_ns(at));
}

TEST_CASE("live: the session's spec replays it from the start, event for event", "[visualizer][live]") {
    LiveSession live = drive(Instant::zero() + microseconds(1'234'567));
    ViewRunSpec spec = live.as_spec();
    REQUIRE(spec.edits.added.size() == 5);
    REQUIRE(spec.edits.dropped_messages.size() == 1);
    ViewRun replayed = test::must_run(spec);
    Divergence d = first_divergence(live.snapshot().model, replayed.model);
    INFO(d.summary);
    REQUIRE(d.identical);
    REQUIRE(live.trace_hash() == replayed.model.info().trace_hash);  // no plan notes: the same trace
}

TEST_CASE("live: a snapshot part-way shows the run so far", "[visualizer][live]") {
    LiveSession live(live_spec());
    live.advance_to(Instant::zero() + milliseconds(800));
    ViewRun so_far = live.snapshot();
    REQUIRE(so_far.model.end() == Instant::zero() + milliseconds(800));
    REQUIRE_FALSE(so_far.model.events().empty());
    REQUIRE(so_far.model.events().back().time <= Instant::zero() + milliseconds(800));
    // Time does not go back.
    live.advance_to(Instant::zero() + milliseconds(100));
    REQUIRE(live.now() == Instant::zero() + milliseconds(800));
}
