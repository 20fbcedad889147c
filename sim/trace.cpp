#include "sim/trace.h"

#include "sim/assert.h"
#include "sim/rng.h"

#include <fmt/format.h>


namespace faultline {

std::string_view to_string(EventKind k) {
    switch (k) {
        case EventKind::send: return "send";
        case EventKind::deliver: return "deliver";
        case EventKind::drop: return "drop";
        case EventKind::duplicate: return "duplicate";
        case EventKind::timer_set: return "timer_set";
        case EventKind::timer_fire: return "timer_fire";
        case EventKind::timer_cancel: return "timer_cancel";
        case EventKind::crash: return "crash";
        case EventKind::restart: return "restart";
        case EventKind::pause: return "pause";
        case EventKind::resume: return "resume";
        case EventKind::partition: return "partition";
        case EventKind::heal: return "heal";
        case EventKind::link_change: return "link_change";
        case EventKind::clock_jump: return "clock_jump";
        case EventKind::clock_drift: return "clock_drift";
        case EventKind::disk_sync: return "disk_sync";
        case EventKind::disk_sync_lost: return "disk_sync_lost";
        case EventKind::disk_loss: return "disk_loss";
        case EventKind::disk_torn: return "disk_torn";
        case EventKind::disk_corrupt: return "disk_corrupt";
        case EventKind::disk_fault_change: return "disk_fault_change";
        case EventKind::fiber_spawn: return "fiber_spawn";
        case EventKind::fiber_block: return "fiber_block";
        case EventKind::fiber_resume: return "fiber_resume";
        case EventKind::fiber_exit: return "fiber_exit";
        case EventKind::log: return "log";
        case EventKind::annotate: return "annotate";
        case EventKind::client_invoke: return "client_invoke";
        case EventKind::client_complete: return "client_complete";
        case EventKind::buggify: return "buggify";
        case EventKind::note: return "note";
        case EventKind::disk_wipe: return "disk_wipe";
    }
    return "?";
}

std::string_view to_string(DropReason r) {
    switch (r) {
        case DropReason::none: return "none";
        case DropReason::loss: return "loss";
        case DropReason::partition: return "partition";
        case DropReason::partition_in_flight: return "partition_in_flight";
        case DropReason::crashed: return "crashed";
        case DropReason::restarted: return "restarted";
        case DropReason::late_reply: return "late_reply";
        case DropReason::manual: return "manual";
        case DropReason::sender_crashed: return "sender_crashed";
    }
    return "?";
}

std::string_view to_string(ClientOutcome o) {
    switch (o) {
        case ClientOutcome::ok: return "ok";
        case ClientOutcome::fail: return "fail";
        case ClientOutcome::info: return "info";
    }
    return "?";
}

std::string_view to_string(FiberWait w) {
    switch (w) {
        case FiberWait::sleep: return "sleep";
        case FiberWait::receive: return "receive";
        case FiberWait::call: return "call";
    }
    return "?";
}

std::string_view to_string(FiberWake w) {
    switch (w) {
        case FiberWake::start: return "start";
        case FiberWake::message: return "message";
        case FiberWake::timeout: return "timeout";
    }
    return "?";
}

namespace {
// Kinds whose text is derived from hashed fields or exists only at some levels (payload
// descriptions, a timer's formatted deadline): their text is not hashed.
bool text_is_derived(EventKind k) {
    return k == EventKind::send || k == EventKind::deliver || k == EventKind::drop ||
           k == EventKind::duplicate || k == EventKind::timer_set;
}
}  // namespace

Trace::Trace(TraceLevel level)
    : level_(level),
      storing_(level != TraceLevel::off),
      hash_(0x6661756c746c696eull),
      written_(storing_ ? EventKinds::all() : EventKinds::none()) {
    names_.emplace_back("");  // id 0 = no name
    name_hashes_.push_back(0);
}

uint32_t Trace::intern(std::string_view name) {
    if (name.empty()) return 0;
    // A protocol annotates a handful of keys over and over: most lookups end in the memo, checked
    // by content (never by address), so a hit is the same id the map would give.
    uint32_t& memo = intern_memo_[(name.size() * 31 + static_cast<unsigned char>(name.back())) % intern_memo_.size()];
    if (memo != 0 && names_[memo] == name) return memo;
    auto it = name_ids_.find(name);
    if (it != name_ids_.end()) return memo = it->second;
    auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
    name_hashes_.push_back(hash_label(name));
    name_ids_.emplace(std::string(name), id);
    return memo = id;
}

uint32_t Trace::intern_keyed_search(const void* key, std::string_view name) {
    last_key_ = key;
    for (auto& [k, id] : keyed_names_) {
        if (k == key) return last_key_id_ = id;
    }
    uint32_t id = intern(name);
    keyed_names_.emplace_back(key, id);
    return last_key_id_ = id;
}

// Payload text of message events exists only at level full, and a timer's deadline text is
// derived from hashed fields: hashing them would make the hash depend on the level.
uint64_t Trace::text_digest(const EventFields& f) const {
    return text_is_derived(f.kind) ? 0 : hash_label(f.text);
}

void Trace::keep(const EventFields& f, EventIndex index) {
    TraceEvent& e = storing_ && (!events_.full() || within_bound()) ? events_.emplace_back() : scratch_;
    e.index = index;
    e.time = f.time;
    e.local_time = f.local_time;
    e.lamport = f.lamport;
    e.id = f.id;
    e.cause = f.cause;
    e.node = f.node;
    e.peer = f.peer;
    e.kind = f.kind;
    e.reason = f.reason;
    e.name = f.name;
    e.text = f.text;
    if (wanted_.has(e.kind)) notify(e);
}

void Trace::notify(const TraceEvent& e) {
    for (auto& o : observers_)
        if (o.kinds.has(e.kind)) o.observer(e, *this);
}

void Trace::add_sampler(Sampler s, Instant first) {
    samplers_.push_back({std::move(s), first});
    next_sample_ = std::min(next_sample_, first);
}

void Trace::sample(Instant now) {
    next_sample_ = Instant::max();
    for (auto& s : samplers_) {
        if (now >= s.next) s.next = s.sampler(now);
        next_sample_ = std::min(next_sample_, s.next);
    }
}

// Checked only when the stored events need a new block (sim/trace_events.h), to keep the hot
// path to one comparison.
bool Trace::within_bound() {
    if (events_.size() < events_max_) return true;
    events_.clear();  // the memory goes back now, not at the end of the run
    storing_ = false;
    written_ = wanted_;
    dropped_ = true;
    return false;
}

std::string Trace::format_event(const TraceEvent& e, const std::vector<std::string>& node_names) const {
    auto node_name = [&](NodeId n) -> std::string_view {
        if (n == no_node) return "-";
        if (n < node_names.size()) return node_names[n];
        return "?";
    };
    std::string detail;
    if (e.kind == EventKind::drop) detail = fmt::format("reason={} ", to_string(static_cast<DropReason>(e.reason)));
    if (e.kind == EventKind::client_complete) detail = fmt::format("{} ", to_string(static_cast<ClientOutcome>(e.reason)));
    if (e.kind == EventKind::fiber_block) detail = fmt::format("waits={} ", to_string(static_cast<FiberWait>(e.reason)));
    if (e.kind == EventKind::fiber_resume) detail = fmt::format("by={} ", to_string(static_cast<FiberWake>(e.reason)));
    return fmt::format("{:>7} {:>16} {:>16} {:>5} {:<6} {:<16} {:<6} {:<18} id={} {}{}", e.index,
                       to_string(e.time), to_string(e.local_time), e.lamport, node_name(e.node),
                       to_string(e.kind), node_name(e.peer), names_[e.name], e.id, detail, e.text);
}

std::string Trace::format_tail(std::size_t n, const std::vector<std::string>& node_names) const {
    std::string out;
    std::size_t start = events_.size() > n ? events_.size() - n : 0;
    for (std::size_t i = start; i < events_.size(); ++i) {
        out += format_event(events_[i], node_names);
        out += '\n';
    }
    return out;
}

}  // namespace faultline
