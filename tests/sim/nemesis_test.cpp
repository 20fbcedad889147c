// The nemesis draws a fault schedule from the seed, pairs every disruption with its undoing,
// and (in swarm mode) varies the fault mix between seeds.
#include "sim/faults/nemesis.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace faultline;
using namespace faultline::faults;

namespace {
NemesisOptions five_nodes() {
    NemesisOptions o;
    o.targets = {0, 1, 2, 3, 4};
    o.start = Instant::zero() + seconds(1);
    o.end = Instant::zero() + seconds(60);
    return o;
}
}  // namespace

TEST_CASE("nemesis: the same seed draws the same schedule, faults in time order", "[sim][nemesis]") {
    Rng a(1), b(1), c(2);
    auto sa = nemesis_schedule(five_nodes(), a, 5);
    auto sb = nemesis_schedule(five_nodes(), b, 5);
    auto sc = nemesis_schedule(five_nodes(), c, 5);
    REQUIRE(sa.size() == sb.size());
    for (std::size_t i = 0; i < sa.size(); ++i) {
        REQUIRE(sa[i].at == sb[i].at);
        REQUIRE(describe(sa[i].fault, {}) == describe(sb[i].fault, {}));
        if (i > 0) REQUIRE(sa[i - 1].at <= sa[i].at);
    }
    REQUIRE(sa.size() != sc.size());
}

TEST_CASE("nemesis: every crash is followed by a restart and every partition by a heal", "[sim][nemesis]") {
    Rng r(7);
    auto s = nemesis_schedule(five_nodes(), r, 5);
    std::map<std::string, int> kinds;
    std::set<NodeId> down;
    bool partitioned = false;
    for (const auto& f : s) {
        kinds[std::string(kind_name(f.fault))]++;
        REQUIRE(f.at <= Instant::zero() + seconds(60));
        if (auto* c = std::get_if<Crash>(&f.fault)) REQUIRE(down.insert(c->node).second);
        if (auto* rs = std::get_if<Restart>(&f.fault)) REQUIRE(down.erase(rs->node) == 1);
        if (std::holds_alternative<PartitionNetwork>(f.fault)) {
            REQUIRE_FALSE(partitioned);
            partitioned = true;
        }
        if (std::holds_alternative<Heal>(f.fault)) partitioned = false;
    }
    REQUIRE(down.empty());
    REQUIRE_FALSE(partitioned);
    for (const char* k : {"crash", "restart", "pause", "partition", "heal", "link", "disk"}) {
        INFO(k);
        REQUIRE(kinds[k] > 0);
    }
}

TEST_CASE("nemesis: swarm mode varies the fault mix across seeds", "[sim][nemesis]") {
    std::set<std::set<std::string>> mixes;
    for (uint64_t seed = 0; seed < 30; ++seed) {
        NemesisOptions o = five_nodes();
        o.swarm = true;
        Rng r(seed);
        std::set<std::string> mix;
        for (const auto& f : nemesis_schedule(o, r, 5)) mix.insert(std::string(kind_name(f.fault)));
        mixes.insert(mix);
    }
    REQUIRE(mixes.size() > 5);
}

TEST_CASE("nemesis: clock faults stay within their bounds, and a zero jump bound leaves drift only",
          "[sim][nemesis]") {
    // Method: clock faults only, many episodes; every jump within +-clock_jump_max, every drift
    // within +-clock_drift_ppm_max. Then the same with clock_jump_max = 0: drifts, no jumps
    // (what a sweep of Raft's lease reads needs to stay inside its drift bound).
    NemesisOptions o = five_nodes();
    o.families = {"clock"};
    o.clock_jump_max = milliseconds(30);
    o.clock_drift_ppm_max = 200;
    Rng r(3);
    std::size_t jumps = 0, drifts = 0;
    for (const auto& f : nemesis_schedule(o, r, 5)) {
        if (const auto* j = std::get_if<ClockJump>(&f.fault)) {
            ++jumps;
            REQUIRE(j->delta <= milliseconds(30));
            REQUIRE(j->delta >= milliseconds(-30));
        }
        if (const auto* d = std::get_if<ClockDrift>(&f.fault)) {
            ++drifts;
            REQUIRE(std::abs(d->ppm) <= 200);
        }
    }
    REQUIRE(jumps > 10);
    REQUIRE(drifts > 10);

    o.clock_jump_max = Duration::zero();
    Rng r2(3);
    jumps = drifts = 0;
    for (const auto& f : nemesis_schedule(o, r2, 5)) {
        jumps += std::holds_alternative<ClockJump>(f.fault);
        drifts += std::holds_alternative<ClockDrift>(f.fault);
    }
    REQUIRE(jumps == 0);
    REQUIRE(drifts > 20);
}

TEST_CASE("nemesis: aims draw like targets, come out apart, and put the stand-in on the minority side",
          "[sim][nemesis][aim]") {
    // Method: the same options with and without one aim. Without, nemesis_plan equals
    // nemesis_schedule (stored seeds keep their schedules). With one node target and one aim,
    // about half the episodes are aimed; each aimed episode names only its stand-in (the first
    // of the cluster), and every aimed partition has the stand-in on its isolated or minority side.
    NemesisOptions plain = five_nodes();
    Rng a(11), b(11);
    const FaultSchedule schedule = nemesis_schedule(plain, a, 5);
    const NemesisPlan plan = nemesis_plan(plain, b, 5);
    REQUIRE(plan.aimed.empty());
    REQUIRE(plan.faults.size() == schedule.size());
    for (std::size_t i = 0; i < schedule.size(); ++i) REQUIRE(describe(plan.faults[i].fault, {}) == describe(schedule[i].fault, {}));

    NemesisOptions aimed = five_nodes();
    aimed.targets = {4};
    aimed.aims = {"leader"};
    aimed.cluster = {0, 1, 2, 3, 4};
    aimed.families = {"crash", "partition", "clock"};
    Rng c(11);
    const NemesisPlan p = nemesis_plan(aimed, c, 5);
    REQUIRE(p.aimed.size() > 20);
    REQUIRE(p.faults.size() > 20);
    std::size_t partitions = 0;
    for (const AimedEpisode& e : p.aimed) {
        REQUIRE(e.aim == "leader");
        REQUIRE(e.stand_in == 0);
        REQUIRE_FALSE(e.faults.empty());
        REQUIRE(e.faults.front().at >= aimed.start);
        for (const ScheduledFault& f : e.faults) {
            if (const auto* crash = std::get_if<Crash>(&f.fault)) REQUIRE(crash->node == 0);
            if (const auto* jump = std::get_if<ClockJump>(&f.fault)) REQUIRE(jump->node == 0);
            if (const auto* part = std::get_if<PartitionNetwork>(&f.fault)) {
                ++partitions;
                // The stand-in is never the bridge (which reaches all five): it reaches a bare
                // majority at most (a majorities ring gives everyone one), and where the shape is
                // clean groups, its group is a minority.
                int reached = 0;
                for (NodeId other = 0; other < 5; ++other) reached += !part->partition.cut(0, other);
                REQUIRE(reached <= 3);
                for (const auto& group : part->partition.as_groups())
                    if (std::find(group.begin(), group.end(), NodeId{0}) != group.end()) REQUIRE(group.size() <= 2);
            }
        }
    }
    REQUIRE(partitions > 5);
    // Plain episodes go to the one node target only.
    for (const ScheduledFault& f : p.faults)
        if (const auto* crash = std::get_if<Crash>(&f.fault)) REQUIRE(crash->node == 4);
}

TEST_CASE("faults: with_nodes_swapped moves every kind's nodes and leaves the rest", "[sim][nemesis][aim]") {
    REQUIRE(std::get<Crash>(with_nodes_swapped(Crash{1}, 1, 3)).node == 3);
    REQUIRE(std::get<Restart>(with_nodes_swapped(Restart{3}, 1, 3)).node == 1);
    REQUIRE(std::get<Pause>(with_nodes_swapped(Pause{2, milliseconds(5)}, 1, 3)).node == 2);
    REQUIRE(std::get<ClockJump>(with_nodes_swapped(ClockJump{1, milliseconds(7)}, 1, 0)).node == 0);
    REQUIRE(std::get<ClockDrift>(with_nodes_swapped(ClockDrift{0, 10.0}, 1, 0)).node == 1);
    REQUIRE(std::get<DiskFaultProfile>(with_nodes_swapped(DiskFaultProfile{1, {}}, 1, 2)).node == 2);
    const auto link = std::get<LinkChange>(with_nodes_swapped(LinkChange{LinkConfig{}, NodeId{1}, NodeId{2}}, 1, 4));
    REQUIRE(*link.from == 4);
    REQUIRE(*link.to == 2);
    const auto isolated = std::get<PartitionNetwork>(with_nodes_swapped(PartitionNetwork{Partition::isolate(5, 0)}, 0, 3));
    REQUIRE(isolated.partition == Partition::isolate(5, 3));
    const auto split = Partition::majority_minority(5, {0, 1, 2, 3, 4});  // {0,1} | {2,3,4}
    REQUIRE(split.with_swapped(0, 4) == Partition::majority_minority(5, {4, 1, 2, 3, 0}));
    REQUIRE(std::holds_alternative<Heal>(with_nodes_swapped(Heal{}, 0, 1)));
}
