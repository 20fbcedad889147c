// Sections: [axis] [level of detail] [filters] [comparison] [causality].
#include "visualizer/view_queries.h"

#include "sim/assert.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace faultline::view {

// ============================================================================================
// [axis]
// ============================================================================================

TimeAxis::TimeAxis(const RunModel& model, AxisMode mode) : mode_(mode), end_ns_(model.end().ns()) {
    times_ns_.reserve(model.events().size());
    for (const TraceEvent& e : model.events()) times_ns_.push_back(e.time.ns());
    FL_ASSERT(times_ns_.empty() || times_ns_.back() <= end_ns_, "the run ends before its last event");
    if (mode_ == AxisMode::lamport) {
        lamport_.reserve(times_ns_.size());
        lamport_prefix_max_.reserve(times_ns_.size());
        for (const TraceEvent& e : model.events()) {
            lamport_.push_back(e.lamport);
            lamport_prefix_max_.push_back(std::max(e.lamport, lamport_prefix_max_.empty() ? 0 : lamport_prefix_max_.back()));
        }
    }
}

double TimeAxis::slot(std::size_t k) const {
    if (mode_ == AxisMode::event_order) return static_cast<double>(k);
    FL_ASSERT(mode_ == AxisMode::lamport, "slot() is for the event-order and Lamport axes");
    return static_cast<double>(lamport_prefix_max_[k]);
}

double TimeAxis::end() const {
    if (mode_ == AxisMode::true_time) return static_cast<double>(std::max<int64_t>(end_ns_, 1));
    if (mode_ == AxisMode::lamport) return lamport_prefix_max_.empty() ? 1.0 : slot(lamport_prefix_max_.size() - 1) + 1;
    return static_cast<double>(std::max<std::size_t>(times_ns_.size(), 1));
}

double TimeAxis::of_event(EventIndex e) const {
    if (mode_ == AxisMode::event_order) return static_cast<double>(e);
    FL_ASSERT(e < times_ns_.size(), "axis position of event {} of {}", e, times_ns_.size());
    if (mode_ == AxisMode::lamport) return static_cast<double>(lamport_[e]);
    return static_cast<double>(times_ns_[e]);
}

double TimeAxis::of_time(Instant t) const {
    if (mode_ == AxisMode::true_time) return static_cast<double>(t.ns());
    const std::size_t n = times_ns_.size();
    if (n == 0) return 0;
    auto i = static_cast<std::size_t>(std::lower_bound(times_ns_.begin(), times_ns_.end(), t.ns()) - times_ns_.begin());
    if (i == 0) return slot(0);
    if (i == n) {
        int64_t last = times_ns_[n - 1];
        if (end_ns_ <= last) return slot(n - 1);
        double f = std::min(1.0, static_cast<double>(t.ns() - last) / static_cast<double>(end_ns_ - last));
        return slot(n - 1) + f;
    }
    int64_t a = times_ns_[i - 1], b = times_ns_[i];
    double f = static_cast<double>(t.ns() - a) / static_cast<double>(b - a);
    return slot(i - 1) + f * (slot(i) - slot(i - 1));
}

Instant TimeAxis::time_of(double a) const {
    if (mode_ == AxisMode::true_time) return Instant::from_ns(static_cast<int64_t>(std::llround(a)));
    const std::size_t n = times_ns_.size();
    if (n == 0) return Instant::zero();
    if (a <= slot(0)) return Instant::from_ns(times_ns_[0]);
    // The last event slot at or before a (slots are non-decreasing).
    std::size_t i = 0;
    if (mode_ == AxisMode::event_order) {
        i = std::min(static_cast<std::size_t>(a), n - 1);
    } else {
        auto it = std::upper_bound(lamport_prefix_max_.begin(), lamport_prefix_max_.end(), static_cast<uint64_t>(a));
        i = static_cast<std::size_t>(it - lamport_prefix_max_.begin()) - 1;
        // Among equal slots, the last one: time moves on as far as it can at that Lamport value.
    }
    if (i >= n - 1) {
        int64_t last = times_ns_[n - 1];
        double f = std::clamp(a - slot(n - 1), 0.0, 1.0);
        return Instant::from_ns(last + static_cast<int64_t>(f * static_cast<double>(end_ns_ - last)));
    }
    double width = slot(i + 1) - slot(i);
    double f = width > 0 ? std::clamp((a - slot(i)) / width, 0.0, 1.0) : 0.0;
    return Instant::from_ns(times_ns_[i] + static_cast<int64_t>(f * static_cast<double>(times_ns_[i + 1] - times_ns_[i])));
}

EventIndex TimeAxis::first_event_at_or_after(double a) const {
    if (mode_ == AxisMode::event_order) return static_cast<EventIndex>(std::max(0.0, std::ceil(a)));
    if (mode_ == AxisMode::lamport) {
        auto l = static_cast<uint64_t>(std::max(0.0, std::ceil(a)));
        return static_cast<EventIndex>(std::lower_bound(lamport_prefix_max_.begin(), lamport_prefix_max_.end(), l) -
                                       lamport_prefix_max_.begin());
    }
    auto t = static_cast<int64_t>(std::ceil(a));
    return static_cast<EventIndex>(std::lower_bound(times_ns_.begin(), times_ns_.end(), t) - times_ns_.begin());
}

// ============================================================================================
// [level of detail]
// ============================================================================================

LodIndex::LodIndex(const RunModel& model) {
    const auto& lanes = model.lanes();
    sends_.resize(lanes.size());
    drops_.resize(lanes.size());
    faults_.resize(lanes.size());
    lamport_max_.resize(lanes.size());
    for (const Lane& lane : lanes) {
        auto& l = lamport_max_[lane.node];
        l.reserve(lane.events.size());
        for (EventIndex e : lane.events) l.push_back(std::max(model.events()[e].lamport, l.empty() ? 0 : l.back()));
        auto& s = sends_[lane.node];
        auto& d = drops_[lane.node];
        auto& f = faults_[lane.node];
        s.assign(lane.events.size() + 1, 0);
        d.assign(lane.events.size() + 1, 0);
        f.assign(lane.events.size() + 1, 0);
        for (std::size_t k = 0; k < lane.events.size(); ++k) {
            EventKind kind = model.events()[lane.events[k]].kind;
            s[k + 1] = s[k] + (kind == EventKind::send);
            d[k + 1] = d[k] + (kind == EventKind::drop);
            f[k + 1] = f[k] + is_fault_kind(kind);
        }
    }
    client_ops_.resize(lanes.size());
    op_prefix_.resize(lanes.size());
    for (std::size_t i = 0; i < model.ops().size(); ++i) client_ops_[model.ops()[i].client].push_back(static_cast<uint32_t>(i));
    for (const Lane& lane : lanes) {
        auto& p = op_prefix_[lane.node];
        p.assign(client_ops_[lane.node].size() + 1, OpBucket{});
        for (std::size_t k = 0; k < client_ops_[lane.node].size(); ++k) {
            const ClientOp& op = model.ops()[client_ops_[lane.node][k]];
            p[k + 1] = p[k];
            if (!op.outcome) ++p[k + 1].running;
            else if (*op.outcome == ClientOutcome::ok) ++p[k + 1].ok;
            else if (*op.outcome == ClientOutcome::fail) ++p[k + 1].fail;
            else ++p[k + 1].info;
        }
    }
}

std::pair<std::size_t, std::size_t> LodIndex::op_range(const RunModel& model, const TimeAxis& axis, NodeId node, double a0,
                                                       double a1) const {
    FL_ASSERT(node < client_ops_.size(), "lane {} of {}: the index was built for another model", node, client_ops_.size());
    const auto& ops = client_ops_[node];
    // Invocations are in trace order, so their event indices (and axis positions) increase.
    auto position = [&](double a) {
        EventIndex e = axis.first_event_at_or_after(a);
        return static_cast<std::size_t>(std::lower_bound(ops.begin(), ops.end(), e, [&](uint32_t op, EventIndex x) {
                                            return model.ops()[op].invoke < x;
                                        }) - ops.begin());
    };
    std::size_t lo = position(a0);
    return {lo, std::max(lo, position(a1))};
}

std::vector<LodIndex::OpBucket> LodIndex::op_buckets(const RunModel& model, const TimeAxis& axis, NodeId node, double a0,
                                                     double a1, int columns) const {
    FL_ASSERT(columns > 0 && columns <= 1 << 16, "{} buckets asked for: one per pixel column at most", columns);
    FL_ASSERT(a1 >= a0, "an empty or reversed axis range [{}, {})", a0, a1);
    std::vector<OpBucket> out(static_cast<std::size_t>(columns));
    const auto& prefix = op_prefix_.at(node);
    std::size_t prev = op_range(model, axis, node, a0, a0).first;
    for (int c = 0; c < columns; ++c) {
        double b = (c + 1 == columns) ? a1 : a0 + (a1 - a0) * (c + 1) / columns;
        std::size_t next = std::max(prev, op_range(model, axis, node, b, b).first);
        OpBucket& k = out[static_cast<std::size_t>(c)];
        k.ok = prefix[next].ok - prefix[prev].ok;
        k.fail = prefix[next].fail - prefix[prev].fail;
        k.info = prefix[next].info - prefix[prev].info;
        k.running = prefix[next].running - prefix[prev].running;
        prev = next;
    }
    return out;
}

std::pair<std::size_t, std::size_t> LodIndex::lane_range(const RunModel& model, const TimeAxis& axis, NodeId node,
                                                         double a0, double a1) const {
    const Lane& lane = model.lane(node);
    auto position = [&](double a) -> std::size_t {
        if (axis.mode() == AxisMode::event_order) {
            auto e = static_cast<EventIndex>(std::max(0.0, std::ceil(a)));
            return static_cast<std::size_t>(std::lower_bound(lane.events.begin(), lane.events.end(), e) - lane.events.begin());
        }
        if (axis.mode() == AxisMode::lamport) {
            // A lane's Lamport timestamps rise in program order; the running maximum makes that
            // exact for the search even for an event that did not tick the clock (a drop).
            const auto& l = lamport_max_.at(node);
            auto v = static_cast<uint64_t>(std::max(0.0, std::ceil(a)));
            return static_cast<std::size_t>(std::lower_bound(l.begin(), l.end(), v) - l.begin());
        }
        auto t = static_cast<int64_t>(std::ceil(a));
        return static_cast<std::size_t>(std::lower_bound(lane.event_times_ns.begin(), lane.event_times_ns.end(), t) -
                                        lane.event_times_ns.begin());
    };
    std::size_t lo = position(a0);
    std::size_t hi = std::max(lo, position(a1));
    return {lo, hi};
}

std::vector<LaneBucket> LodIndex::lane_buckets(const RunModel& model, const TimeAxis& axis, NodeId node, double a0,
                                               double a1, int columns) const {
    FL_ASSERT(columns > 0 && columns <= 1 << 16, "{} buckets asked for: one per pixel column at most", columns);
    FL_ASSERT(a1 >= a0, "an empty or reversed axis range [{}, {})", a0, a1);
    FL_ASSERT(node < sends_.size(), "lane {} of {}: the index was built for another model", node, sends_.size());
    std::vector<LaneBucket> out(static_cast<std::size_t>(columns));
    const auto& s = sends_[node];
    const auto& d = drops_[node];
    const auto& f = faults_[node];
    std::size_t prev = lane_range(model, axis, node, a0, a0).first;
    for (int c = 0; c < columns; ++c) {
        double b = (c + 1 == columns) ? a1 : a0 + (a1 - a0) * (c + 1) / columns;
        std::size_t next = std::max(prev, lane_range(model, axis, node, b, b).first);
        LaneBucket& k = out[static_cast<std::size_t>(c)];
        k.events = static_cast<uint32_t>(next - prev);
        k.sends = s[next] - s[prev];
        k.drops = d[next] - d[prev];
        k.faults = f[next] - f[prev];
        prev = next;
    }
    return out;
}

VisibleMessages visible_messages(const RunModel& model, Instant t0, Instant t1, std::size_t budget) {
    FL_ASSERT(budget > 0, "a message budget of zero draws nothing: pass at least 1");
    VisibleMessages out;
    const auto& msgs = model.messages();
    Instant from = t0 - model.longest_flight();
    auto lo = std::lower_bound(msgs.begin(), msgs.end(), from, [](const Message& m, Instant t) { return m.sent_at < t; });
    auto hi = std::upper_bound(lo, msgs.end(), t1, [](Instant t, const Message& m) { return t < m.sent_at; });
    // The scan starts a longest flight before the window: one message that waited long (at a
    // paused node, say) widens it for every window, so the decision is made on the messages that
    // really cross the window, and only a scan too long for a frame gives up early.
    auto span = static_cast<std::size_t>(hi - lo);
    if (span > 64 * budget) {
        out.total = span;
        out.aggregated = true;
        return out;
    }
    for (auto it = lo; it != hi; ++it)
        if (it->ended_at >= t0) out.items.push_back(static_cast<uint32_t>(it - msgs.begin()));
    out.total = out.items.size();
    if (out.total > budget) {
        out.items.clear();
        out.aggregated = true;
    }
    return out;
}

// ============================================================================================
// [filters]
// ============================================================================================

uint64_t EventFilter::quiet_kinds() {
    return bit(EventKind::timer_set) | bit(EventKind::timer_cancel) | bit(EventKind::fiber_spawn) |
           bit(EventKind::fiber_block) | bit(EventKind::fiber_resume) | bit(EventKind::fiber_exit);
}

static bool contains_folded(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

bool passes(const RunModel& model, const EventFilter& f, const TraceEvent& e) {
    if (!(f.kinds & EventFilter::bit(e.kind))) return false;
    if (e.node == no_node) {
        if (f.only_node_events) return false;
    } else if (!f.nodes.empty() && (e.node >= f.nodes.size() || !f.nodes[e.node])) {
        return false;
    }
    if (f.message_type != 0) {
        bool is_message = e.kind == EventKind::send || e.kind == EventKind::deliver || e.kind == EventKind::drop ||
                          e.kind == EventKind::duplicate;
        if (!is_message || e.name != f.message_type) return false;
    }
    if (!f.text.empty()) {
        if (!contains_folded(e.text, f.text) && !contains_folded(model.name(e.name), f.text) &&
            !contains_folded(to_string(e.kind), f.text) && !contains_folded(model.node_name(e.node), f.text))
            return false;
    }
    return true;
}

std::vector<EventIndex> filter_events(const RunModel& model, const EventFilter& filter) {
    std::vector<EventIndex> out;
    for (const TraceEvent& e : model.events())
        if (passes(model, filter, e)) out.push_back(e.index);
    return out;
}

// ============================================================================================
// [comparison]
// ============================================================================================

namespace {

std::string describe_for_divergence(const RunModel& m, const TraceEvent& e) {
    std::string out = fmt::format("{}", to_string(e.kind));
    if (e.name) out += " " + m.name(e.name);
    if (e.node != no_node) out += " on " + m.node_name(e.node);
    if (e.peer != no_node) out += " (peer " + m.node_name(e.peer) + ")";
    out += " at " + fmt::format("{:.3f} ms", static_cast<double>(e.time.ns()) / 1e6);
    return out;
}

bool same_event(const RunModel& a, const TraceEvent& x, const RunModel& b, const TraceEvent& y) {
    if (x.time != y.time || x.kind != y.kind || x.node != y.node || x.peer != y.peer || x.reason != y.reason) return false;
    if (x.text != y.text) return false;
    return a.name(x.name) == b.name(y.name);
}

}  // namespace

std::optional<std::size_t> op_at(const RunModel& model, Instant t) {
    const std::vector<ClientOp>& ops = model.ops();
    for (std::size_t i = 0; i < ops.size(); ++i)
        if (ops[i].begin <= t && t < ops[i].end) return i;
    for (std::size_t i = 0; i < ops.size(); ++i)
        if (ops[i].begin <= t && t == ops[i].end) return i;
    return std::nullopt;
}

Divergence first_divergence(const RunModel& a, const RunModel& b) {
    Divergence d;
    // Notes (e.g. the nemesis plan, written at time 0) describe a run; they are not part of it.
    auto skip_notes = [](const RunModel& m, std::size_t i) {
        while (i < m.events().size() && m.events()[i].kind == EventKind::note) ++i;
        return i;
    };
    const std::size_t na = a.events().size(), nb = b.events().size();
    std::size_t i = skip_notes(a, 0), j = skip_notes(b, 0);
    for (; i < na && j < nb; i = skip_notes(a, i + 1), j = skip_notes(b, j + 1)) {
        const TraceEvent& x = a.events()[i];
        const TraceEvent& y = b.events()[j];
        if (same_event(a, x, b, y)) continue;
        d.identical = false;
        d.index = static_cast<EventIndex>(i);
        d.other_index = static_cast<EventIndex>(j);
        d.at = std::min(x.time, y.time);
        d.summary = fmt::format("#{}: {}  vs  #{}: {}", i, describe_for_divergence(a, x), j, describe_for_divergence(b, y));
        return d;
    }
    if (i >= na && j >= nb) return d;
    d.identical = false;
    d.index = static_cast<EventIndex>(i);
    d.other_index = static_cast<EventIndex>(j);
    const bool a_goes_on = i < na;
    const RunModel& longer = a_goes_on ? a : b;
    const TraceEvent& next = longer.events()[a_goes_on ? i : j];
    d.at = next.time;
    d.summary = fmt::format("{} run ends here; the other goes on with #{}: {}", a_goes_on ? "the second" : "the first",
                            next.index, describe_for_divergence(longer, next));
    return d;
}

// ============================================================================================
// [causality]
// ============================================================================================

static bool ends_a_message(const TraceEvent& e) {
    return e.kind == EventKind::deliver || e.kind == EventKind::drop || e.kind == EventKind::duplicate;
}

std::vector<uint8_t> causal_past(const RunModel& model, EventIndex e) {
    const auto& events = model.events();
    FL_ASSERT(e < events.size(), "causal past of event {} of {}", e, events.size());
    std::vector<uint8_t> mark(events.size(), 0);
    mark[e] = 1;
    // Both links point to earlier events, so one backward sweep closes the set.
    for (EventIndex i = e + 1; i-- > 0;) {
        if (!mark[i]) continue;
        EventIndex prev = model.previous_on_node(i);
        if (prev != no_event) mark[prev] = 1;
        if (ends_a_message(events[i]) && events[i].cause != no_event) mark[events[i].cause] = 1;
    }
    return mark;
}

std::vector<uint8_t> causal_future(const RunModel& model, EventIndex e) {
    const auto& events = model.events();
    FL_ASSERT(e < events.size(), "causal future of event {} of {}", e, events.size());
    std::vector<uint8_t> mark(events.size(), 0);
    mark[e] = 1;
    for (EventIndex i = e + 1; i < events.size(); ++i) {
        EventIndex prev = model.previous_on_node(i);
        if (prev != no_event && prev >= e && mark[prev]) {
            mark[i] = 1;
            continue;
        }
        if (ends_a_message(events[i]) && events[i].cause != no_event && events[i].cause >= e && mark[events[i].cause])
            mark[i] = 1;
    }
    return mark;
}

}  // namespace faultline::view
