// The node API: everything protocol code may use. Protocols include this header and nothing else
// from sim/ (a guard test enforces that protocols/ never includes the kernel, sim/world.h).
//
// A node runs a Process: a deterministic state machine with run-to-completion handlers for the
// inputs start, message and timer (client requests are messages from client nodes). Each handler
// gets the node's Context, the one seam to the world (LevelDB's Env, FoundationDB's INetwork):
// send, timers in local time, the local clock, the disk, the node's own rng stream, trace
// annotations, buggify, and fibers.
//
// Ownership and lifetime: the kernel owns the Process and its Context. Both live for one
// incarnation of the node: a crash destroys them (and every fiber and timer of the node); a
// restart builds a new Process from the node's factory, and only the Disk survives. A Process may
// keep a Context* between handlers, until it is destroyed.
//
// Fibers: Context::spawn starts a fiber (Boost.Context) on the node. Inside a fiber, sleep,
// receive and call block the fiber (never the node): the kernel parks it and resumes it when its
// message arrives or its local-time deadline passes. Fibers host clients, workloads and node
// activities that read best as blocking code. A crash unwinds every fiber of the node (its
// destructors run); fiber code must not catch (...) without rethrowing, since Boost unwinds with
// an exception.
#pragma once

#include "sim/disk.h"
#include "sim/envelope.h"
#include "sim/ids.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "sim/trace.h"

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace faultline {

class Context;
class World;

class Process {
public:
    virtual ~Process() = default;
    virtual void on_start(Context& ctx) {}
    virtual void on_message(Context& ctx, const Envelope& message) {}
    virtual void on_timer(Context& ctx, TimerId timer, uint64_t tag) {}
    // The node's state as text, for the inspector and `show`; "" when the protocol has none.
    virtual std::string describe_state() const { return {}; }
};

using ProcessFactory = std::function<std::unique_ptr<Process>()>;

class Context {
public:
    Context(World& world, NodeId id) : world_(&world), id_(id) {}
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // --- identity and cluster -----------------------------------------------------------------
    NodeId id() const { return id_; }
    const std::string& name() const;
    std::size_t node_count() const;
    const std::string& node_name(NodeId node) const;
    std::optional<NodeId> find_node(std::string_view name) const;
    uint32_t incarnation() const;

    // --- time and randomness --------------------------------------------------------------------
    // The node's local clock (offset, drift and jumps applied). Never true time.
    Instant now() const;
    // The node's own stream; a restart gets a fresh stream of its own.
    Rng& rng();

    // --- messages --------------------------------------------------------------------------------
    template <MessageType T>
    MessageId send(NodeId to, T message) {
        return send_payload(to, Payload::make(std::move(message)));
    }
    // Answers a request; a fiber blocked in call() on the other side receives it.
    template <MessageType T>
    MessageId reply(const Envelope& request, T message) {
        return send_payload(request.from, Payload::make(std::move(message)), 0, request.call_id);
    }
    MessageId send_payload(NodeId to, Payload&& payload, uint64_t call_id = 0, uint64_t in_reply_to = 0);

    // --- timers (local time) ---------------------------------------------------------------------
    // Fires on_timer(tag) once the local clock has advanced by `delay`; a clock jump or drift
    // change moves the true firing time accordingly.
    TimerId set_timer(Duration delay, uint64_t tag = 0);
    void cancel_timer(TimerId timer);

    // --- disk ------------------------------------------------------------------------------------
    Disk& disk();
    // Makes every write so far durable (unless the lost-sync fault strikes). With a slow-sync
    // fault the node stalls until the sync completes: later sends from this handler leave then,
    // and a crash before then loses the writes.
    void sync();

    // --- trace -----------------------------------------------------------------------------------
    void log(std::string_view line);
    template <typename... Args>
    void logf(fmt::format_string<Args...> f, Args&&... args) {
        log(fmt::format(f, std::forward<Args>(args)...));
    }
    // A state annotation (e.g. annotate("role", "leader")): drawn as lanes and checked by
    // invariant checkers.
    void annotate(std::string_view key, std::string_view value);
    // A named fault-injection site (FoundationDB's BUGGIFY): false unless the run enables buggify;
    // then the site is on if the run lists it (or, listing none, with probability 0.25 drawn once
    // per seed) and fires with `probability`, until the run quiets buggify (World::quiet_buggify).
    bool buggify(std::string_view site, double probability = 0.05);
    // A fault the node brings on itself, for buggify sites ("crash right after the vote is
    // sent"): the node crashes once the current handler or fiber step returns (what it sent is
    // on the wire) and restarts `down_for` later, unless something else restarted it meanwhile.
    void crash_and_restart(Duration down_for);

    // --- client history hooks (Jepsen-style invoke/complete) --------------------------------------
    uint64_t client_invoke(std::string_view operation);
    void client_complete(uint64_t operation, ClientOutcome outcome, std::string_view result);

    // --- fibers ----------------------------------------------------------------------------------
    FiberId spawn(std::string_view name, std::function<void(Context&)> body);
    bool in_fiber() const;
    // Fiber only: block for a local-time duration.
    void sleep(Duration delay);
    // Fiber only: the next message for this node that no call() is waiting for, or nullopt on
    // timeout (Duration::max(): wait forever).
    std::optional<Envelope> receive(Duration timeout = Duration::max());
    // Fiber only: send a request and block until its reply or the timeout.
    template <MessageType T>
    std::optional<Envelope> call(NodeId to, T request, Duration timeout) {
        return call_payload(to, Payload::make(std::move(request)), timeout);
    }
    std::optional<Envelope> call_payload(NodeId to, Payload request, Duration timeout);


private:
    World* world_;
    NodeId id_;
};

// A factory for a Process whose behaviour is one fiber started at node start (clients,
// workloads); a restart starts the fiber afresh. Messages not claimed by the fiber's receive or
// call go to `on_message` if given, else are ignored.
ProcessFactory fiber_process(std::function<void(Context&)> body,
                             std::function<void(Context&, const Envelope&)> on_message = {});

}  // namespace faultline
