// Queries the timeline asks every frame: level of detail, the axis, filters and causality.
// Method: the viewer tests' workload (tests/visualizer/view_workload.h: a 10 s Raft run under a
// nemesis of every kind) and a long 200 s run;
// each query is compared with an obviously correct slow version (CONTRIBUTING.md rule 15).
#include "visualizer/svg_export.h"
#include "visualizer/view_queries.h"
#include "visualizer/view_run.h"
#include "tests/visualizer/view_workload.h"

#include <catch2/catch.hpp>

#include <deque>

using namespace faultline;
using namespace faultline::view;

namespace {

const ViewRun& seed1() {
    static const ViewRun run = test::must_run(test::workload_spec(1));
    return run;
}

// The dumb oracle for causal_past: a breadth-first search over the two kinds of edges.
std::vector<uint8_t> past_by_search(const RunModel& m, EventIndex e) {
    std::vector<uint8_t> mark(m.events().size(), 0);
    std::deque<EventIndex> todo{e};
    mark[e] = 1;
    while (!todo.empty()) {
        EventIndex i = todo.front();
        todo.pop_front();
        std::vector<EventIndex> preds;
        if (m.previous_on_node(i) != no_event) preds.push_back(m.previous_on_node(i));
        const TraceEvent& ev = m.event(i);
        if ((ev.kind == EventKind::deliver || ev.kind == EventKind::drop || ev.kind == EventKind::duplicate) && ev.cause != no_event)
            preds.push_back(ev.cause);
        for (EventIndex p : preds)
            if (!mark[p]) {
                mark[p] = 1;
                todo.push_back(p);
            }
    }
    return mark;
}

}  // namespace

TEST_CASE("view workload: seed 1 shows every structure the timeline draws", "[visualizer][workload]") {
    const RunModel& m = seed1().model;
    REQUIRE(m.lanes().size() == 7);
    REQUIRE(m.server_count() == 5);
    REQUIRE(m.messages().size() > 1000);
    REQUIRE(m.ops().size() > 100);
    REQUIRE_FALSE(m.faults().empty());
    REQUIRE_FALSE(seed1().planned.empty());
    bool leader = false;
    for (const Lane& l : m.lanes())
        if (const StateTrack* role = l.track("role"))
            for (const StateStep& s : role->steps) leader |= s.value == "leader";
    REQUIRE(leader);
    // Linearizability and Raft's invariants, then the checkers of weaker guarantees.
    std::vector<std::string> checkers;
    for (const VerdictMark& v : m.verdicts()) checkers.push_back(v.checker.substr(0, v.checker.find(' ')));
    REQUIRE(checkers.size() >= 2);
    REQUIRE(checkers[0] == "linearizability");
    REQUIRE(checkers[1] == "invariants");
}

TEST_CASE("view workload: the same spec gives the same run, and an added crash changes it", "[visualizer][workload]") {
    ViewRunSpec spec = test::workload_spec(1);
    ViewRun a = test::must_run(spec);
    ViewRun b = test::must_run(spec);
    REQUIRE(a.model.info().trace_hash == b.model.info().trace_hash);
    spec.edits.added.push_back({Instant::zero() + seconds(5), faults::Crash{2}});
    ViewRun c = test::must_run(spec);
    REQUIRE(c.model.info().trace_hash != a.model.info().trace_hash);
    bool crashed_at_5s = false;
    for (const FaultMark& f : c.model.faults())
        crashed_at_5s |= f.kind == EventKind::crash && f.node == 2 && f.at == Instant::zero() + seconds(5);
    REQUIRE(crashed_at_5s);
}

TEST_CASE("level of detail: lane buckets add up to the lane's events in the range", "[visualizer][lod]") {
    const RunModel& m = seed1().model;
    LodIndex lod(m);
    for (AxisMode mode : {AxisMode::true_time, AxisMode::event_order}) {
        TimeAxis axis(m, mode);
        double a0 = axis.end() * 0.2, a1 = axis.end() * 0.7;
        for (const Lane& lane : m.lanes()) {
            auto buckets = lod.lane_buckets(m, axis, lane.node, a0, a1, 97);
            REQUIRE(buckets.size() == 97);
            std::size_t sum = 0, drops = 0;
            for (const auto& b : buckets) {
                sum += b.events;
                drops += b.drops;
                REQUIRE(b.sends <= b.events);
            }
            // The oracle: count by scanning.
            std::size_t expected = 0, expected_drops = 0;
            for (EventIndex e : lane.events) {
                double a = axis.of_event(e);
                if (a >= a0 && a < a1) {
                    ++expected;
                    expected_drops += m.event(e).kind == EventKind::drop;
                }
            }
            REQUIRE(sum == expected);
            REQUIRE(drops == expected_drops);
        }
    }
}

TEST_CASE("level of detail: operation buckets count each client's operations by outcome", "[visualizer][lod]") {
    const RunModel& m = seed1().model;
    LodIndex lod(m);
    TimeAxis axis(m, AxisMode::true_time);
    for (const Lane& lane : m.lanes()) {
        auto buckets = lod.op_buckets(m, axis, lane.node, 0, axis.end(), 50);
        std::size_t total = 0, info = 0;
        for (const auto& b : buckets) {
            total += b.total();
            info += b.info;
        }
        std::size_t expected = 0, expected_info = 0;
        for (const ClientOp& op : m.ops()) {
            if (op.client != lane.node) continue;
            ++expected;
            expected_info += op.outcome == ClientOutcome::info;
        }
        REQUIRE(total == expected);
        REQUIRE(info == expected_info);
        REQUIRE(lane.is_client == (expected > 0));
    }
}

TEST_CASE("level of detail: a whole 200 s run is aggregated, a 50 ms window is not", "[visualizer][lod]") {
    ViewRun run = test::must_run(test::workload_spec(1, 200'000));
    const RunModel& m = run.model;
    REQUIRE(m.events().size() > 150'000);
    VisibleMessages all = visible_messages(m, m.begin(), m.end(), 4000);
    REQUIRE(all.aggregated);
    REQUIRE(all.items.empty());
    REQUIRE(all.total > 4000);
    Instant mid = Instant::zero() + seconds(100);
    VisibleMessages narrow = visible_messages(m, mid, mid + milliseconds(50), 4000);
    REQUIRE_FALSE(narrow.aggregated);
    REQUIRE_FALSE(narrow.items.empty());
    for (uint32_t i : narrow.items) {
        REQUIRE(m.messages()[i].ended_at >= mid);
        REQUIRE(m.messages()[i].sent_at <= mid + milliseconds(50));
    }
    // Bucket count is bounded by the pixel columns asked for, whatever the event count.
    LodIndex lod(m);
    TimeAxis axis(m, AxisMode::true_time);
    REQUIRE(lod.lane_buckets(m, axis, 0, 0, axis.end(), 1200).size() == 1200);
}

TEST_CASE("time axis: event order maps events to their index and back to their time", "[visualizer][axis]") {
    const RunModel& m = seed1().model;
    TimeAxis axis(m, AxisMode::event_order);
    for (EventIndex e : {EventIndex{0}, EventIndex{100}, EventIndex{m.events().size() - 1}}) {
        REQUIRE(axis.of_event(e) == static_cast<double>(e));
        REQUIRE(axis.time_of(axis.of_event(e)) == m.event(e).time);
    }
    // Monotone in time.
    double prev = -1;
    for (int k = 0; k <= 100; ++k) {
        double a = axis.of_time(Instant::zero() + (m.end() - Instant::zero()) * k / 100);
        REQUIRE(a >= prev);
        prev = a;
    }
    TimeAxis truth(m, AxisMode::true_time);
    REQUIRE(truth.time_of(truth.of_time(Instant::from_ns(123456789))) == Instant::from_ns(123456789));
}

TEST_CASE("causality: the one-sweep causal past equals a breadth-first search", "[visualizer][causality]") {
    const RunModel& m = seed1().model;
    for (const ClientOp& op : {m.ops()[3], m.ops()[m.ops().size() / 2], m.ops().back()}) {
        EventIndex e = op.complete != no_event ? op.complete : op.invoke;
        auto fast = causal_past(m, e);
        REQUIRE(fast == past_by_search(m, e));
        // The operation's own invocation is in the past of its completion.
        REQUIRE(fast[op.invoke] == 1);
        // Nothing after e is in its past.
        for (EventIndex i = e + 1; i < m.events().size(); ++i) REQUIRE(fast[i] == 0);
    }
}

TEST_CASE("causality: the future of a send holds its delivery, and the past of a delivery holds its send", "[visualizer][causality]") {
    const RunModel& m = seed1().model;
    const Message* delivered = nullptr;
    for (const Message& msg : m.messages())
        if (msg.fate == MessageFate::delivered) {
            delivered = &msg;
            break;
        }
    REQUIRE(delivered != nullptr);
    REQUIRE(causal_future(m, delivered->send)[delivered->end] == 1);
    REQUIRE(causal_past(m, delivered->end)[delivered->send] == 1);
    // e is in the future of f iff f is in the past of e (checked on a sample).
    EventIndex e = delivered->end + 50;
    auto past = causal_past(m, e);
    for (EventIndex f = delivered->send; f < e; f += 7) REQUIRE(causal_future(m, f)[e] == past[f]);
}

TEST_CASE("filters: node, kind, message type and text select exactly the matching events", "[visualizer][filter]") {
    const RunModel& m = seed1().model;
    EventFilter f;
    f.nodes.assign(m.lanes().size(), 0);
    f.nodes[1] = 1;
    f.kinds = EventFilter::bit(EventKind::send);
    for (EventIndex i : filter_events(m, f)) {
        REQUIRE(m.event(i).node == 1);
        REQUIRE(m.event(i).kind == EventKind::send);
    }
    EventFilter by_type;
    by_type.message_type = m.message_types().front();
    auto typed = filter_events(m, by_type);
    REQUIRE_FALSE(typed.empty());
    for (EventIndex i : typed) REQUIRE(m.event(i).name == by_type.message_type);
    EventFilter text;
    text.text = "LEADER";  // case-insensitive
    auto leaders = filter_events(m, text);
    REQUIRE_FALSE(leaders.empty());
    for (EventIndex i : leaders) REQUIRE(m.event(i).text.find("leader") != std::string::npos);
}

TEST_CASE("svg export: the diagram has a lane per node, arrows, drops and a legend", "[visualizer][svg]") {
    const RunModel& m = seed1().model;
    SvgOptions o;
    o.from = Instant::zero() + seconds(4);
    o.to = Instant::zero() + milliseconds(4600);
    std::string svg = render_svg(m, o);
    auto count = [&](std::string_view needle) {
        std::size_t n = 0;
        for (std::size_t p = svg.find(needle); p != std::string::npos; p = svg.find(needle, p + 1)) ++n;
        return n;
    };
    REQUIRE(svg.rfind("<svg ", 0) == 0);
    REQUIRE(count("</svg>") == 1);
    REQUIRE(count("class=\"lane\"") == m.lanes().size());
    REQUIRE(count("class=\"msg\"") > 10);
    REQUIRE(count("marker-end=") > 10);
    REQUIRE(count("class=\"op\"") > 5);
    for (uint32_t type : m.message_types()) REQUIRE(count(">" + m.name(type) + "</text>") == 1);
    // The whole run has more arrows than the budget: densities instead.
    SvgOptions whole;
    whole.message_budget = 100;
    std::string dense = render_svg(m, whole);
    REQUIRE(dense.find("data-aggregated=\"true\"") != std::string::npos);
    REQUIRE(dense.find("class=\"density\"") != std::string::npos);
    REQUIRE(dense.find("class=\"msg\"") == std::string::npos);
}

TEST_CASE("svg export: a run with a partition, a crash and a drop draws all three", "[visualizer][svg]") {
    const RunModel& m = seed1().model;
    std::string svg = render_svg(m);
    // The whole run is aggregated at the default budget, but lanes, marks and shading remain.
    if (!m.partitions().empty()) REQUIRE(svg.find("class=\"partition\"") != std::string::npos);
    bool crashed = false;
    for (const Lane& l : m.lanes()) crashed |= !l.down.empty();
    if (crashed) {
        REQUIRE(svg.find("class=\"down\"") != std::string::npos);
        REQUIRE(svg.find("class=\"crash\"") != std::string::npos);
    }
    // Zoom to the first drop: it is drawn as a cross.
    for (const Message& msg : m.messages()) {
        if (msg.fate != MessageFate::dropped) continue;
        SvgOptions o;
        o.from = msg.sent_at - milliseconds(20);
        o.to = msg.ended_at + milliseconds(20);
        REQUIRE(render_svg(m, o).find("class=\"drop\"") != std::string::npos);
        break;
    }
}

TEST_CASE("view: the operation under the cursor is the one in flight, not one that just completed", "[view]") {
    const RunModel& m = seed1().model;
    const std::vector<ClientOp>& ops = m.ops();
    REQUIRE(ops.size() > 10);
    auto in_flight = [&](std::size_t i, Instant t) { return ops[i].begin <= t && t < ops[i].end; };
    // Every instant an operation completes: where the old rule (first op with begin <= t <= end)
    // could pick the finished one while another is in flight.
    std::size_t handoffs = 0;
    for (const ClientOp& done : ops) {
        if (done.complete == no_event) continue;
        const Instant t = done.end;
        bool any_in_flight = false;
        for (std::size_t i = 0; i < ops.size(); ++i) any_in_flight = any_in_flight || in_flight(i, t);
        const std::optional<std::size_t> got = op_at(m, t);
        REQUIRE(got.has_value());
        if (any_in_flight) {
            CHECK(in_flight(*got, t));
            bool earlier_finished = false;
            for (std::size_t i = 0; i < *got; ++i) earlier_finished = earlier_finished || (ops[i].begin <= t && ops[i].end == t);
            handoffs += earlier_finished ? 1 : 0;
        } else {
            CHECK(ops[*got].end == t);
        }
    }
    // The workload has such instants, so this test would catch the old rule.
    CHECK(handoffs > 0);
    Instant first = ops.front().begin;
    for (const ClientOp& op : ops) first = std::min(first, op.begin);
    CHECK_FALSE(op_at(m, first - nanoseconds(1)).has_value());
}
