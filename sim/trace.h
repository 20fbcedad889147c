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
// - Observers (checkers that read state annotations, the run store's writer) see every event at
//   every level, in order, as it happens.
//
// Names (message types, annotation keys, fiber names, buggify sites) are interned per trace in
// order of first appearance, so name ids are deterministic for a run.
#pragma once

#include "sim/ids.h"
#include "sim/time.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace faultline {

enum class EventKind : uint8_t {
    send,             // node -> peer; message = id; name = message type
    deliver,          // at node from peer; cause = the send event
    drop,             // a message lost; reason says why; cause = the send event
    duplicate,        // the network made a copy (message = the copy's id, cause = original send)
    timer_set,        // message = timer id; text = local deadline
    timer_fire,
    timer_cancel,
    crash,
    restart,
    pause,            // text = duration
    resume,
    partition,        // text = the shape, e.g. "{n1,n2} | {n3,n4,n5}"
    heal,
    link_change,      // network parameters changed (loss, duplication, latency, reorder)
    clock_jump,       // text = signed jump
    clock_drift,      // text = drift in ppm
    disk_sync,
    disk_sync_lost,   // fsync returned but the data is not durable (the "lost fsync" fault)
    disk_loss,        // crash discarded unsynced writes; text = how many
    disk_torn,        // a crash tore the last write
    disk_corrupt,     // a stored block no longer matches its checksum
    disk_fault_change,
    fiber_spawn,
    fiber_block,      // reason = FiberWait (what it waits for)
    fiber_resume,     // reason = FiberWake (message or timeout)
    fiber_exit,
    log,              // text = the line
    annotate,         // name = key, text = value (state annotations, e.g. role=leader)
    client_invoke,    // message = operation id; text = the operation
    client_complete,  // reason = ok/fail/info (as ClientOutcome); text = the result
    buggify,          // name = site; text = "enabled" / "fired"
    note,             // a kernel or scenario note (e.g. the nemesis plan)
    disk_wipe,        // a node's disk emptied (the disk_wipe fault); id = keys erased
    // New kinds go last: the stored traces number kinds in this order.
};
inline constexpr int event_kind_count = static_cast<int>(EventKind::disk_wipe) + 1;
std::string_view to_string(EventKind k);

enum class DropReason : uint8_t {
    none,
    loss,               // the link's loss probability
    partition,          // cut at send time
    partition_in_flight,  // cut while in flight
    crashed,            // destination down at delivery
    restarted,          // destination restarted while the message was in flight
    late_reply,         // a reply whose caller no longer waits (timed out or gone)
    manual,             // dropped by hand (GUI live mode, tests)
    sender_crashed,     // its sender crashed as it was sent (an explored choice, sim/choice.h)
};
std::string_view to_string(DropReason r);

enum class ClientOutcome : uint8_t { ok = 1, fail = 2, info = 3 };
std::string_view to_string(ClientOutcome o);

enum class FiberWait : uint8_t { sleep = 1, receive = 2, call = 3 };
std::string_view to_string(FiberWait w);
enum class FiberWake : uint8_t { start = 0, message = 1, timeout = 2 };
std::string_view to_string(FiberWake w);

struct TraceEvent {
    EventIndex index = 0;
    Instant time;         // true time
    Instant local_time;   // the node's clock reading; equals `time` for events without a node
    uint64_t lamport = 0;
    uint64_t id = 0;      // message, timer, fiber or client-operation id
    EventIndex cause = no_event;
    NodeId node = no_node;
    NodeId peer = no_node;
    EventKind kind = EventKind::note;
    uint8_t reason = 0;   // DropReason, ClientOutcome, FiberWait or FiberWake, by kind
    uint32_t name = 0;    // interned name id (0 = none)
    std::string text;
};

enum class TraceLevel : uint8_t { off, events, full };

class Trace {
public:
    explicit Trace(TraceLevel level = TraceLevel::events);

    TraceLevel level() const { return level_; }
    bool stores() const { return level_ != TraceLevel::off; }

    // A bound on the events kept in memory (a long run would otherwise keep them all: ~330 bytes
    // an event: a busy virtual hour passed 3 GB). Once the stored events would grow past it, they
    // are all let go and no more are kept; the hash and the counts still cover every event, so a
    // replay still verifies the run. Checked only when the buffer grows: the bound is the first
    // buffer size (4096 doubled) at or above `max`.
    void set_events_max(uint64_t max) { events_max_ = max; }
    // Whether the bound let the stored events go (events() is then empty).
    bool dropped() const { return dropped_; }
    bool wants_payload_text() const { return level_ == TraceLevel::full; }

    // Appends (or, at level off, only hashes and counts) an event; fills in its index.
    EventIndex record(TraceEvent&& e);
    // The same in two steps, without moving the event: set every field but `index` of the slot
    // `start` returns (a fresh event in the stored trace; at level off a scratch one that still
    // holds the previous event), then `finish` it. Nothing else may be recorded in between.
    TraceEvent& start();
    EventIndex finish(TraceEvent& e);

    uint32_t intern(std::string_view name);
    // The same, memoised by a stable key (a payload type's vtable address) for the hot path.
    // Only looked up, never iterated: the address cannot leak into the run.
    uint32_t intern_keyed(const void* key, std::string_view name);
    const std::string& name(uint32_t id) const { return names_[id]; }
    const std::vector<std::string>& names() const { return names_; }

    uint64_t hash() const { return hash_; }
    uint64_t size() const { return count_; }
    uint64_t count(EventKind k) const { return per_kind_[static_cast<int>(k)]; }
    const std::vector<TraceEvent>& events() const { return events_; }

    using Observer = std::function<void(const TraceEvent&, const Trace&)>;
    void add_observer(Observer o) { observers_.push_back(std::move(o)); }

    // One line per event, aligned columns; `node_names` maps ids to names.
    std::string format_event(const TraceEvent& e, const std::vector<std::string>& node_names) const;
    // The last `n` stored events, formatted (for assertion reports).
    std::string format_tail(std::size_t n, const std::vector<std::string>& node_names) const;

private:
    bool grow();

    TraceLevel level_;
    bool storing_;                    // events go to events_ (not at level off, nor once dropped)
    bool dropped_ = false;
    uint64_t events_max_ = UINT64_MAX;
    uint64_t hash_;
    uint64_t count_ = 0;
    uint64_t per_kind_[event_kind_count] = {};
    std::vector<TraceEvent> events_;
    TraceEvent scratch_;  // the slot `start` hands out at level off
    std::vector<std::string> names_;
    std::vector<uint64_t> name_hashes_;
    // Lookup only; never iterated, so its order cannot leak into a run.
    std::unordered_map<std::string, uint32_t> name_ids_;
    std::vector<std::pair<const void*, uint32_t>> keyed_names_;
    std::vector<Observer> observers_;
};

}  // namespace faultline
