// Queries over a RunModel that every view asks each frame: where a time or an event sits on the
// horizontal axis, what is visible and how dense it is (level of detail), which events pass the
// event list's filters, and what lies in an event's causal past or future.
//
// What they guarantee
// - Pure functions of the model and their arguments: a frame is drawn from the run record and
//   the cursor (CONTRIBUTING.md rule 5). Caches (TimeAxis, LodIndex) are derived once per model.
// - Cost per frame does not grow with the run: axis and bucket queries are binary searches,
//   O(columns · log n) per lane; visible_messages scans only messages sent in the visible window
//   and gives up (aggregated = true) past its budget instead of returning a million arrows.
// - Causality is Lamport's happened-before: program order on each node (drops excluded: the node
//   never saw them) plus send -> delivery/drop/duplicate. Both links point backwards in the trace,
//   so one sweep decides each query in O(n).
#pragma once

#include "visualizer/run_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline::view {

// [axis] True time; "compress idle time": every event one unit apart, in trace order, so a
// quiet second and a busy microsecond get the space their events need; or Lamport time: each
// event at its Lamport timestamp, so causally ordered events run left to right whatever the true
// time between them. A true time maps onto the Lamport axis through the largest Lamport
// timestamp reached by then (monotone, so the cursor and ruler still work).
enum class AxisMode : uint8_t { true_time, event_order, lamport };

class TimeAxis {
public:
    TimeAxis() = default;
    TimeAxis(const RunModel& model, AxisMode mode);
    AxisMode mode() const { return mode_; }
    // Axis units: nanoseconds of true time, or event positions.
    double of_time(Instant t) const;
    double of_event(EventIndex e) const;
    Instant time_of(double axis) const;
    double begin() const { return 0; }
    double end() const;
    // The first event index at or after axis position a (for event-order lookups).
    EventIndex first_event_at_or_after(double a) const;

private:
    AxisMode mode_ = AxisMode::true_time;
    // The axis position of event k's time slot: k (event order) or the largest Lamport timestamp
    // among events 0..k (Lamport); both non-decreasing in k.
    double slot(std::size_t k) const;
    std::vector<int64_t> times_ns_;   // every event's true time
    std::vector<uint64_t> lamport_;           // Lamport mode: every event's Lamport timestamp
    std::vector<uint64_t> lamport_prefix_max_; // Lamport mode: max of lamport_[0..k]
    int64_t end_ns_ = 0;
};

// [level of detail] Counts of one lane's events in equal slices of the visible axis range.
struct LaneBucket {
    uint32_t events = 0;
    uint32_t sends = 0;
    uint32_t drops = 0;
    uint32_t faults = 0;
};

class LodIndex {
public:
    LodIndex() = default;
    explicit LodIndex(const RunModel& model);
    // Splits [a0, a1) into `columns` slices; bucket c counts the lane's events whose axis position
    // falls in slice c. The sum over buckets equals the lane's events in [a0, a1).
    std::vector<LaneBucket> lane_buckets(const RunModel& model, const TimeAxis& axis, NodeId lane, double a0,
                                         double a1, int columns) const;
    // Positions [lo, hi) in lane.events of the events whose axis position is in [a0, a1).
    std::pair<std::size_t, std::size_t> lane_range(const RunModel& model, const TimeAxis& axis, NodeId lane,
                                                   double a0, double a1) const;

    // A client lane's operations by invocation, and their outcomes counted in axis slices: bucket
    // c counts the operations invoked in slice c. The sum equals op_range's size.
    struct OpBucket {
        uint32_t ok = 0, fail = 0, info = 0, running = 0;
        uint32_t total() const { return ok + fail + info + running; }
    };
    const std::vector<uint32_t>& client_ops(NodeId lane) const { return client_ops_.at(lane); }
    std::pair<std::size_t, std::size_t> op_range(const RunModel& model, const TimeAxis& axis, NodeId lane, double a0,
                                                 double a1) const;
    std::vector<OpBucket> op_buckets(const RunModel& model, const TimeAxis& axis, NodeId lane, double a0, double a1,
                                     int columns) const;

private:
    // Per lane, the running maximum of its events' Lamport timestamps (for Lamport-axis ranges).
    std::vector<std::vector<uint64_t>> lamport_max_;
    // Per lane, prefix counts over lane.events: how many sends / drops / faults precede position k.
    std::vector<std::vector<uint32_t>> sends_, drops_, faults_;
    // Per lane, its operations (indices into model.ops()) and prefix counts of their outcomes.
    std::vector<std::vector<uint32_t>> client_ops_;
    std::vector<std::vector<OpBucket>> op_prefix_;
};

struct VisibleMessages {
    std::vector<uint32_t> items;  // indices into model.messages(), in send order
    std::size_t total = 0;        // messages crossing the window (an upper bound when aggregated)
    bool aggregated = false;      // more than the budget: draw densities, not arrows
};
// Messages whose flight [sent_at, ended_at] meets [t0, t1].
VisibleMessages visible_messages(const RunModel& model, Instant t0, Instant t1, std::size_t budget);

// [filters] The event list's filters; an empty or default field does not filter.
struct EventFilter {
    std::vector<uint8_t> nodes;          // by NodeId, 1 = shown; empty = every node
    uint64_t kinds = ~uint64_t{0};       // bit per EventKind
    uint32_t message_type = 0;           // interned type name, 0 = any
    std::string text;                    // case-insensitive substring of text, name, kind or node
    bool only_node_events = false;       // hide events without a node (notes, partitions)
    static uint64_t bit(EventKind k) { return uint64_t{1} << static_cast<int>(k); }
    // Timer and fiber bookkeeping: useful in a trace, noise in a first look.
    static uint64_t quiet_kinds();
};
bool passes(const RunModel& model, const EventFilter& filter, const TraceEvent& e);
std::vector<EventIndex> filter_events(const RunModel& model, const EventFilter& filter);

// [comparison] Where two runs first differ: walking both traces in order, notes left out (they
// describe a run, e.g. its fault plan, rather than happen in it), the first pair of events whose
// time, kind, node, peer, reason, name or text differ, or where one run ends while the other goes
// on. `identical` when neither differs nor is longer. Names are compared as strings: each model
// interns its own.
struct Divergence {
    bool identical = true;
    EventIndex index = no_event;        // the first differing event in the first run (may be its size)
    EventIndex other_index = no_event;  // the same place in the second run
    Instant at;                         // the earlier of the two events' times there
    std::string summary;                // e.g. "#1234: deliver vote on n2 ... vs #1236: drop vote on n2 ..."
};
Divergence first_divergence(const RunModel& a, const RunModel& b);

// [operations] The client operation under a cursor at `t`, for `view --at`: the first (in trace
// order) that is in flight at t (begun, not yet complete); failing that, the first that completes
// exactly at t. So at the instant one operation completes and the next begins, the one in flight
// is chosen, not the one that is over. nullopt when no operation spans t.
std::optional<std::size_t> op_at(const RunModel& model, Instant t);

// [causality] marks[i] == 1 iff event i is in the causal past (future) of `e`; e itself is marked.
std::vector<uint8_t> causal_past(const RunModel& model, EventIndex e);
std::vector<uint8_t> causal_future(const RunModel& model, EventIndex e);

}  // namespace faultline::view
