// Building one system's World from a scenario (internal to the runner: session.cpp): the client
// fibers running the workload, the liveness probe, the scripted faults and the nemesis's
// schedule, the liveness phase's heal. Order matters: every call adds nodes or queues events, and
// a run's trace (and hash) depends on the order they were made in; session.cpp makes them in one
// fixed order.
#pragma once

#include "protocols/kv/history_recorder.h"
#include "protocols/plugin/protocol_entry.h"
#include "scenario/scenario.h"
#include "sim/faults/fault.h"
#include "sim/faults/nemesis.h"
#include "sim/world.h"

#include <functional>
#include <memory>
#include <optional>

namespace faultline::runner::detail {

// The client history's process id of the liveness probe (not part of the workload's figures).
inline constexpr int64_t probe_process = 99'999;
// The client node of a workload's history process (add_clients numbers a client's processes
// id * 100 + incarnation).
inline NodeId client_of_process(int64_t process) { return static_cast<NodeId>(process / 100); }

Instant at_ms(double ms);
Duration ms(double v);

// Clients c1..cK, each one workload fiber (one Jepsen process per client incarnation).
void add_clients(World& world, const scenario::Scenario& s, const plugin::BuiltSystem& built, kv::HistoryRecorder& rec);
// Liveness probe: after heal_at, write until one write succeeds; `progress` says when.
void add_probe(World& world, const scenario::Scenario& s, const plugin::BuiltSystem& built, kv::HistoryRecorder& rec,
               Instant heal_at, std::shared_ptr<std::optional<Instant>> progress);
// The scripted faults as the kernel's typed faults, each made by its kind's entry in the fault
// kind table (and undone at until_ms when it has one).
faults::FaultSchedule scripted_faults(const scenario::Scenario& s, World& w);
// The nemesis's plan for this run, drawn from its own stream (empty when it is off): episodes on
// named servers, and episodes aimed at roles, which land when they start (aim_episodes).
faults::NemesisPlan nemesis_plan(const scenario::Scenario& s, World& world, const plugin::BuiltSystem& built);
// Queues each aimed episode: when it starts, the holders of its role are read through the
// protocol's roles(); one of them (drawn from the "nemesis.aim" stream when several hold it, or
// any server when none does: an election in progress) takes the stand-in's place in every fault
// of the episode. Each fault, as it lands, is handed to `landed`.
void aim_episodes(World& world, const plugin::BuiltSystem& built, const plugin::ClusterView& cluster,
                  std::vector<faults::AimedEpisode> episodes, std::function<void(const faults::ScheduledFault&)> landed);
// The end of the fault window: when the last scripted fault or nemesis episode ends; with buggify
// on and neither, at 80% of the run.
double fault_window_end_ms(const scenario::Scenario& s);
// A link the scenario configures ([[network.link]]): part of its network, not a fault.
struct LinkOverride {
    NodeId from = no_node, to = no_node;
    LinkConfig link;
};
// The liveness phase's heal: everything back to normal at heal_at, where normal is the
// scenario's network: `base` and its own link overrides.
void schedule_heal(World& world, const std::vector<NodeId>& servers, const LinkConfig& base,
                   std::vector<LinkOverride> overrides, Instant heal_at);

}  // namespace faultline::runner::detail
