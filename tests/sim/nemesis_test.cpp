// The nemesis draws a fault schedule from the seed, pairs every disruption with its undoing,
// and (in swarm mode) varies the fault mix between seeds.
#include "sim/faults/nemesis.h"

#include <catch2/catch.hpp>

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
