// World: the simulation kernel. One seeded, single-threaded, discrete-event run.
//
// What it guarantees
// - A run is a pure function of (the calls made on the World, seed, build): the same calls with
//   the same seed produce the same trace, event for event, and the same trace hash.
// - One event queue ordered by (true time, insertion sequence): a total order; ties between
//   events at the same instant resolve in the order they were scheduled.
// - All randomness comes from streams derived from the seed by label (see rng.h): per node
//   ("node", name), per node's network sends ("net", name), per node's disk ("disk", name), for
//   buggify sites and for any named stream a caller asks for (nemesis, workloads).
// - Node code sees only its Context (sim/node.h). True time is the kernel's and the trace's.
//
// Who owns what: the World owns every node's Process, Context, fibers, timers, clock and disk,
// the network, the queue and the trace. Callers keep NodeIds, never pointers into the World
// (process_as gives a reference valid until the node crashes).
//
// Sections of world.cpp: [nodes] [run loop] [messages] [timers] [fibers] [faults] [trace].
#pragma once

#include "sim/choice.h"
#include "sim/clock.h"
#include "sim/disk.h"
#include "sim/event_queue.h"
#include "sim/network.h"
#include "sim/node.h"
#include "sim/trace.h"

#include <boost/context/pooled_fixedsize_stack.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

struct WorldOptions {
    uint64_t seed = 0;
    TraceLevel trace_level = TraceLevel::events;
    uint64_t trace_events_max = UINT64_MAX;  // Trace::set_events_max: keep no more events in memory
    LinkConfig network;               // the default for every link
    bool buggify = false;
    // With buggify on: the sites switched on in every seed. Empty: each site is switched on per
    // seed with probability 1/4 the first time it is reached.
    std::vector<std::string> buggify_sites;
    // Exploration (sim/choice.h): asked at every choice point; not owned. Null: a seeded run.
    Chooser* chooser = nullptr;
#if defined(FAULTLINE_SANITIZE)
    std::size_t fiber_stack_bytes = 512 * 1024;  // AddressSanitizer's frames are larger
#else
    std::size_t fiber_stack_bytes = 128 * 1024;
#endif
    std::size_t max_fibers_per_node = 4096;
    std::size_t max_timers_per_node = 1 << 20;
};

struct NodeOptions {
    Duration clock_offset = Duration::zero();
    double clock_drift_ppm = 0;
    DiskFaults disk_faults;
};

struct RunLimits {
    Instant until = Instant::max();
    uint64_t max_events = UINT64_MAX;
};

enum class StopReason : uint8_t { quiescent, time_limit, event_limit, stopped };
std::string_view to_string(StopReason r);

struct RunResult {
    StopReason reason = StopReason::quiescent;
    uint64_t events = 0;  // processed in this call
    Instant end;
};

// A message on the wire, as the GUI's live mode and tests see it.
struct InFlightMessage {
    MessageId id;
    NodeId from;
    NodeId to;
    Instant sent_at;
    Instant arrives_at;
    std::string_view type_name;
};

class World {
public:
    explicit World(WorldOptions options = {});
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // --- [nodes] -------------------------------------------------------------------------------
    // Adds a node and starts it (its on_start runs at the current time, as an event).
    NodeId add_node(std::string name, ProcessFactory factory, NodeOptions options = {});
    std::size_t node_count() const { return nodes_.size(); }
    const std::string& node_name(NodeId id) const;
    const std::vector<std::string>& node_names() const { return node_names_; }
    std::optional<NodeId> find_node(std::string_view name) const;
    NodeId node_id(std::string_view name) const;  // asserts it exists

    bool is_up(NodeId id) const;
    bool is_paused(NodeId id) const;
    uint32_t incarnation(NodeId id) const;
    Process* process(NodeId id);
    template <typename T>
    T& process_as(NodeId id) {
        auto* p = dynamic_cast<T*>(process(id));
        FL_ASSERT(p != nullptr, "node {} is down or does not run that process type", node_name(id));
        return *p;
    }
    const Disk& disk(NodeId id) const;
    const LocalClock& clock(NodeId id) const;
    Instant local_time(NodeId id) const;

    // --- [run loop] ----------------------------------------------------------------------------
    RunResult run(RunLimits limits = {});
    RunResult run_until(Instant t) { return run(RunLimits{t}); }
    RunResult run_for(Duration d) { return run(RunLimits{now_ + d}); }
    // From inside an action or handler: stop after the current event.
    void stop() { stop_requested_ = true; }
    Instant now() const { return now_; }
    uint64_t seed() const { return options_.seed; }
    uint64_t events_processed() const { return events_processed_; }
    std::size_t queue_size() const { return queue_.size(); }

    // World-level actions at a true time (fault schedules, tests, the GUI's live edits).
    void at(Instant t, std::function<void(World&)> action);
    void after(Duration d, std::function<void(World&)> action) { at(now_ + d, std::move(action)); }

    // A named random stream derived from the seed (nemesis, workloads).
    Rng stream(std::string_view name) const { return Rng::derive(options_.seed, "stream", name); }

    // --- [faults] (take effect now; schedule them with at()) ------------------------------------
    void crash(NodeId id);
    void restart(NodeId id);
    void pause(NodeId id, Duration d);
    void set_partition(const Partition& p);
    void heal();
    const Partition& partition() const { return network_.partition(); }
    void set_default_link(const LinkConfig& c);
    void set_link(NodeId from, NodeId to, const LinkConfig& c);
    void clear_link_overrides();
    const Network& network() const { return network_; }
    void jump_clock(NodeId id, Duration delta);
    void set_clock_drift(NodeId id, double ppm);
    void set_disk_faults(NodeId id, const DiskFaults& faults);
    void corrupt_disk(NodeId id);
    // Crashes the node (if it is up) and empties its disk: it comes back, on restart, with nothing.
    void wipe_disk(NodeId id);
    // Drops one message in flight (GUI live mode); false if it is not in flight.
    bool drop_in_flight(MessageId id);
    std::vector<InFlightMessage> in_flight() const;
    // A kernel note in the trace (scenario and nemesis use it to record their plans).
    void note(std::string_view text);
    // From now on no buggify site fires (a liveness phase's quiet: faults end, so do rare paths).
    void quiet_buggify() { buggify_quiet_ = true; }

    // A hash of the state exploration tells apart: each node's up/down, its process's
    // describe_state() and its disk's contents, and the messages in flight (sender, destination,
    // description, as a multiset). Leaves out time, timers and the clients' fibers, so states
    // that differ only in when things happen hash alike (runner/explore/ prunes on it).
    uint64_t state_fingerprint() const;

    // --- [trace] -------------------------------------------------------------------------------
    Trace& trace() { return trace_; }
    const Trace& trace() const { return trace_; }
    uint64_t trace_hash() const { return trace_.hash(); }
    std::string format_trace_tail(std::size_t n) const { return trace_.format_tail(n, node_names_); }

private:
    friend class Context;
    struct Fiber;
    struct Node;
    struct Timer;
    struct Message;
    using Event = QueuedEvent;

    // [run loop]
    // Assigns the event its sequence number and queues it. Inline, so the event the caller builds
    // goes to the queue in registers: built on the stack and reloaded, it stalled on store
    // forwarding (half the time of a send).
    [[gnu::always_inline]] void push(const Event& e) {
        FL_ASSERT(e.at >= now_, "scheduling an event in the past ({} < {})", e.at.ns(), now_.ns());
        queue_.push(e, seq_++);
    }
    void dispatch(Event& e);
    void defer(Node& n, const Event& e);
    void end_suspension(Node& n);
    // [messages]
    // The payload is taken by reference down the send path and moved once, into its slot.
    MessageId send_from(NodeId from, NodeId to, Payload&& payload, uint64_t call_id, uint64_t in_reply_to);
    void transmit(Node& sender, MessageId id, NodeId to, Payload&& payload, uint64_t call_id, uint64_t in_reply_to);
    // The chooser's answer for a message about to leave; false: its sender crashes instead.
    bool apply_choice(Node& sender, NodeId to, const Payload& payload, SendDecision& d);
    void on_deliver(Event& e);
    void route(Node& n, Envelope&& env);
    // [timers]
    TimerId add_timer(Node& n, Duration delay, uint64_t tag, FiberId fiber, uint64_t token);
    void cancel_timer(Node& n, TimerId id);
    void schedule_timer(Node& n, uint32_t slot);
    void reschedule_timers(Node& n);
    void on_timer(Event& e);
    // [fibers]
    FiberId spawn(Node& n, std::string_view name, std::function<void(Context&)> body);
    void resume_fiber(Node& n, Fiber& f);
    void block_current_fiber(Node& n, FiberWait why, Duration timeout);
    Fiber& current_fiber(std::string_view op);
    // [nodes]
    // Inline: every Context call starts here.
    Node& node(NodeId id) {
        FL_ASSERT(id < nodes_.size(), "no node with id {}", id);
        return *nodes_[id];
    }
    const Node& node(NodeId id) const {
        FL_ASSERT(id < nodes_.size(), "no node with id {}", id);
        return *nodes_[id];
    }
    void start_process(Node& n);
    void destroy_volatile(Node& n);
    bool buggify(Node& n, std::string_view site, double p);
    void sync(Node& n);
    // [trace]
    EventIndex emit(EventKind kind, Node* n, NodeId peer, uint64_t id, EventIndex cause,
                    uint32_t name, std::string_view text, uint8_t reason = 0);
    // emit's body, inlined where every message makes an event (send, deliver): sim/world_internal.h.
    [[gnu::always_inline]] inline EventIndex record_event(EventKind kind, Node* node, NodeId peer, uint64_t id,
                                                          EventIndex cause, uint32_t name, std::string_view text,
                                                          uint8_t reason);
    static std::string assert_report(const void* world);

    WorldOptions options_;
    Instant now_;
    uint64_t seq_ = 0;
    uint64_t events_processed_ = 0;
    bool stop_requested_ = false;
    bool running_ = false;
    EventQueue queue_;
    std::vector<std::unique_ptr<Node>> nodes_;
    std::vector<std::string> node_names_;
    std::map<std::string, NodeId, std::less<>> node_ids_;
    Network network_;
    Trace trace_;
    std::vector<Message> messages_;          // slab of messages in flight
    std::vector<uint32_t> free_messages_;
    std::vector<std::function<void(World&)>> actions_;
    std::vector<uint32_t> free_actions_;
    MessageId next_message_id_ = 1;
    FiberId next_fiber_id_ = 1;
    uint64_t next_timer_id_ = 1;
    uint64_t next_call_id_ = 1;
    uint64_t next_client_op_ = 1;
    struct BuggifySite {
        bool enabled;
        Rng rng;
    };
    std::map<std::string, BuggifySite, std::less<>> buggify_sites_;
    bool buggify_quiet_ = false;
    boost::context::pooled_fixedsize_stack stacks_;
    Node* current_node_ = nullptr;
    Fiber* current_fiber_ = nullptr;
};

}  // namespace faultline
