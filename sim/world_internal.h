// Kernel-private definitions shared by the world_*.cpp files. Not for protocol or scenario code.
#pragma once

#include "sim/coroutine.h"
#include "sim/world.h"

namespace faultline {

enum EventType : uint8_t {
    ev_start,        // a node's on_start (a = unused)
    ev_deliver,      // a = message slot
    ev_timer,        // a = timer slot, b = timer serial
    ev_fiber_start,  // a = fiber id
    ev_action,       // a = action slot
    ev_pause_end,    // b = pause generation
    ev_sync_done,    // a = the last disk change the sync covers (Disk::last_change at the sync)
};
inline constexpr uint8_t flag_arrived = 1;  // a delivery that already passed the partition check

struct World::Timer {
    TimerId id = 0;
    Instant deadline_local;
    uint64_t tag = 0;
    uint64_t serial = 0;
    FiberId fiber = 0;  // nonzero: the timeout of a blocked fiber
    uint64_t token = 0;
    bool active = false;
};

struct World::Fiber {
    FiberId id = 0;
    uint32_t name_id = 0;
    // Declared before `coroutine`: members are destroyed in reverse order, and destroying a
    // suspended coroutine unwinds the fiber's stack, which may still use the body's captures.
    std::function<void(Context&)> body;
    std::unique_ptr<Coroutine> coroutine;
    uint64_t token = 0;            // bumped on every block; wake-ups carry the token they expect
    TimerId timeout_timer = 0;
    uint64_t waiting_call = 0;
    std::optional<Envelope> inbox;
};

// Crashes `id` after the current event if it is still incarnation `incarnation`, and restarts it
// `down_for` later unless something else restarted it first: a node's own crash (a buggify site,
// Context::crash_and_restart) or an explored one (sim/choice.h).
void crash_after_event(World& world, NodeId id, uint32_t incarnation, Duration down_for);

struct World::Node {
    NodeId id = 0;
    std::string name;
    ProcessFactory factory;
    bool up = true;
    // Chosen to crash at a send (sim/choice.h): the rest of the current event's sends and syncs
    // are not made; the crash itself follows the event.
    bool crashing = false;
    uint32_t incarnation = 0;
    bool paused = false;
    uint64_t pause_generation = 0;
    uint32_t pending_syncs = 0;  // slow syncs in progress: the node is stalled while > 0
    std::vector<Event> deferred;  // events that arrived while suspended, in arrival order
    struct Outgoing {
        MessageId id;
        NodeId to;
        Payload payload;
        uint64_t call_id;
        uint64_t in_reply_to;
    };
    std::vector<Outgoing> stalled_outbox;
    std::unique_ptr<Context> ctx;
    std::unique_ptr<Process> process;
    LocalClock clock;
    Disk disk;
    DiskFaults disk_faults;
    Rng rng;
    Rng net_rng;
    Rng disk_rng;
    uint64_t lamport = 0;
    std::vector<Timer> timers;
    std::vector<uint32_t> free_timers;
    std::size_t active_timers = 0;
    uint64_t timer_serial = 0;
    // Ordered by id, so a crash unwinds fibers in creation order.
    std::map<FiberId, std::unique_ptr<Fiber>> fibers;
    std::deque<FiberId> receivers;          // fibers blocked in receive(), FIFO
    std::map<uint64_t, FiberId> callers;    // call id -> fiber blocked in call()

    bool suspended() const { return paused || pending_syncs > 0; }
};

struct World::Message {
    Envelope env;
    Instant sent_at;
    Instant arrives_at;
    EventIndex send_event = no_event;
    uint64_t lamport = 0;
    uint32_t dest_incarnation = 0;
    uint32_t type_name_id = 0;
    bool live = false;
    bool dropped = false;  // dropped by hand while in flight (drop_in_flight)
};

// Every event comes here. `node` is nullptr for an event of no node (a partition, a note), whose
// local time is true time.
[[gnu::always_inline]] inline EventIndex World::record_event(EventKind kind, Node* node, NodeId peer, uint64_t id,
                                                             EventIndex cause, uint32_t name, std::string_view text,
                                                             uint8_t reason) {
    return trace_.record(EventFields{
        .time = now_,
        .local_time = node != nullptr ? node->clock.local(now_) : now_,
        .lamport = node != nullptr ? ++node->lamport : 0,
        .id = id,
        .cause = cause,
        .node = node != nullptr ? node->id : no_node,
        .peer = peer,
        .kind = kind,
        .reason = reason,
        .name = name,
        .text = text,
    });
}

}  // namespace faultline
