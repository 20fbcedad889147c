// Two runs compared (first divergence) and the Lamport-time axis.
// Method: the viewer tests' workload (tests/visualizer/view_workload.h). Divergence is checked against a dumb scan of the two event
// lists; the Lamport axis against the events' own timestamps and Lamport's clock condition (a
// send lies left of its delivery), and its level-of-detail ranges against a scan.
#include "visualizer/view_queries.h"
#include "visualizer/view_run.h"
#include "tests/visualizer/view_workload.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>

using namespace faultline;
using namespace faultline::view;

namespace {

const ViewRun& run_of(uint64_t seed, bool crash_n1 = false) {
    static std::map<std::pair<uint64_t, bool>, ViewRun> runs;
    auto key = std::make_pair(seed, crash_n1);
    auto it = runs.find(key);
    if (it != runs.end()) return it->second;
    ViewRunSpec spec = test::workload_spec(seed, 4'000);
    if (crash_n1) spec.edits.added.push_back({Instant::zero() + milliseconds(2500), faults::Crash{0}});
    return runs.emplace(key, test::must_run(spec)).first->second;
}

}  // namespace

TEST_CASE("compare: a run against itself is identical", "[visualizer][compare]") {
    Divergence d = first_divergence(run_of(1).model, run_of(1).model);
    REQUIRE(d.identical);
    REQUIRE(d.index == no_event);
}

TEST_CASE("compare: a crash added at 2.5 s diverges at the crash, not before", "[visualizer][compare]") {
    const RunModel& a = run_of(1).model;
    const RunModel& b = run_of(1, true).model;
    Divergence d = first_divergence(a, b);
    REQUIRE_FALSE(d.identical);
    // The same seed: everything before the added fault is the same run.
    REQUIRE(d.at == Instant::zero() + milliseconds(2500));
    REQUIRE(b.event(d.other_index).kind == EventKind::crash);
    // The dumb oracle: with the notes (the fault plan) left out, the events before agree.
    std::vector<EventIndex> ea, eb;
    for (const TraceEvent& e : a.events()) if (e.kind != EventKind::note && e.index < d.index) ea.push_back(e.index);
    for (const TraceEvent& e : b.events()) if (e.kind != EventKind::note && e.index < d.other_index) eb.push_back(e.index);
    REQUIRE(ea.size() == eb.size());
    for (std::size_t k = 0; k < ea.size(); ++k) {
        REQUIRE(a.event(ea[k]).time == b.event(eb[k]).time);
        REQUIRE(a.event(ea[k]).kind == b.event(eb[k]).kind);
        REQUIRE(a.event(ea[k]).node == b.event(eb[k]).node);
    }
    REQUIRE(d.summary.find("crash") != std::string::npos);
    // Symmetric.
    Divergence back = first_divergence(b, a);
    REQUIRE(back.index == d.other_index);
    REQUIRE(back.other_index == d.index);
    REQUIRE(back.at == d.at);
}

TEST_CASE("compare: two seeds diverge early and say where", "[visualizer][compare]") {
    Divergence d = first_divergence(run_of(1).model, run_of(2).model);
    REQUIRE_FALSE(d.identical);
    REQUIRE(d.index < run_of(1).model.events().size());
    REQUIRE(d.summary.rfind(fmt::format("#{}:", d.index), 0) == 0);
}

TEST_CASE("lamport axis: events sit at their Lamport time, a send left of its delivery", "[visualizer][lamport]") {
    const RunModel& m = run_of(1).model;
    TimeAxis axis(m, AxisMode::lamport);
    REQUIRE(axis.mode() == AxisMode::lamport);
    uint64_t max_lamport = 0;
    for (const TraceEvent& e : m.events()) {
        REQUIRE(axis.of_event(e.index) == static_cast<double>(e.lamport));
        max_lamport = std::max(max_lamport, e.lamport);
    }
    REQUIRE(axis.end() == static_cast<double>(max_lamport) + 1);
    // Lamport's clock condition: a -> b implies L(a) < L(b).
    for (const Message& msg : m.messages())
        if (msg.fate == MessageFate::delivered) REQUIRE(axis.of_event(msg.send) < axis.of_event(msg.end));
    // Along a lane, Lamport time never goes back.
    for (const Lane& lane : m.lanes())
        for (std::size_t k = 1; k < lane.events.size(); ++k)
            if (m.event(lane.events[k]).kind != EventKind::drop && m.event(lane.events[k - 1]).kind != EventKind::drop)
                REQUIRE(axis.of_event(lane.events[k - 1]) <= axis.of_event(lane.events[k]));
}

TEST_CASE("lamport axis: true time maps monotonically onto it and back", "[visualizer][lamport]") {
    const RunModel& m = run_of(1).model;
    TimeAxis axis(m, AxisMode::lamport);
    double prev = -1;
    for (int64_t ms = 0; ms <= 4000; ms += 50) {
        Instant t = Instant::zero() + milliseconds(ms);
        double a = axis.of_time(t);
        REQUIRE(a >= prev);
        prev = a;
        // time_of is a left inverse up to the events sharing one Lamport value.
        Instant back = axis.time_of(a);
        REQUIRE(axis.of_time(back) == Approx(a).margin(1.0));
    }
    REQUIRE(axis.time_of(axis.end()) <= m.end());
}

TEST_CASE("lamport axis: lane ranges and buckets count what a scan counts", "[visualizer][lamport][lod]") {
    const RunModel& m = run_of(1).model;
    TimeAxis axis(m, AxisMode::lamport);
    LodIndex lod(m);
    double a0 = axis.end() * 0.3, a1 = axis.end() * 0.6;
    for (const Lane& lane : m.lanes()) {
        auto [lo, hi] = lod.lane_range(m, axis, lane.node, a0, a1);
        // The scan, over the lane's running maximum (exactly what ticks on the lane show).
        std::size_t expected = 0;
        uint64_t running = 0;
        for (EventIndex e : lane.events) {
            running = std::max(running, m.event(e).lamport);
            expected += static_cast<double>(running) >= a0 && static_cast<double>(running) < a1;
        }
        REQUIRE(hi - lo == expected);
        uint32_t sum = 0;
        for (const LaneBucket& b : lod.lane_buckets(m, axis, lane.node, a0, a1, 97)) sum += b.events;
        REQUIRE(sum == expected);
    }
}
