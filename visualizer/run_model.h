// RunModel: a finished run, derived into what a space-time diagram draws.
//
// What it is. The trace of a run (every kernel event, in order) plus the node names, and the
// structures the viewer and the SVG export draw from, all derived once when the model is built:
// per-node lanes (up/down intervals from crash/restart, paused intervals, every state annotation
// as a step function over time, clock offset samples), messages (a send paired with its
// delivery, drop or duplicate), partition spans with their groups, client operations
// (invocation to completion) and the run's faults. Checker verdicts are attached afterwards.
//
// What it guarantees
// - Built only from the run record (CONTRIBUTING.md rule 5): nothing here is state the GUI invents.
//   The same trace gives the same model, item for item, in the same order.
// - events()[i].index == i and times never decrease (the trace's own invariant, asserted).
// - Every list is in trace order: lanes by NodeId, messages by send event (a duplicate's copy
//   right after its original), operations by invocation, partition spans and faults by time.
// - Intervals are half-open [begin, end); one still open at the end of the run ends at end().
//
// Who owns what: the model owns a copy of the events and names; everything refers to events by
// EventIndex and to nodes by NodeId, never by pointer, so the model can be moved freely.
// Queries over it (time axis, level of detail, filters, causality) live in view_queries.h.
#pragma once

#include "sim/trace.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline::view {

struct Interval {
    Instant begin;
    Instant end;
    bool open = false;   // still going when the run (so far) ended: `end` is the run's end, and counts
    bool contains(Instant t) const { return begin <= t && (t < end || (open && t == end)); }
};

// One value of a state annotation, from `at` until the next step. An empty value means unknown
// (the node crashed: its volatile state is gone until it annotates again).
struct StateStep {
    Instant at;
    EventIndex event = no_event;
    std::string value;
};

struct StateTrack {
    std::string key;          // the annotation key ("role", "term", "commit_index", ...)
    std::vector<StateStep> steps;
    // The value at time t ("" before the first step or while unknown).
    const std::string& value_at(Instant t) const;
};

// local_time - true time of one node, sampled where it can change (clock jumps and drift
// changes) and at the node's first and last events; linear in between.
struct ClockSample {
    Instant at;
    int64_t offset_ns = 0;
};

struct Lane {
    NodeId node = no_node;
    std::string name;
    bool is_client = false;                // it invoked at least one client operation
    std::vector<Interval> down;            // crash -> restart
    std::vector<Interval> paused;          // pause -> resume
    std::vector<StateTrack> tracks;        // in order of first annotation
    std::vector<ClockSample> clock;
    std::vector<EventIndex> events;        // this node's events, in trace order
    std::vector<int64_t> event_times_ns;   // the same, their true times (for binary search)

    const StateTrack* track(std::string_view key) const;
    bool is_down(Instant t) const;
    bool is_paused(Instant t) const;
    int64_t clock_offset_ns(Instant t) const;
};

enum class MessageFate : uint8_t { delivered, dropped, in_flight };
std::string_view to_string(MessageFate f);

struct Message {
    uint64_t id = 0;                  // message id (a copy has its own)
    NodeId from = no_node;
    NodeId to = no_node;
    uint32_t type = 0;                // interned type name
    EventIndex send = no_event;       // the send event
    EventIndex copy = no_event;       // for a duplicate: the duplicate event
    EventIndex end = no_event;        // delivery or drop; no_event while in flight at the end
    Instant sent_at;
    Instant ended_at;                 // the run's end for one still in flight
    MessageFate fate = MessageFate::in_flight;
    DropReason reason = DropReason::none;
    bool is_copy() const { return copy != no_event; }
    // Dropped where it was sent (partition at send, loss): it never left the sender.
    bool dropped_at_send() const { return fate == MessageFate::dropped && ended_at == sent_at &&
                                          (reason == DropReason::partition || reason == DropReason::loss); }
};

// A partition from its partition event to the next partition or heal (or the end of the run).
struct PartitionSpan {
    Interval when;
    EventIndex event = no_event;
    std::string shape;                          // the trace's text, e.g. "{n1,n2} | {n3}"
    std::vector<std::vector<NodeId>> groups;    // empty when the cut is not a clean grouping
    std::vector<std::pair<NodeId, NodeId>> cut; // directed links cut (from the groups or the text)
    // The index of the group holding `node`, or -1.
    int group_of(NodeId node) const;
    bool is_cut(NodeId from, NodeId to) const;
    // The nodes `node` cannot send to while this partition holds, in NodeId order.
    std::vector<NodeId> unreachable_from(NodeId node) const;
};

struct ClientOp {
    uint64_t id = 0;                  // the client-operation id of the trace
    NodeId client = no_node;
    EventIndex invoke = no_event;
    EventIndex complete = no_event;   // no_event: still running at the end of the run
    Instant begin;
    Instant end;                      // the run's end for one still running
    std::optional<ClientOutcome> outcome;
    std::string operation;            // the invocation's text ("put k1 10")
    std::string result;               // the completion's text
};

// A fault as the trace recorded it taking effect (not the plan: the plan is in the notes).
struct FaultMark {
    EventIndex event = no_event;
    Instant at;
    EventKind kind = EventKind::note;
    NodeId node = no_node;
    std::string text;
};
bool is_fault_kind(EventKind k);

// A checker's verdict on the run, mapped onto the model: the operations to highlight (indices
// into ops()), the window to shade and the events to mark.
struct VerdictMark {
    std::string checker;              // "linearizability (kv)"
    bool ok = true;
    bool decided = true;              // false when the checker ran out of budget
    std::string summary;              // one line
    std::string explanation;          // the checker's text
    std::vector<std::size_t> ops;
    std::optional<Interval> window;
    std::vector<EventIndex> events;
};

// What identifies the run (for titles and the summary).
struct RunInfo {
    std::string title = "run";
    uint64_t seed = 0;
    uint64_t trace_hash = 0;
};

class RunModel {
public:
    RunModel() = default;
    // Derives the model from a stored trace (level events or full). `end` is where the run
    // stopped; it must not be before the last event.
    static RunModel build(const Trace& trace, const std::vector<std::string>& node_names, Instant end,
                          RunInfo info = {});
    // The same from raw parts (a loaded run; tests that synthesise traces).
    static RunModel build(std::vector<TraceEvent> events, std::vector<std::string> names,
                          const std::vector<std::string>& node_names, Instant end, RunInfo info = {});

    const RunInfo& info() const { return info_; }
    const std::vector<TraceEvent>& events() const { return events_; }
    const TraceEvent& event(EventIndex i) const;
    const std::string& name(uint32_t id) const { return names_.at(id); }
    const std::vector<std::string>& names() const { return names_; }
    Instant end() const { return end_; }
    Instant begin() const { return Instant::zero(); }

    const std::vector<Lane>& lanes() const { return lanes_; }
    const Lane& lane(NodeId n) const;
    const std::string& node_name(NodeId n) const;
    std::size_t server_count() const;   // lanes that are not clients

    const std::vector<Message>& messages() const { return messages_; }
    // The message whose send, delivery, drop or duplicate event is `e`, if any.
    std::optional<std::size_t> message_of_event(EventIndex e) const;
    // Message type names in order of first appearance (interned ids).
    const std::vector<uint32_t>& message_types() const { return message_types_; }
    // A stable palette slot for a type (its position in message_types()).
    int message_type_slot(uint32_t type) const;
    Duration longest_flight() const { return longest_flight_; }

    const std::vector<PartitionSpan>& partitions() const { return partitions_; }
    const PartitionSpan* partition_at(Instant t) const;
    const std::vector<ClientOp>& ops() const { return ops_; }
    std::optional<std::size_t> op_of_event(EventIndex e) const;
    const std::vector<FaultMark>& faults() const { return faults_; }
    const std::vector<std::string>& notes() const { return notes_; }

    const std::vector<VerdictMark>& verdicts() const { return verdicts_; }
    void add_verdict(VerdictMark v);

    // For causality: the previous and next event of the same node in program order (drops are
    // not part of a node's program: the node never saw them), or no_event.
    EventIndex previous_on_node(EventIndex e) const { return prev_on_node_[e]; }
    EventIndex next_on_node(EventIndex e) const { return next_on_node_[e]; }

    // Counts by kind, for the summary.
    uint64_t count(EventKind k) const { return per_kind_[static_cast<int>(k)]; }

private:
    void derive(const std::vector<std::string>& node_names);
    void derive_lanes();
    void derive_messages();
    void derive_partitions();
    void derive_ops();

    RunInfo info_;
    std::vector<TraceEvent> events_;
    std::vector<std::string> names_;
    Instant end_;
    std::vector<Lane> lanes_;
    std::vector<Message> messages_;
    std::vector<uint32_t> message_of_event_;   // index+1 into messages_, 0 = none
    std::vector<uint32_t> message_types_;
    std::vector<int> type_slot_;               // by name id, -1 = not a message type
    Duration longest_flight_;
    std::vector<PartitionSpan> partitions_;
    std::vector<ClientOp> ops_;
    std::vector<uint32_t> op_of_event_;        // index+1 into ops_, 0 = none (sparse: only ops)
    std::vector<FaultMark> faults_;
    std::vector<std::string> notes_;
    std::vector<VerdictMark> verdicts_;
    std::vector<EventIndex> prev_on_node_;
    std::vector<EventIndex> next_on_node_;
    uint64_t per_kind_[event_kind_count] = {};
};

// Parses a partition's text as Partition::describe writes it: "{n1,n2} | {n3}" into groups, or
// "n1-x->n2 n3-x->n1" into cut links; "connected" gives neither. Unknown names are skipped.
struct ParsedPartition {
    std::vector<std::vector<NodeId>> groups;
    std::vector<std::pair<NodeId, NodeId>> cut;
};
ParsedPartition parse_partition_text(std::string_view text, const std::vector<std::string>& node_names);

}  // namespace faultline::view
