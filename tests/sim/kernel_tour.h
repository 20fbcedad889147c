// The kernel tour: a small gossiping key-value store under every kind of fault, for the kernel's
// own tests (determinism, trace levels).
//
// It exercises the whole kernel in one run without the runner (handlers and fibers, disk sync,
// timers in local time, buggify, client histories) under a nemesis plus one fault of every kind,
// so that the determinism tests have one workload that touches everything. It is not a protocol
// worth learning from: the real ones live in protocols/ and run through the runner.
//
// The cluster: servers elect a leader by heartbeats and terms (no votes, so a partition gives two
// leaders: a split brain a viewer can see; each server annotates `role` and `term`), keep a
// max-wins key-value map that they gossip and persist before acking; clients put and get with
// 50 ms timeouts and record each operation as invoke/complete ("put K V" -> "ok", "get K" ->
// "V" or "absent").
#pragma once

#include "sim/network.h"
#include "sim/world.h"
#include "sim/trace.h"
#include "sim/time.h"

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::test::tour {

struct DemoOptions {
    uint64_t seed = 1;
    int servers = 5;
    int clients = 2;
    Duration duration = seconds(10);
    TraceLevel trace_level = TraceLevel::events;
    bool faults = true;
};

struct DemoResult {
    uint64_t seed = 0;
    uint64_t trace_hash = 0;
    uint64_t events = 0;
    uint64_t messages_sent = 0;
    uint64_t messages_delivered = 0;
    uint64_t messages_dropped = 0;
    uint64_t ops_ok = 0;
    uint64_t ops_info = 0;
    uint64_t faults = 0;
    Instant end;
    std::string summary;  // a human-readable table
};

DemoResult run_demo(const DemoOptions& options);

// The demo's network: exponential latency, 0.5 ms minimum, 2 ms mean.
LinkConfig demo_link();

struct DemoCluster {
    std::vector<NodeId> servers;   // n1..nS (each with a 3 ms larger clock offset than the last)
    std::vector<NodeId> clients;   // c1..cC
};
// Adds the demo's servers and clients to `world` (set its network to demo_link() first).
DemoCluster add_demo_cluster(World& world, int servers, int clients);

}  // namespace faultline::test::tour
