// TraceEvent: one kernel event of a run, as the trace keeps it, and the small enums that say
// what happened (its kind, why a message was dropped, how a client operation ended, what a fiber
// waits for). sim/trace.h says what a trace guarantees about them.
#pragma once

#include "sim/ids.h"
#include "sim/time.h"
#include "sim/trace_text.h"

#include <cstdint>
#include <string_view>

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
    TraceText text;       // 8 bytes: most events carry none
};
// A stored trace is millions of these: keep them from growing by accident.
static_assert(sizeof(TraceEvent) <= 72, "a TraceEvent is six 8-byte fields, five small ones and a pointer");

// An event as the kernel hands it to the trace (Trace::record): every field but `index`, the text
// as a view. The trace hashes it from these fields, and copies it into a TraceEvent only where
// the event is stored or observed: at level off with nobody observing, it never leaves registers.
struct EventFields {
    Instant time;
    Instant local_time;
    uint64_t lamport = 0;
    uint64_t id = 0;
    EventIndex cause = no_event;
    NodeId node = no_node;
    NodeId peer = no_node;
    EventKind kind = EventKind::note;
    uint8_t reason = 0;
    uint32_t name = 0;
    std::string_view text;
};

}  // namespace faultline
