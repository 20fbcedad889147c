// The kernel. Sections: [nodes] [run loop] [messages] [timers] [faults] [trace].
// Fibers live in world_fibers.cpp, the Context forwarding in context.cpp.
#include "sim/world_internal.h"

#include "sim/assertion_failure.h"

#include <algorithm>

namespace faultline {

std::string_view to_string(StopReason r) {
    switch (r) {
        case StopReason::quiescent: return "quiescent";
        case StopReason::time_limit: return "time_limit";
        case StopReason::event_limit: return "event_limit";
        case StopReason::stopped: return "stopped";
    }
    return "?";
}

World::World(WorldOptions options)
    : options_(options), trace_(options.trace_level), stacks_(options.fiber_stack_bytes) {
    network_.set_default(options_.network);
    trace_.set_events_max(options_.trace_events_max);
}

World::~World() {
    // Unwind every fiber while the nodes are still intact.
    for (auto& n : nodes_) {
        if (n->up) {
            n->up = false;
            destroy_volatile(*n);
        }
    }
}

// ============================================================================================
// [nodes]
// ============================================================================================

NodeId World::add_node(std::string name, ProcessFactory factory, NodeOptions options) {
    FL_ASSERT(!name.empty(), "a node needs a name");
    FL_ASSERT(node_ids_.find(name) == node_ids_.end(), "node name '{}' is used twice", name);
    FL_ASSERT(factory != nullptr, "node '{}' has no process factory", name);
    auto id = static_cast<NodeId>(nodes_.size());
    auto n = std::make_unique<Node>();
    n->id = id;
    n->name = name;
    n->factory = std::move(factory);
    n->clock = LocalClock(options.clock_offset, options.clock_drift_ppm);
    n->disk_faults = options.disk_faults;
    n->rng = Rng::derive(options_.seed, "node", name);
    n->net_rng = Rng::derive(options_.seed, "net", name);
    n->disk_rng = Rng::derive(options_.seed, "disk", name);
    node_ids_.emplace(name, id);
    node_names_.push_back(name);
    nodes_.push_back(std::move(n));
    // Partition::resize copies the matrix bit by bit, O(n^2) per node added; with nothing cut, a
    // fresh all-connected matrix of the new size is the same value, built by one zeroed alloc.
    if (network_.partition().any_cut()) {
        network_.resize(nodes_.size());
    } else {
        network_.set_partition(Partition(nodes_.size()));
    }
    start_process(*nodes_.back());
    return id;
}


const std::string& World::node_name(NodeId id) const { return node(id).name; }

std::optional<NodeId> World::find_node(std::string_view name) const {
    auto it = node_ids_.find(name);
    if (it == node_ids_.end()) return std::nullopt;
    return it->second;
}

NodeId World::node_id(std::string_view name) const {
    auto id = find_node(name);
    FL_ASSERT(id.has_value(), "no node named '{}'", name);
    return *id;
}

bool World::is_up(NodeId id) const { return node(id).up; }
bool World::is_paused(NodeId id) const { return node(id).paused; }
uint32_t World::incarnation(NodeId id) const { return node(id).incarnation; }
Process* World::process(NodeId id) { return node(id).process.get(); }
const Disk& World::disk(NodeId id) const { return node(id).disk; }
const LocalClock& World::clock(NodeId id) const { return node(id).clock; }
Instant World::local_time(NodeId id) const { return node(id).clock.local(now_); }

void World::start_process(Node& n) {
    FL_ASSERT(n.up, "starting node {} which is down", n.name);
    FL_ASSERT(n.process == nullptr, "node {} already runs a process", n.name);
    n.ctx = std::make_unique<Context>(*this, n.id);
    n.process = n.factory();
    FL_ASSERT(n.process != nullptr, "the factory of node {} returned no process", n.name);
    push(Event{.at = now_, .node = n.id, .incarnation = n.incarnation, .type = ev_start});
}

// Everything a crash loses: fibers (unwound), timers, the process, queued work. The disk is
// handled by the caller (Disk::crash), since only a crash, not a destructor, loses writes.
void World::destroy_volatile(Node& n) {
    FL_ASSERT(!n.up, "destroying the volatile state of node {} while it is up", n.name);
    FL_ASSERT(current_node_ != &n, "node {} cannot crash itself from its own handler", n.name);
    // Unwind fibers one at a time in id order; a destructor that runs during the unwind sees a
    // node that is down, so its context calls are ignored.
    while (!n.fibers.empty()) {
        auto it = n.fibers.begin();
        std::unique_ptr<Fiber> f = std::move(it->second);
        n.fibers.erase(it);
        f.reset();
    }
    n.receivers.clear();
    n.callers.clear();
    n.timers.clear();
    n.free_timers.clear();
    n.active_timers = 0;
    n.deferred.clear();
    n.stalled_outbox.clear();
    n.paused = false;
    n.pending_syncs = 0;
    n.process.reset();
    n.ctx.reset();
}

bool World::buggify(Node& n, std::string_view site, double p) {
    if (!options_.buggify || buggify_quiet_) return false;
    auto it = buggify_sites_.find(site);
    if (it == buggify_sites_.end()) {
        Rng r = Rng::derive(options_.seed, "buggify", site);
        const auto& listed = options_.buggify_sites;
        bool enabled = listed.empty() ? r.bernoulli(0.25) : std::find(listed.begin(), listed.end(), site) != listed.end();
        it = buggify_sites_.emplace(std::string(site), BuggifySite{enabled, r}).first;
        emit(EventKind::buggify, &n, no_node, 0, no_event, trace_.intern(site), enabled ? "enabled" : "disabled");
    }
    if (!it->second.enabled) return false;
    bool fire = false;
    if (options_.chooser != nullptr) {
        const Choice choice = options_.chooser->choose(*this, ChoicePoint{ChoiceKind::buggify, n.id, no_node, site});
        fire = choice == Choice::fire;
        if (choice != Choice::fire && choice != Choice::as_drawn)
            note(fmt::format("explored: buggify site {} at {} does not fire: '{}' is a choice for messages, not for sites",
                             site, n.name, choice_name(choice)));
    } else {
        fire = it->second.rng.bernoulli(p);
    }
    if (fire) emit(EventKind::buggify, &n, no_node, 0, no_event, trace_.intern(site), "fired");
    return fire;
}

void World::sync(Node& n) {
    if (n.crashing) return;  // a chosen crash came first (sim/choice.h)
    if (n.disk_faults.lost_sync_probability > 0 && n.disk_rng.bernoulli(n.disk_faults.lost_sync_probability)) {
        emit(EventKind::disk_sync_lost, &n, no_node, n.disk.unsynced_count(), no_event, 0, {});
        return;
    }
    if (n.disk_faults.sync_latency <= Duration::zero()) {
        std::size_t count = n.disk.unsynced_count();
        n.disk.make_durable();
        emit(EventKind::disk_sync, &n, no_node, count, no_event, 0, {});
        return;
    }
    // A slow sync stalls the node until it completes; the data is durable only then.
    ++n.pending_syncs;
    push(Event{.at = now_ + n.disk_faults.sync_latency, .a = n.disk.last_change(), .node = n.id,
               .incarnation = n.incarnation, .type = ev_sync_done});
    emit(EventKind::disk_sync, &n, no_node, n.disk.unsynced_count(), no_event, 0,
         fmt::format("stalls {}", to_string(n.disk_faults.sync_latency)));
}

// ============================================================================================
// [run loop]
// ============================================================================================

void World::at(Instant t, std::function<void(World&)> action) {
    FL_ASSERT(t >= now_, "an action at {} is in the past (now {})", to_string(t), to_string(now_));
    uint32_t slot;
    if (!free_actions_.empty()) {
        slot = free_actions_.back();
        free_actions_.pop_back();
        actions_[slot] = std::move(action);
    } else {
        slot = static_cast<uint32_t>(actions_.size());
        actions_.push_back(std::move(action));
    }
    push(Event{.at = t, .a = slot, .type = ev_action});
}

RunResult World::run(RunLimits limits) {
    FL_ASSERT(!running_, "World::run is not reentrant (or an earlier run of this World ended in an exception)");
    running_ = true;
    stop_requested_ = false;
    set_assert_reporter(this, &World::assert_report);
    // A failed FL_ASSERT in here throws (sim/assertion_failure.h) instead of aborting the process.
    ContainAssertions contain;
    RunResult result;
    result.reason = StopReason::quiescent;
    try {
        while (true) {
            if (queue_.empty()) {
                result.reason = StopReason::quiescent;
                break;
            }
            if (queue_.top().at > limits.until) {
                result.reason = StopReason::time_limit;
                break;
            }
            if (result.events >= limits.max_events) {
                result.reason = StopReason::event_limit;
                break;
            }
            Event e = queue_.pop();
            FL_ASSERT(e.at >= now_, "time went backwards");
            now_ = e.at;
            ++result.events;
            ++events_processed_;
            dispatch(e);
            if (stop_requested_) {
                result.reason = StopReason::stopped;
                break;
            }
        }
    } catch (...) {
        // An assertion or a protocol's exception ended the run mid-event (a fiber's arrives here
        // through Coroutine::resume). The World is fit only for destruction: running_ stays set,
        // so another run() asserts; destroying it unwinds the nodes as usual.
        current_node_ = nullptr;
        current_fiber_ = nullptr;
        set_assert_reporter(nullptr, nullptr);
        throw;
    }
    if ((result.reason == StopReason::time_limit || result.reason == StopReason::quiescent) &&
        limits.until != Instant::max() && limits.until > now_) {
        now_ = limits.until;
    }
    result.end = now_;
    running_ = false;
    set_assert_reporter(nullptr, nullptr);
    return result;
}

void World::defer(Node& n, const Event& e) { n.deferred.push_back(e); }

void World::end_suspension(Node& n) {
    if (n.suspended()) return;
    // Re-queue in arrival order at the current instant: the backlog runs first, as a resumed
    // process drains its socket buffer.
    std::vector<Event> backlog;
    backlog.swap(n.deferred);
    for (Event& e : backlog) {
        e.at = now_;
        push(e);
    }
    std::vector<Node::Outgoing> out;
    out.swap(n.stalled_outbox);
    for (auto& o : out) transmit(n, o.id, o.to, std::move(o.payload), o.call_id, o.in_reply_to);
}

void World::dispatch(Event& e) {
    if (e.type == ev_deliver) {
        on_deliver(e);
        return;
    }
    if (e.type == ev_action) {
        auto action = std::move(actions_[e.a]);
        actions_[e.a] = nullptr;
        free_actions_.push_back(static_cast<uint32_t>(e.a));
        action(*this);
        return;
    }
    Node& n = node(e.node);
    if (!n.up || e.incarnation != n.incarnation) return;  // stale: the node crashed since
    switch (e.type) {
        case ev_start:
            if (n.suspended()) return defer(n, e);
            current_node_ = &n;
            n.process->on_start(*n.ctx);
            current_node_ = nullptr;
            return;
        case ev_timer: on_timer(e); return;
        case ev_fiber_start: {
            if (n.suspended()) return defer(n, e);
            auto it = n.fibers.find(e.a);
            if (it != n.fibers.end()) resume_fiber(n, *it->second);
            return;
        }
        case ev_pause_end:
            if (!n.paused || e.b != n.pause_generation) return;
            n.paused = false;
            emit(EventKind::resume, &n, no_node, 0, no_event, 0, {});
            end_suspension(n);
            return;
        case ev_sync_done:
            FL_ASSERT(n.pending_syncs > 0, "sync completion without a pending sync");
            --n.pending_syncs;
            n.disk.make_durable_through(e.a);
            emit(EventKind::disk_sync, &n, no_node, e.a, no_event, 0, "durable");
            end_suspension(n);
            return;
        default: FL_ASSERT(false, "unknown event type {}", e.type);
    }
}

// ============================================================================================
// [messages]
// ============================================================================================

MessageId World::send_from(NodeId from, NodeId to, Payload&& payload, uint64_t call_id, uint64_t in_reply_to) {
    Node& n = node(from);
    FL_ASSERT(to < nodes_.size(), "node {} sends to unknown node id {}", n.name, to);
    FL_ASSERT(!payload.empty(), "node {} sends an empty payload", n.name);
    if (!n.up || n.crashing) return 0;  // a destructor running during a crash's unwind; a chosen crash
    MessageId id = next_message_id_++;
    if (n.pending_syncs > 0) {
        // Stalled behind a slow sync: the message leaves when the sync completes.
        n.stalled_outbox.push_back({id, to, std::move(payload), call_id, in_reply_to});
        return id;
    }
    transmit(n, id, to, std::move(payload), call_id, in_reply_to);
    return id;
}

void World::transmit(Node& sender, MessageId id, NodeId to, Payload&& payload, uint64_t call_id, uint64_t in_reply_to) {
    uint32_t type_name = trace_.intern_keyed(payload.vtable_key(), payload.type_name());
    std::string text = trace_.wants_payload_text() ? payload.describe() : std::string();
    EventIndex send_event = record_event(EventKind::send, &sender, to, id, no_event, type_name, text, 0);
    if (network_.cut(sender.id, to)) {
        emit(EventKind::drop, &sender, to, id, send_event, type_name, text,
             static_cast<uint8_t>(DropReason::partition));
        return;
    }
    SendDecision d = network_.decide(sender.id, to, sender.net_rng);
    if (options_.chooser != nullptr && !apply_choice(sender, to, payload, d)) {
        emit(EventKind::drop, &sender, to, id, send_event, type_name, text,
             static_cast<uint8_t>(DropReason::sender_crashed));
        return;
    }
    if (d.lost) {
        emit(EventKind::drop, &sender, to, id, send_event, type_name, text,
             static_cast<uint8_t>(DropReason::loss));
        return;
    }
    // Always inlined: left a call, the body went through memory twice (this and the slot release
    // in on_deliver took a message from 767 to 684 instructions).
    auto enqueue = [&](MessageId mid, Duration latency, Payload&& body) __attribute__((always_inline)) {
        uint32_t slot;
        if (!free_messages_.empty()) {
            slot = free_messages_.back();
            free_messages_.pop_back();
        } else {
            slot = static_cast<uint32_t>(messages_.size());
            messages_.emplace_back();
        }
        Message& m = messages_[slot];
        m.env.id = mid;
        m.env.from = sender.id;
        m.env.to = to;
        m.env.call_id = call_id;
        m.env.in_reply_to = in_reply_to;
        m.env.payload = std::move(body);
        m.sent_at = now_;
        m.arrives_at = now_ + latency;
        m.send_event = send_event;
        m.lamport = sender.lamport;
        m.dest_incarnation = nodes_[to]->incarnation;
        m.type_name_id = type_name;
        m.live = true;
        push(Event{.at = m.arrives_at, .a = slot, .node = to, .type = ev_deliver});
    };
    if (d.duplicate_latency) {
        MessageId copy_id = next_message_id_++;
        emit(EventKind::duplicate, &sender, to, copy_id, send_event, type_name, text);
        enqueue(id, d.latency, Payload(payload));
        enqueue(copy_id, *d.duplicate_latency, std::move(payload));
    } else {
        enqueue(id, d.latency, std::move(payload));
    }
}

bool World::apply_choice(Node& sender, NodeId to, const Payload& payload, SendDecision& d) {
    Chooser& chooser = *options_.chooser;
    const Choice choice = chooser.choose(*this, ChoicePoint{ChoiceKind::message, sender.id, to, payload.type_name()});
    // The trace says where an explored run went its own way (the viewer lists notes).
    auto explored = [&](std::string_view what) {
        note(fmt::format("explored: {} {} to {} {}", sender.name, payload.type_name(), nodes_[to]->name, what));
    };
    switch (choice) {
        case Choice::lost:
            explored("is lost");
            d.lost = true;
            return true;
        case Choice::late:
            explored(fmt::format("arrives {} late", to_string(chooser.late_by)));
            d.latency += chooser.late_by;
            return true;
        case Choice::crash: {
            explored(fmt::format("is not sent: {} crashes (back in {})", sender.name, to_string(chooser.restart_after)));
            // The sender crashes as this message leaves: it and the rest of the event's sends are
            // not made (send_from, sync); the crash is queued after the current event.
            sender.crashing = true;
            crash_after_event(*this, sender.id, sender.incarnation, chooser.restart_after);
            return false;
        }
        case Choice::fire:
            // A schedule written for another build or edited by hand: said, not silently dropped.
            explored("goes as drawn: 'fire' is a choice for buggify sites, not for messages");
            return true;
        case Choice::as_drawn: return true;
    }
    return true;
}

void World::on_deliver(Event& e) {
    Message& m = messages_[e.a];
    FL_ASSERT(m.live, "delivery of a message slot that is not in flight");
    Node& n = *nodes_[m.env.to];
    auto release = [&] {
        m.live = false;
        m.dropped = false;
        m.env.payload = Payload();
        free_messages_.push_back(static_cast<uint32_t>(e.a));
    };
    auto drop = [&](DropReason why) {
        emit(EventKind::drop, &n, m.env.from, m.env.id, m.send_event, m.type_name_id,
             trace_.wants_payload_text() ? m.env.payload.describe() : std::string(), static_cast<uint8_t>(why));
        release();
    };
    if (m.dropped) return release();
    if (!n.up) return drop(DropReason::crashed);
    if (n.incarnation != m.dest_incarnation) return drop(DropReason::restarted);
    if (!(e.flags & flag_arrived)) {
        if (network_.cut(m.env.from, m.env.to)) return drop(DropReason::partition_in_flight);
        e.flags |= flag_arrived;
    }
    if (n.suspended()) return defer(n, e);
    if (m.env.in_reply_to != 0 && n.callers.find(m.env.in_reply_to) == n.callers.end()) {
        return drop(DropReason::late_reply);
    }
    n.lamport = std::max(n.lamport, m.lamport);
    record_event(EventKind::deliver, &n, m.env.from, m.env.id, m.send_event, m.type_name_id,
                 trace_.wants_payload_text() ? m.env.payload.describe() : std::string(), 0);
    // release() without its payload reset: the move leaves the slot's payload empty, and
    // `dropped` is known false here.
    Envelope env = std::move(m.env);
    m.live = false;
    free_messages_.push_back(static_cast<uint32_t>(e.a));
    route(n, std::move(env));
}

void World::route(Node& n, Envelope&& env) {
    if (env.in_reply_to != 0) {
        auto it = n.callers.find(env.in_reply_to);
        FL_ASSERT(it != n.callers.end(), "a reply was routed without a waiting caller");
        FiberId fid = it->second;
        n.callers.erase(it);
        Fiber& f = *n.fibers.at(fid);
        f.inbox = std::move(env);
        resume_fiber(n, f);
        return;
    }
    if (!n.receivers.empty()) {
        FiberId fid = n.receivers.front();
        n.receivers.pop_front();
        Fiber& f = *n.fibers.at(fid);
        f.inbox = std::move(env);
        resume_fiber(n, f);
        return;
    }
    current_node_ = &n;
    n.process->on_message(*n.ctx, env);
    current_node_ = nullptr;
}

bool World::drop_in_flight(MessageId id) {
    for (Message& m : messages_) {
        if (!m.live || m.dropped || m.env.id != id) continue;
        // The delivery event stays queued; it finds the message dropped and only releases it.
        m.dropped = true;
        emit(EventKind::drop, nodes_[m.env.to].get(), m.env.from, m.env.id, m.send_event, m.type_name_id, {},
             static_cast<uint8_t>(DropReason::manual));
        return true;
    }
    return false;
}

std::vector<InFlightMessage> World::in_flight() const {
    std::vector<InFlightMessage> out;
    for (const Message& m : messages_) {
        if (!m.live || m.dropped) continue;
        out.push_back({m.env.id, m.env.from, m.env.to, m.sent_at, m.arrives_at, m.env.payload.type_name()});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

void crash_after_event(World& world, NodeId id, uint32_t incarnation, Duration down_for) {
    world.at(world.now(), [id, incarnation, down_for](World& w) {
        if (w.incarnation(id) != incarnation || !w.is_up(id)) return;
        w.crash(id);
        w.at(w.now() + down_for, [id, incarnation](World& w2) {
            if (w2.incarnation(id) == incarnation && !w2.is_up(id)) w2.restart(id);
        });
    });
}

uint64_t World::state_fingerprint() const {
    uint64_t h = hash_label("state", nodes_.size());
    for (const auto& np : nodes_) {
        const Node& n = *np;
        h = hash_label(n.up ? "up" : "down", h);
        if (n.up && n.process) h = hash_label(n.process->describe_state(), h);
        for (const std::string& key : n.disk.keys()) h = hash_label(n.disk.read(key).value, hash_label(key, h));
    }
    // In flight: a multiset, so the order the slab holds them in does not count.
    std::vector<uint64_t> flying;
    for (const Message& m : messages_) {
        if (!m.live || m.dropped) continue;
        uint64_t mh = hash_label(m.env.payload.type_name(), (uint64_t{m.env.from} << 32) | m.env.to);
        flying.push_back(hash_label(m.env.payload.describe(), mh));
    }
    std::sort(flying.begin(), flying.end());
    for (uint64_t f : flying) {
        uint64_t state = h ^ f;
        h = splitmix64(state);
    }
    return h;
}

// ============================================================================================
// [timers]
// ============================================================================================

TimerId World::add_timer(Node& n, Duration delay, uint64_t tag, FiberId fiber, uint64_t token) {
    FL_ASSERT(delay >= Duration::zero(), "node {} sets a timer with negative delay", n.name);
    FL_ASSERT(n.active_timers < options_.max_timers_per_node, "node {} has too many timers ({})", n.name,
              n.active_timers);
    uint32_t slot;
    if (!n.free_timers.empty()) {
        slot = n.free_timers.back();
        n.free_timers.pop_back();
    } else {
        slot = static_cast<uint32_t>(n.timers.size());
        n.timers.emplace_back();
    }
    Timer& t = n.timers[slot];
    t.id = (next_timer_id_++ << 20) | slot;
    t.deadline_local = n.clock.local(now_) + delay;
    t.tag = tag;
    t.fiber = fiber;
    t.token = token;
    t.active = true;
    ++n.active_timers;
    schedule_timer(n, slot);
    if (fiber == 0) {
        emit(EventKind::timer_set, &n, no_node, t.id, no_event, 0,
             trace_.stores() ? fmt::format("tag={} at local {}", tag, to_string(t.deadline_local)) : std::string());
    }
    return t.id;
}

void World::schedule_timer(Node& n, uint32_t slot) {
    Timer& t = n.timers[slot];
    t.serial = ++n.timer_serial;
    Instant fire = std::max(now_, n.clock.true_time_for(t.deadline_local));
    push(Event{.at = fire, .a = slot, .b = t.serial, .node = n.id, .incarnation = n.incarnation, .type = ev_timer});
}

void World::reschedule_timers(Node& n) {
    for (uint32_t slot = 0; slot < n.timers.size(); ++slot) {
        if (n.timers[slot].active) schedule_timer(n, slot);
    }
}

void World::cancel_timer(Node& n, TimerId id) {
    if (id == 0) return;
    uint32_t slot = static_cast<uint32_t>(id & ((1u << 20) - 1));
    if (slot >= n.timers.size()) return;
    Timer& t = n.timers[slot];
    if (!t.active || t.id != id) return;  // fired or cancelled already: a no-op, by design
    t.active = false;
    --n.active_timers;
    n.free_timers.push_back(slot);
    if (t.fiber == 0) emit(EventKind::timer_cancel, &n, no_node, id, no_event, 0, {});
}

void World::on_timer(Event& e) {
    Node& n = node(e.node);
    if (e.a >= n.timers.size()) return;
    Timer& t = n.timers[e.a];
    if (!t.active || t.serial != e.b) return;  // cancelled or rescheduled
    if (n.suspended()) return defer(n, e);
    if (n.clock.local(now_) < t.deadline_local) {
        // The clock was set back while the event was queued: fire when it reads the deadline.
        schedule_timer(n, static_cast<uint32_t>(e.a));
        return;
    }
    Timer fired = t;
    t.active = false;
    --n.active_timers;
    n.free_timers.push_back(static_cast<uint32_t>(e.a));
    if (fired.fiber != 0) {
        auto it = n.fibers.find(fired.fiber);
        if (it == n.fibers.end() || it->second->token != fired.token) return;
        Fiber& f = *it->second;
        // A timeout: forget what the fiber waited for, then let it run.
        if (f.waiting_call != 0) n.callers.erase(f.waiting_call);
        n.receivers.erase(std::remove(n.receivers.begin(), n.receivers.end(), f.id), n.receivers.end());
        f.timeout_timer = 0;
        resume_fiber(n, f);
        return;
    }
    emit(EventKind::timer_fire, &n, no_node, fired.id, no_event, 0, {});
    current_node_ = &n;
    n.process->on_timer(*n.ctx, fired.id, fired.tag);
    current_node_ = nullptr;
}

// ============================================================================================
// [faults]
// ============================================================================================

void World::crash(NodeId id) {
    Node& n = node(id);
    if (!n.up) return;
    emit(EventKind::crash, &n, no_node, 0, no_event, 0, {});
    n.up = false;
    n.crashing = false;
    destroy_volatile(n);
    DiskCrashReport r = n.disk.crash(n.disk_rng, n.disk_faults);
    if (r.lost_writes > 0) emit(EventKind::disk_loss, &n, no_node, r.lost_writes, no_event, 0, fmt::format("{} unsynced writes lost", r.lost_writes));
    if (r.torn_key) emit(EventKind::disk_torn, &n, no_node, 0, no_event, 0, *r.torn_key);
    if (r.corrupted_key) emit(EventKind::disk_corrupt, &n, no_node, 0, no_event, 0, *r.corrupted_key);
}

void World::restart(NodeId id) {
    Node& n = node(id);
    if (n.up) return;
    n.up = true;
    ++n.incarnation;
    n.rng = Rng::derive(options_.seed, "node", fmt::format("{}#{}", n.name, n.incarnation));
    emit(EventKind::restart, &n, no_node, n.incarnation, no_event, 0, {});
    start_process(n);
}

void World::pause(NodeId id, Duration d) {
    Node& n = node(id);
    FL_ASSERT(d >= Duration::zero(), "pause of node {} for a negative duration", n.name);
    if (!n.up) return;
    n.paused = true;
    ++n.pause_generation;
    emit(EventKind::pause, &n, no_node, 0, no_event, 0, to_string(d));
    push(Event{.at = now_ + d, .b = n.pause_generation, .node = n.id, .incarnation = n.incarnation, .type = ev_pause_end});
}

void World::set_partition(const Partition& p) {
    Partition sized = p;
    sized.resize(nodes_.size());
    network_.set_partition(sized);
    emit(EventKind::partition, nullptr, no_node, 0, no_event, 0, sized.describe(node_names_));
}

void World::heal() {
    network_.set_partition(Partition(nodes_.size()));
    emit(EventKind::heal, nullptr, no_node, 0, no_event, 0, {});
}

void World::set_default_link(const LinkConfig& c) {
    network_.set_default(c);
    emit(EventKind::link_change, nullptr, no_node, 0, no_event, 0, "default: " + c.describe());
}

void World::set_link(NodeId from, NodeId to, const LinkConfig& c) {
    network_.set_link(from, to, c);
    emit(EventKind::link_change, &node(from), to, 0, no_event, 0, c.describe());
}

void World::clear_link_overrides() {
    network_.clear_links();
    emit(EventKind::link_change, nullptr, no_node, 0, no_event, 0, "overrides cleared");
}

void World::jump_clock(NodeId id, Duration delta) {
    Node& n = node(id);
    n.clock.jump(now_, delta);
    emit(EventKind::clock_jump, &n, no_node, 0, no_event, 0, to_string(delta));
    if (n.up) reschedule_timers(n);
}

void World::set_clock_drift(NodeId id, double ppm) {
    Node& n = node(id);
    n.clock.set_drift(now_, ppm);
    emit(EventKind::clock_drift, &n, no_node, 0, no_event, 0, fmt::format("{}ppm", ppm));
    if (n.up) reschedule_timers(n);
}

void World::set_disk_faults(NodeId id, const DiskFaults& faults) {
    Node& n = node(id);
    n.disk_faults = faults;
    emit(EventKind::disk_fault_change, &n, no_node, 0, no_event, 0,
         fmt::format("lost_sync={} torn={} corrupt={} sync_latency={}", faults.lost_sync_probability,
                     faults.torn_write_probability, faults.corrupt_probability, to_string(faults.sync_latency)));
}

void World::corrupt_disk(NodeId id) {
    Node& n = node(id);
    auto key = n.disk.corrupt_random_key(n.disk_rng);
    emit(EventKind::disk_corrupt, &n, no_node, 0, no_event, 0, key.value_or("(disk empty)"));
}

void World::wipe_disk(NodeId id) {
    crash(id);
    Node& n = node(id);
    FL_ASSERT(!n.up, "a disk is wiped with its node down: the crash above did not take");
    const std::size_t keys = n.disk.wipe();
    emit(EventKind::disk_wipe, &n, no_node, keys, no_event, 0, fmt::format("{} keys erased", keys));
}

void World::note(std::string_view text) { emit(EventKind::note, nullptr, no_node, 0, no_event, 0, text); }

// ============================================================================================
// [trace]
// ============================================================================================

EventIndex World::emit(EventKind kind, Node* n, NodeId peer, uint64_t id, EventIndex cause, uint32_t name,
                       std::string_view text, uint8_t reason) {
    return record_event(kind, n, peer, id, cause, name, text, reason);
}

std::string World::assert_report(const void* w) {
    const World& world = *static_cast<const World*>(w);
    std::string out = fmt::format("  run: seed {} at event {} (true time {})\n", world.options_.seed,
                                  world.events_processed_, to_string(world.now_));
    if (world.trace_.stores()) {
        out += "  trace tail:\n" + world.trace_.format_tail(20, world.node_names_);
    } else {
        out += "  (trace level is off: replay this seed with tracing on to see the events)\n";
    }
    return out;
}

}  // namespace faultline
