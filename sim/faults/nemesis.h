// Nemesis: a randomized fault schedule drawn from the seed (Jepsen's nemesis, FoundationDB's
// swarm testing). Given the nodes it may hurt, a time window and which fault kinds are allowed,
// it draws fault episodes (start, kind, target, duration) from its own stream, and pairs every
// disruptive fault with its undoing (crash -> restart, partition -> heal, link change -> reset,
// clock drift -> drift 0), so that after `end` the cluster is whole again and a liveness phase
// can demand progress. A clock jump is not undone: like an NTP step, the offset stays, and the
// protocols must live with it (timers follow the local clock).
//
// Swarm mode (`swarm = true`) first draws which kinds are enabled, so different seeds explore
// different fault mixes rather than a uniform soup; `describe` prints the drawn plan.
//
// Aimed episodes (Jepsen's targeted nemeses): besides nodes, the nemesis may aim at roles
// ("leader", "primary", or any role a protocol reports). The kernel knows no roles, so an aimed
// episode is drawn like any other, on a stand-in node (the first of `cluster`; a partition is
// drawn with the stand-in on its minority or isolated side), and comes out separately: when it
// starts, the runner reads who holds the role and moves the episode onto that node
// (with_nodes_swapped). The draws do not depend on the run, so the schedule of episodes (times,
// kinds, lengths, shapes) is the same for every system of a scenario; only where they land differs.
#pragma once

#include "sim/faults/fault.h"
#include "sim/rng.h"

#include <string>
#include <string_view>
#include <vector>

namespace faultline::faults {

// A family of episodes the nemesis can draw: its name as `[nemesis] kinds` spells it, what it
// does, and the fault kinds (fault_kind.h) its episodes are made of.
struct NemesisFamily {
    std::string_view name;
    std::string_view summary;
    std::vector<std::string_view> fault_kinds;
};
// Every family, in draw order (the order is part of every seed's schedule: append, never insert).
const std::vector<NemesisFamily>& nemesis_families();

struct NemesisOptions {
    std::vector<NodeId> targets;       // nodes it may crash, pause, partition, skew
    std::vector<std::string> aims;     // roles it may aim at (targets and aims are drawn alike)
    std::vector<NodeId> cluster;       // aimed episodes: the stand-in and a partition's nodes
    Instant start;
    Instant end;
    Duration mean_interval = milliseconds(500);  // between episode starts
    Duration mean_duration = milliseconds(300);  // of one episode
    // The families allowed (names of nemesis_families()); default: all.
    std::vector<std::string> families{"crash", "pause", "partition", "clock", "link", "disk"};
    // Clock episodes: a jump (drawn uniformly in [-clock_jump_max, +clock_jump_max]) or a
    // drift (uniform in [-clock_drift_ppm_max, +clock_drift_ppm_max] until the episode ends),
    // half and half. A zero bound leaves that half out; both zero is not allowed with `clock`.
    // Bounded drift without jumps is how a sweep keeps clock faults inside an assumed drift
    // bound (a protocol's clock-based leases).
    Duration clock_jump_max = milliseconds(2'000);  // whole milliseconds
    double clock_drift_ppm_max = 500;
    bool swarm = false;
    LinkConfig base_link;              // what a link episode returns to
};

// The most episodes a schedule may expect: (end - start) / mean_interval (CONTRIBUTING.md rule
// 8). The scenario parser refuses more, naming [nemesis] interval_ms. Draws are at least a tenth
// of the mean interval apart, so a schedule never draws more than ten times this.
inline constexpr int64_t nemesis_episodes_max = 100'000;

// One aimed episode: its faults as drawn on `stand_in`, to be moved onto the role's holder when
// the episode starts (the time of its first fault).
struct AimedEpisode {
    std::string aim;
    NodeId stand_in = no_node;
    FaultSchedule faults;  // in time order, never empty
};
struct NemesisPlan {
    FaultSchedule faults;              // episodes on named nodes, in time order
    std::vector<AimedEpisode> aimed;   // in time order
};

// Requires: targets or aims (aims need a cluster), start <= end, mean_interval >= 1 ns and at
// most nemesis_episodes_max expected episodes. Without aims the draws are those of every earlier
// build: stored seeds keep their schedules.
NemesisPlan nemesis_plan(const NemesisOptions& options, Rng& rng, std::size_t node_count);
// The plan of a nemesis without aims.
FaultSchedule nemesis_schedule(const NemesisOptions& options, Rng& rng, std::size_t node_count);

}  // namespace faultline::faults
