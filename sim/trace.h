// Trace: every kernel event of a run, in the order the kernel processed them, and its hash.
//
// What it guarantees
// - Event i has index i; true time never decreases along the trace.
// - The canonical hash folds every event's structured fields (true time, local time, Lamport time,
//   node, peer, kind, reason, message/timer/fiber id, cause, name, text) in order. Text that is
//   derived or level-dependent (payload descriptions, kept only at level `full`; a timer's
//   formatted deadline) is not hashed, so the hash of a run does not depend on the trace level
//   it was recorded at: a run replays to the same hash at any level.
// - Levels: `off` keeps only the hash and counts (sweeps, benchmarks), `events` stores every
//   event without payload text, `full` stores payload descriptions too (the GUI and `show`).
// - Observers (checkers that read state annotations, the run store's writer) see every event of
//   the kinds they ask for (EventKinds; all by default) at every level, in order, as it happens.
//   An event no observer asks for is not written out at level off. Samplers are called at the
//   first event at or after each instant they ask for (a watcher that reads state every so often).
//
// Names (message types, annotation keys, fiber names, buggify sites) are interned per trace in
// order of first appearance, so name ids are deterministic for a run.
#pragma once

#include "sim/string_map.h"
#include "sim/trace_event.h"
#include "sim/trace_events.h"

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

enum class TraceLevel : uint8_t { off, events, full };

// A set of event kinds: what an observer reads.
class EventKinds {
public:
    constexpr EventKinds(std::initializer_list<EventKind> kinds) {
        for (EventKind k : kinds) bits_ |= bit(k);
    }
    static constexpr EventKinds all() { return EventKinds(~uint64_t{0}); }
    static constexpr EventKinds none() { return EventKinds(uint64_t{0}); }
    constexpr bool has(EventKind k) const { return (bits_ & bit(k)) != 0; }
    constexpr EventKinds operator|(EventKinds o) const { return EventKinds(bits_ | o.bits_); }

private:
    static_assert(event_kind_count <= 64, "EventKinds holds the kinds in 64 bits");
    constexpr explicit EventKinds(uint64_t bits) : bits_(bits) {}
    static constexpr uint64_t bit(EventKind k) { return uint64_t{1} << static_cast<int>(k); }
    uint64_t bits_ = 0;
};

class Trace {
public:
    explicit Trace(TraceLevel level = TraceLevel::events);

    TraceLevel level() const { return level_; }
    bool stores() const { return level_ != TraceLevel::off; }

    // A bound on the events kept in memory (a long run would otherwise keep them all: ~330 bytes
    // an event: a busy virtual hour passed 3 GB). Once the stored events would grow past it, they
    // are all let go and no more are kept; the hash and the counts still cover every event, so a
    // replay still verifies the run. Checked only when the events need a new block: the bound is
    // the first block boundary (4096 * (2^k - 1) events) at or above `max`.
    void set_events_max(uint64_t max) { events_max_ = max; }
    // Whether the bound let the stored events go (events() is then empty).
    bool dropped() const { return dropped_; }
    bool wants_payload_text() const { return level_ == TraceLevel::full; }

    // Hashes and counts an event, and stores it (at levels events and full) and shows it to the
    // observers; returns its index. Inline (at the end of this file): every kernel event comes
    // here, and at level off with no observer the event is only folded into the hash.
    EventIndex record(const EventFields& f);

    uint32_t intern(std::string_view name);
    // The same, memoised by a stable key (a payload type's vtable address) for the hot path.
    // Only looked up, never iterated: the address cannot leak into the run.
    uint32_t intern_keyed(const void* key, std::string_view name) {
        // A run of one message type needs no search. Keys are never null (a sent payload is
        // never empty), so the null start value matches nothing.
        if (key == last_key_) return last_key_id_;
        return intern_keyed_search(key, name);
    }
    const std::string& name(uint32_t id) const { return names_[id]; }
    const std::vector<std::string>& names() const { return names_; }

    uint64_t hash() const { return hash_; }
    uint64_t size() const { return count_; }
    uint64_t count(EventKind k) const { return per_kind_[static_cast<int>(k)]; }
    const TraceEvents& events() const { return events_; }

    using Observer = std::function<void(const TraceEvent&, const Trace&)>;
    // `o` sees every event of the kinds in `kinds`, in order.
    void add_observer(Observer o, EventKinds kinds = EventKinds::all()) {
        observers_.push_back({std::move(o), kinds});
        wanted_ = wanted_ | kinds;
        written_ = written_ | kinds;
    }
    // `s` is called with the time of the first event at or after `first`, and then of the first
    // event at or after each instant it returns (Instant::max(): never again). It reads state
    // every so often without the trace writing out every event for it.
    using Sampler = std::function<Instant(Instant)>;
    void add_sampler(Sampler s, Instant first);

    // One line per event, aligned columns; `node_names` maps ids to names.
    std::string format_event(const TraceEvent& e, const std::vector<std::string>& node_names) const;
    // The last `n` stored events, formatted (for assertion reports).
    std::string format_tail(std::size_t n, const std::vector<std::string>& node_names) const;

private:
    bool within_bound();
    uint32_t intern_keyed_search(const void* key, std::string_view name);
    // The digest of one event's hashed fields (see the guarantees above).
    uint64_t digest(const EventFields& f) const;
    uint64_t text_digest(const EventFields& f) const;
    // Stores event `index` (unless the level or the bound says not to) and notifies the observers.
    void keep(const EventFields& f, EventIndex index);
    void notify(const TraceEvent& e);
    void sample(Instant now);

    TraceLevel level_;
    bool storing_;                    // events go to events_ (not at level off, nor once dropped)
    bool dropped_ = false;
    uint64_t events_max_ = UINT64_MAX;
    uint64_t hash_;
    uint64_t count_ = 0;
    uint64_t per_kind_[event_kind_count] = {};
    TraceEvents events_;
    TraceEvent scratch_;  // the event observers see when it is not stored
    std::vector<std::string> names_;
    std::vector<uint64_t> name_hashes_;
    // Lookup only; never iterated, so its order cannot leak into a run.
    StringMap<uint32_t> name_ids_;
    std::array<uint32_t, 16> intern_memo_{};  // recent ids by the name's length and last byte; 0: none
    std::vector<std::pair<const void*, uint32_t>> keyed_names_;
    const void* last_key_ = nullptr;  // the last intern_keyed key and its id
    uint32_t last_key_id_ = 0;
    struct Watch {
        Observer observer;
        EventKinds kinds;
    };
    std::vector<Watch> observers_;
    EventKinds wanted_ = EventKinds::none();  // every observer's kinds together
    EventKinds written_;                      // the kinds keep() writes out: all when storing, else wanted_
    struct Sampling {
        Sampler sampler;
        Instant next;
    };
    std::vector<Sampling> samplers_;
    Instant next_sample_ = Instant::max();  // the earliest of samplers_' next instants
};

// ---- the hot path, inline ------------------------------------------------------------------

inline uint64_t Trace::digest(const EventFields& f) const {
    // One digest per event from independent multiplies (they pipeline; a serial chain of nine
    // dependent mixes cost ~20% of a message with tracing off), then one chained mix in record,
    // so the hash still depends on the order of events. Each field has its own odd constant, so
    // swapping two fields' values changes the digest.
    uint64_t d = static_cast<uint64_t>(f.time.ns()) * 0x9E3779B97F4A7C15ull;
    d ^= static_cast<uint64_t>(f.local_time.ns()) * 0xC2B2AE3D27D4EB4Full;
    d ^= f.lamport * 0x165667B19E3779F9ull;
    d ^= f.id * 0xD6E8FEB86659FD93ull;
    d ^= f.cause * 0xFF51AFD7ED558CCDull;
    d ^= ((static_cast<uint64_t>(f.node) << 32) | f.peer) * 0xC4CEB9FE1A85EC53ull;
    d ^= ((static_cast<uint64_t>(f.kind) << 8) | f.reason) * 0x94D049BB133111EBull;
    d ^= name_hashes_[f.name];
    if (!f.text.empty()) d ^= text_digest(f);
    return d;
}

[[gnu::always_inline]] inline EventIndex Trace::record(const EventFields& f) {
    const EventIndex index = count_++;
    ++per_kind_[static_cast<int>(f.kind)];
    uint64_t h = hash_;
    h ^= digest(f) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    hash_ = h ^ (h >> 32);
    // Storing or observing writes the event out: filling a TraceEvent that nobody reads was ~10%
    // of a message with tracing off.
    if (written_.has(f.kind)) keep(f, index);
    if (f.time >= next_sample_) sample(f.time);
    return index;
}

}  // namespace faultline
