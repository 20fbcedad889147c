// Derivation of a RunModel from a trace. Sections: [build] [lanes] [messages] [partitions]
// [operations] [lookups] [partition text].
#include "visualizer/run_model.h"

#include "sim/faults/fault_kind.h"

#include "sim/assert.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace faultline::view {

// ============================================================================================
// [build]
// ============================================================================================

RunModel RunModel::build(const Trace& trace, const std::vector<std::string>& node_names, Instant end, RunInfo info) {
    FL_ASSERT(trace.stores(), "a run model needs a stored trace: record the run at trace level events or full");
    if (info.trace_hash == 0) info.trace_hash = trace.hash();
    return build(trace.events().to_vector(), trace.names(), node_names, end, std::move(info));
}

RunModel RunModel::build(std::vector<TraceEvent> events, std::vector<std::string> names,
                         const std::vector<std::string>& node_names, Instant end, RunInfo info) {
    RunModel m;
    m.info_ = std::move(info);
    m.events_ = std::move(events);
    m.names_ = std::move(names);
    if (m.names_.empty()) m.names_.push_back("");  // name id 0 means none
    m.end_ = end;
    m.derive(node_names);
    return m;
}

void RunModel::derive(const std::vector<std::string>& node_names) {
    const std::size_t n = events_.size();
    FL_ASSERT(n < (std::size_t{1} << 32) - 1, "a run of {} events is beyond the viewer's limit of 2^32", n);
    int64_t last_ns = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const TraceEvent& e = events_[i];
        FL_ASSERT(e.index == i, "trace event {} carries index {}: the trace is not a whole run", i, e.index);
        FL_ASSERT(e.time.ns() >= last_ns, "trace event {} goes back in time ({} < {} ns)", i, e.time.ns(), last_ns);
        FL_ASSERT(e.node == no_node || e.node < node_names.size(), "event {} names node {} of {}", i, e.node,
                  node_names.size());
        FL_ASSERT(e.name < names_.size(), "event {} uses name id {} of {}", i, e.name, names_.size());
        last_ns = e.time.ns();
        ++per_kind_[static_cast<int>(e.kind)];
    }
    if (n > 0 && end_ < events_.back().time) end_ = events_.back().time;
    lanes_.resize(node_names.size());
    for (std::size_t i = 0; i < node_names.size(); ++i) {
        lanes_[i].node = static_cast<NodeId>(i);
        lanes_[i].name = node_names[i];
    }
    derive_lanes();
    derive_messages();
    derive_partitions();
    derive_ops();
}

// ============================================================================================
// [lanes]
// ============================================================================================

void RunModel::derive_lanes() {
    const std::size_t n = events_.size();
    prev_on_node_.assign(n, no_event);
    next_on_node_.assign(n, no_event);
    std::vector<EventIndex> last_on_node(lanes_.size(), no_event);
    std::vector<std::optional<Instant>> down_since(lanes_.size()), paused_since(lanes_.size());
    for (std::size_t i = 0; i < n; ++i) {
        const TraceEvent& e = events_[i];
        if (is_fault_kind(e.kind)) faults_.push_back({i, e.time, e.kind, e.node, e.text});
        if (e.kind == EventKind::note) notes_.push_back(e.text);
        if (e.node == no_node) continue;
        Lane& lane = lanes_[e.node];
        lane.events.push_back(i);
        lane.event_times_ns.push_back(e.time.ns());
        // A drop is not part of the node's program: it never saw the message.
        if (e.kind != EventKind::drop) {
            EventIndex prev = last_on_node[e.node];
            prev_on_node_[i] = prev;
            if (prev != no_event) next_on_node_[prev] = i;
            last_on_node[e.node] = i;
        }
        int64_t offset = e.local_time.ns() - e.time.ns();
        if (lane.clock.empty()) lane.clock.push_back({e.time, offset});
        if (e.kind == EventKind::clock_jump || e.kind == EventKind::clock_drift) {
            // The clock is linear between changes: the sample just before the change ends the old
            // line, this one starts the new one.
            if (lane.events.size() >= 2) {
                const TraceEvent& before = events_[lane.events[lane.events.size() - 2]];
                if (lane.clock.back().at < before.time)
                    lane.clock.push_back({before.time, before.local_time.ns() - before.time.ns()});
            }
            lane.clock.push_back({e.time, offset});
        }
        switch (e.kind) {
        case EventKind::crash:
            down_since[e.node] = e.time;
            if (paused_since[e.node]) {
                lane.paused.push_back({*paused_since[e.node], e.time});
                paused_since[e.node].reset();
            }
            // The node's volatile state is gone: every track becomes unknown.
            for (StateTrack& t : lane.tracks)
                if (!t.steps.empty() && !t.steps.back().value.empty()) t.steps.push_back({e.time, i, ""});
            break;
        case EventKind::restart:
            if (down_since[e.node]) lane.down.push_back({*down_since[e.node], e.time});
            down_since[e.node].reset();
            break;
        case EventKind::pause:
            if (!paused_since[e.node]) paused_since[e.node] = e.time;
            break;
        case EventKind::resume:
            if (paused_since[e.node]) lane.paused.push_back({*paused_since[e.node], e.time});
            paused_since[e.node].reset();
            break;
        case EventKind::annotate: {
            const std::string& key = names_[e.name];
            auto it = std::find_if(lane.tracks.begin(), lane.tracks.end(), [&](const StateTrack& t) { return t.key == key; });
            if (it == lane.tracks.end()) {
                lane.tracks.push_back({key, {}});
                it = lane.tracks.end() - 1;
            }
            it->steps.push_back({e.time, i, e.text});
            break;
        }
        case EventKind::client_invoke: lane.is_client = true; break;
        default: break;
        }
    }
    for (Lane& lane : lanes_) {
        // Still down (paused) at the end: the last instant counts too, so a node crashed in a live run
        // shows as down at its present.
        if (down_since[lane.node]) lane.down.push_back({*down_since[lane.node], end_, true});
        if (paused_since[lane.node]) lane.paused.push_back({*paused_since[lane.node], end_, true});
        if (!lane.events.empty()) {
            const TraceEvent& last = events_[lane.events.back()];
            if (lane.clock.back().at < last.time) lane.clock.push_back({last.time, last.local_time.ns() - last.time.ns()});
        }
        FL_ASSERT(std::is_sorted(lane.down.begin(), lane.down.end(), [](auto& a, auto& b) { return a.begin < b.begin; }),
                  "down intervals of {} out of order", lane.name);
    }
}

// ============================================================================================
// [messages]
// ============================================================================================

void RunModel::derive_messages() {
    const std::size_t n = events_.size();
    message_of_event_.assign(n, 0);
    type_slot_.assign(names_.size(), -1);
    // Copies are rare: look them up by id.
    std::map<uint64_t, uint32_t> copies;
    for (std::size_t i = 0; i < n; ++i) {
        const TraceEvent& e = events_[i];
        if (e.kind == EventKind::send) {
            Message m;
            m.id = e.id;
            m.from = e.node;
            m.to = e.peer;
            m.type = e.name;
            m.send = i;
            m.sent_at = m.ended_at = e.time;
            messages_.push_back(m);
            message_of_event_[i] = static_cast<uint32_t>(messages_.size());
            if (type_slot_[e.name] < 0) {
                type_slot_[e.name] = static_cast<int>(message_types_.size());
                message_types_.push_back(e.name);
            }
        } else if (e.kind == EventKind::duplicate) {
            FL_ASSERT(e.cause < i && message_of_event_[e.cause] != 0, "duplicate {} names no send", i);
            Message m = messages_[message_of_event_[e.cause] - 1];
            m.id = e.id;
            m.copy = i;
            messages_.push_back(m);
            message_of_event_[i] = static_cast<uint32_t>(messages_.size());
            copies[e.id] = static_cast<uint32_t>(messages_.size());
        } else if (e.kind == EventKind::deliver || e.kind == EventKind::drop) {
            FL_ASSERT(e.cause < i && message_of_event_[e.cause] != 0, "{} event {} names no send",
                      to_string(e.kind), i);
            uint32_t slot = message_of_event_[e.cause];
            if (messages_[slot - 1].id != e.id) {
                auto it = copies.find(e.id);
                FL_ASSERT(it != copies.end(), "event {} ends message {} that was never sent", i, e.id);
                slot = it->second;
            }
            Message& m = messages_[slot - 1];
            FL_ASSERT(m.end == no_event, "message {} ends twice (events {} and {})", m.id, m.end, i);
            m.end = i;
            m.ended_at = e.time;
            m.fate = e.kind == EventKind::deliver ? MessageFate::delivered : MessageFate::dropped;
            if (e.kind == EventKind::drop) m.reason = static_cast<DropReason>(e.reason);
            message_of_event_[i] = slot;
        }
    }
    longest_flight_ = Duration::zero();
    for (Message& m : messages_) {
        if (m.fate == MessageFate::in_flight) m.ended_at = end_;
        longest_flight_ = std::max(longest_flight_, m.ended_at - m.sent_at);
    }
}

// ============================================================================================
// [partitions]
// ============================================================================================

void RunModel::derive_partitions() {
    std::vector<std::string> node_names;
    for (const Lane& l : lanes_) node_names.push_back(l.name);
    auto close_open = [&](Instant t) {
        if (!partitions_.empty() && partitions_.back().when.end == Instant::max()) partitions_.back().when.end = t;
    };
    for (const TraceEvent& e : events_) {
        if (e.kind == EventKind::heal) close_open(e.time);
        if (e.kind != EventKind::partition) continue;
        close_open(e.time);
        if (e.text == "connected") continue;
        PartitionSpan span;
        span.when = {e.time, Instant::max()};
        span.event = e.index;
        span.shape = e.text;
        ParsedPartition p = parse_partition_text(e.text, node_names);
        span.groups = std::move(p.groups);
        span.cut = std::move(p.cut);
        partitions_.push_back(std::move(span));
    }
    // Still cut at the end: the run's last instant is partitioned too (a live run's present).
    if (!partitions_.empty() && partitions_.back().when.end == Instant::max()) {
        partitions_.back().when.end = end_;
        partitions_.back().when.open = true;
    }
}

int PartitionSpan::group_of(NodeId node) const {
    for (std::size_t g = 0; g < groups.size(); ++g)
        if (std::find(groups[g].begin(), groups[g].end(), node) != groups[g].end()) return static_cast<int>(g);
    return -1;
}

bool PartitionSpan::is_cut(NodeId from, NodeId to) const {
    return std::find(cut.begin(), cut.end(), std::pair{from, to}) != cut.end();
}

std::vector<NodeId> PartitionSpan::unreachable_from(NodeId node) const {
    std::vector<NodeId> out;
    for (const auto& [a, b] : cut)
        if (a == node) out.push_back(b);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// ============================================================================================
// [operations]
// ============================================================================================

void RunModel::derive_ops() {
    op_of_event_.assign(events_.size(), 0);
    std::unordered_map<uint64_t, uint32_t> by_id;  // lookup only, never iterated
    for (const TraceEvent& e : events_) {
        if (e.kind == EventKind::client_invoke) {
            ClientOp op;
            op.id = e.id;
            op.client = e.node;
            op.invoke = e.index;
            op.begin = op.end = e.time;
            op.operation = e.text;
            ops_.push_back(std::move(op));
            by_id[e.id] = static_cast<uint32_t>(ops_.size());
            op_of_event_[e.index] = static_cast<uint32_t>(ops_.size());
        } else if (e.kind == EventKind::client_complete) {
            auto it = by_id.find(e.id);
            if (it == by_id.end()) continue;  // invoked while the trace was not stored
            ClientOp& op = ops_[it->second - 1];
            FL_ASSERT(op.complete == no_event, "client operation {} completes twice", e.id);
            op.complete = e.index;
            op.end = e.time;
            op.outcome = static_cast<ClientOutcome>(e.reason);
            op.result = e.text;
            op_of_event_[e.index] = it->second;
        }
    }
    for (ClientOp& op : ops_)
        if (op.complete == no_event) op.end = end_;
}

// ============================================================================================
// [lookups]
// ============================================================================================

const StateTrack* Lane::track(std::string_view key) const {
    for (const StateTrack& t : tracks)
        if (t.key == key) return &t;
    return nullptr;
}

const std::string& StateTrack::value_at(Instant t) const {
    static const std::string none;
    auto it = std::upper_bound(steps.begin(), steps.end(), t, [](Instant x, const StateStep& s) { return x < s.at; });
    if (it == steps.begin()) return none;
    return std::prev(it)->value;
}

static bool in_intervals(const std::vector<Interval>& v, Instant t) {
    auto it = std::upper_bound(v.begin(), v.end(), t, [](Instant x, const Interval& i) { return x < i.begin; });
    return it != v.begin() && std::prev(it)->contains(t);
}

bool Lane::is_down(Instant t) const { return in_intervals(down, t); }
bool Lane::is_paused(Instant t) const { return in_intervals(paused, t); }

int64_t Lane::clock_offset_ns(Instant t) const {
    if (clock.empty()) return 0;
    if (t <= clock.front().at) return clock.front().offset_ns;
    if (t >= clock.back().at) return clock.back().offset_ns;
    auto it = std::upper_bound(clock.begin(), clock.end(), t, [](Instant x, const ClockSample& s) { return x < s.at; });
    const ClockSample& b = *it;
    const ClockSample& a = *std::prev(it);
    double f = static_cast<double>((t - a.at).ns()) / static_cast<double>((b.at - a.at).ns());
    return a.offset_ns + static_cast<int64_t>(f * static_cast<double>(b.offset_ns - a.offset_ns));
}

const TraceEvent& RunModel::event(EventIndex i) const {
    FL_ASSERT(i < events_.size(), "event {} of a run of {} events", i, events_.size());
    return events_[i];
}

const Lane& RunModel::lane(NodeId n) const {
    FL_ASSERT(n < lanes_.size(), "lane {} of {}", n, lanes_.size());
    return lanes_[n];
}

const std::string& RunModel::node_name(NodeId n) const {
    static const std::string none = "-";
    return n < lanes_.size() ? lanes_[n].name : none;
}

std::size_t RunModel::server_count() const {
    return static_cast<std::size_t>(std::count_if(lanes_.begin(), lanes_.end(), [](const Lane& l) { return !l.is_client; }));
}

std::optional<std::size_t> RunModel::message_of_event(EventIndex e) const {
    if (e >= message_of_event_.size() || message_of_event_[e] == 0) return std::nullopt;
    return message_of_event_[e] - 1;
}

int RunModel::message_type_slot(uint32_t type) const {
    return type < type_slot_.size() ? type_slot_[type] : -1;
}

const PartitionSpan* RunModel::partition_at(Instant t) const {
    for (const PartitionSpan& p : partitions_)
        if (p.when.contains(t)) return &p;
    return nullptr;
}

std::optional<std::size_t> RunModel::op_of_event(EventIndex e) const {
    if (e >= op_of_event_.size() || op_of_event_[e] == 0) return std::nullopt;
    return op_of_event_[e] - 1;
}

void RunModel::add_verdict(VerdictMark v) {
    for (std::size_t op : v.ops) FL_ASSERT(op < ops_.size(), "verdict names operation {} of {}", op, ops_.size());
    for (EventIndex e : v.events) FL_ASSERT(e < events_.size(), "verdict names event {} of {}", e, events_.size());
    verdicts_.push_back(std::move(v));
}

bool is_fault_kind(EventKind k) { return faults::is_fault_event(k); }

std::string_view to_string(MessageFate f) {
    switch (f) {
    case MessageFate::delivered: return "delivered";
    case MessageFate::dropped: return "dropped";
    case MessageFate::in_flight: return "in flight";
    }
    return "?";
}

// ============================================================================================
// [partition text]
// ============================================================================================

ParsedPartition parse_partition_text(std::string_view text, const std::vector<std::string>& node_names) {
    auto find = [&](std::string_view name) -> std::optional<NodeId> {
        for (std::size_t i = 0; i < node_names.size(); ++i)
            if (node_names[i] == name) return static_cast<NodeId>(i);
        return std::nullopt;
    };
    ParsedPartition out;
    if (!text.empty() && text.front() == '{') {
        std::size_t pos = 0;
        while ((pos = text.find('{', pos)) != std::string_view::npos) {
            std::size_t close = text.find('}', pos);
            if (close == std::string_view::npos) break;
            std::vector<NodeId> group;
            std::string_view inner = text.substr(pos + 1, close - pos - 1);
            std::size_t start = 0;
            while (start <= inner.size()) {
                std::size_t comma = inner.find(',', start);
                if (comma == std::string_view::npos) comma = inner.size();
                if (auto id = find(inner.substr(start, comma - start))) group.push_back(*id);
                start = comma + 1;
            }
            out.groups.push_back(std::move(group));
            pos = close + 1;
        }
        for (std::size_t g = 0; g < out.groups.size(); ++g)
            for (std::size_t h = 0; h < out.groups.size(); ++h)
                if (g != h)
                    for (NodeId a : out.groups[g])
                        for (NodeId b : out.groups[h]) out.cut.push_back({a, b});
        return out;
    }
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t space = text.find(' ', start);
        if (space == std::string_view::npos) space = text.size();
        std::string_view token = text.substr(start, space - start);
        std::size_t arrow = token.find("-x->");
        if (arrow != std::string_view::npos) {
            auto a = find(token.substr(0, arrow));
            auto b = find(token.substr(arrow + 4));
            if (a && b) out.cut.push_back({*a, *b});
        }
        start = space + 1;
    }
    return out;
}

}  // namespace faultline::view
