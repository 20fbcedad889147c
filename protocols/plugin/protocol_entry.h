// ProtocolEntry: a protocol's plug-in, everything the rest of Faultline knows about it.
//
// A protocol lives in one folder, protocols/<name>/, and its entry file (entry.cpp) defines
// `faultline::<name>::entry()` returning one of these. The folder is registered by one line,
// `faultline_protocol(<name>)` in protocols/CMakeLists.txt (or a lab's own CMakeLists.txt); the
// runner, the CLI, the viewer and the labs then find it by name. docs/protocols.md walks through
// writing one.
//
// The entry has two halves:
// - `spec`, plain data the scenario parser validates files against (scenario/catalog.h): name,
//   one-line description, CP/AP class, options with types and ranges, the client operations it
//   serves, the figures it reports, its invariants and roles, cluster-size rules;
// - `build`, which adds the protocol's nodes to a World for one run and returns a BuiltSystem:
//   how to make a client, how to read the system's data, each replica's state and role, the
//   protocol's own figures, and a monitor of its invariants.
//
// Only the entry file may include the kernel's world.h (to add nodes); every function of the
// BuiltSystem reads the run through a ClusterView.
#pragma once

#include "check/history.h"
#include "protocols/kv/kv_client.h"
#include "protocols/plugin/cluster_view.h"
#include "protocols/plugin/invariant_monitor.h"
#include "protocols/plugin/options.h"
#include "protocols/plugin/partition_timeline.h"
#include "scenario/catalog.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace faultline::plugin {

// How the scenario's [workload] asks clients to behave.
struct ClientSettings {
    Duration attempt_timeout = milliseconds(500);  // per request attempt
    int attempts_max = 10;                         // attempts per operation before it ends `info`
};

// One replica's state as checkers of convergence and the viewer read it.
struct ReplicaState {
    NodeId node = no_node;
    std::string role;  // "leader", "backup", ... ("" when the protocol has no roles)
    // Key -> the value(s) the replica holds for it. Several values: concurrent versions (siblings).
    std::map<std::string, std::vector<std::string>> values;
};

// What a protocol's figures are computed from, at the end of a run.
struct FigureInputs {
    const ClusterView& cluster;
    const std::vector<NodeId>& servers;
    const std::vector<check::Operation>& ops;  // the workload's client operations, paired
    const std::vector<NodeId>& served_by;      // per op (by OpId): the server that answered, or no_node
    const PartitionTimeline& partitions;
};

struct BuiltSystem {
    std::vector<NodeId> servers;         // the replicas: fault targets, liveness restarts
    std::vector<NodeId> infrastructure;  // assumed reliable (e.g. a view service)
    std::function<std::unique_ptr<kv::KvClient>(Context&, const ClientSettings&)> make_client;
    // The state that counts as "the system's data" now (the leader's or primary's, or the newest
    // version of each key any replica holds): for lost-write accounting. Empty when nothing is up.
    std::function<std::map<std::string, std::string>(const ClusterView&)> data;
    // Each live replica's state (when spec.reports_replica_states).
    std::function<std::vector<ReplicaState>(const ClusterView&)> replica_states;
    // Optional, for speed: whether every live replica holds the same data now, i.e. whether
    // replica_states would show no key on which two live replicas differ, answered without copying
    // the states (the convergence watcher asks this every few milliseconds of a run). Only for
    // systems whose every server holds every key (no replicas_of). Null: replica_states is used.
    std::function<bool(const ClusterView&)> replicas_agree;
    // The servers that should hold `key` (its replicas), when not every server does (a Dynamo
    // ring's preference list): convergence compares these. Empty: every server.
    std::function<std::vector<NodeId>(const std::string& key)> replicas_of;
    // The protocol's own figures (spec.figures, each name once); may be empty when it reports none.
    std::function<std::map<std::string, double>(const FigureInputs&)> figures;
    // The servers in each role now ("leader" -> {n2}); spec.roles names the roles it can return.
    std::function<std::map<std::string, std::vector<NodeId>>(const ClusterView&)> roles;
    std::unique_ptr<InvariantMonitor> invariants;  // null when spec.invariants is empty
};

struct ProtocolEntry {
    scenario::ProtocolSpec spec;
    // Adds the servers named `servers` (and any infrastructure) to `world` for one run.
    std::function<BuiltSystem(World& world, const std::vector<std::string>& servers, const Options& options)> build;
};

}  // namespace faultline::plugin
