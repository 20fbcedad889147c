// SystemSession: a run in progress. Method: run one scenario system at once (run_scenario) and
// again in uneven steps; both must end in the same trace. Then act on a session live (a crash, a
// partition, a dropped message) and replay those actions as RunEdits from the start: the same
// trace again. Finally, an edit that removes a planned fault changes the run.
#include "tests/runner/scenario_support.h"

#include "runner/session.h"
#include "sim/world.h"

using namespace faultline;

namespace {

scenario::Scenario nemesis_scenario() { return test::load_scenario("scenarios/raft/nemesis.toml"); }

runner::RunOptions full(uint64_t seed) {
    runner::RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    return o;
}

}  // namespace

TEST_CASE("session: advancing in steps gives run_scenario's trace", "[runner][session]") {
    const scenario::Scenario s = nemesis_scenario();
    const runner::RunOutcome whole = runner::run_scenario(s, full(3));
    runner::SystemSession session(s, s.systems[0], full(3));
    for (Instant t = Instant::zero(); !session.finished(); t = t + milliseconds(137)) session.advance_to(t);
    const runner::SystemOutcome stepped = session.finish();
    REQUIRE(stepped.trace_hash == whole.systems[0].trace_hash);
    REQUIRE(stepped.event_count == whole.systems[0].event_count);
    REQUIRE(stepped.expectations_met == whole.systems[0].expectations_met);
    REQUIRE(stepped.planned.size() == whole.systems[0].planned.size());
    REQUIRE_FALSE(stepped.planned.empty());  // the nemesis planned something to edit
}

TEST_CASE("session: live actions replay as edits of the same run", "[runner][session]") {
    const scenario::Scenario s = nemesis_scenario();
    runner::SystemSession live(s, s.systems[0], full(4));
    live.advance_to(Instant::zero() + milliseconds(1'500));
    const NodeId n2 = *live.world().find_node("n2");
    const bool crashed = live.world().is_up(n2);  // the nemesis may have crashed it already
    if (crashed) live.apply(faults::Crash{n2});
    live.advance_to(Instant::zero() + milliseconds(1'700));
    live.schedule({live.now() + milliseconds(50), faults::Heal{}});
    std::optional<std::pair<Instant, MessageId>> dropped;
    for (int i = 0; i < 50 && !dropped; ++i) {
        live.advance_to(live.now() + milliseconds(1));
        for (const InFlightMessage& m : live.in_flight())
            if (live.drop(m.id)) {
                dropped = {live.now(), m.id};
                break;
            }
    }
    REQUIRE(dropped.has_value());
    live.run_to_end();
    const runner::SystemOutcome a = live.finish();

    // The same actions at the same times, as edits of the run from its start.
    runner::RunOptions edited = full(4);
    if (crashed) edited.edits.added.push_back({Instant::zero() + milliseconds(1'500), faults::Crash{n2}});
    edited.edits.added.push_back({Instant::zero() + milliseconds(1'750), faults::Heal{}});
    edited.edits.dropped_messages.push_back(*dropped);
    const runner::SystemOutcome b = runner::run_system(s, s.systems[0], edited);
    REQUIRE(b.trace_hash == a.trace_hash);
}

TEST_CASE("session: removing a planned fault changes the run, removing none does not", "[runner][session]") {
    const scenario::Scenario s = nemesis_scenario();
    const runner::SystemOutcome base = runner::run_system(s, s.systems[0], full(5));
    runner::RunOptions none = full(5);
    none.edits.removed = {};
    REQUIRE(runner::run_system(s, s.systems[0], none).trace_hash == base.trace_hash);
    runner::RunOptions fewer = full(5);
    fewer.edits.removed = {0};
    const runner::SystemOutcome edited = runner::run_system(s, s.systems[0], fewer);
    REQUIRE(edited.trace_hash != base.trace_hash);
    REQUIRE(edited.faults.size() == base.faults.size() - 1);
}
