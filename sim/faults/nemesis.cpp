// The nemesis (nemesis.h). Each family is one row of the table below: its name, what it does, the
// fault kinds it uses, and how it draws one episode. The draw order of everything (the swarm's
// coin per family in table order, then per episode: start, family, target, length, and the
// family's own draws) is pinned: every stored seed's schedule depends on it.
#include "sim/faults/nemesis.h"

#include "sim/assert.h"

#include <algorithm>
#include <functional>

namespace faultline::faults {

namespace {

// The shortest draw: a tenth of the mean, and never nothing (a time that did not move would
// draw forever).
Duration shortest_draw(Duration mean) { return nanoseconds(std::max<int64_t>(mean.ns() / 10, 1)); }

Duration draw_duration(Rng& rng, Duration mean) {
    auto ns = static_cast<int64_t>(rng.exponential(static_cast<double>(mean.ns())));
    return std::max(nanoseconds(ns), shortest_draw(mean));
}

// `stand_in`, when set, is moved to the front after the shuffle: onto the isolated or minority
// side of every shape (partition.h), where an aimed episode wants the node it aims at.
Partition draw_partition(Rng& rng, const std::vector<NodeId>& targets, std::size_t n, NodeId stand_in) {
    std::vector<NodeId> order = targets;
    rng.shuffle(order);
    if (stand_in != no_node) std::iter_swap(order.begin(), std::find(order.begin(), order.end(), stand_in));
    switch (rng.below(order.size() >= 3 ? 5 : 2)) {
        case 0: return Partition::isolate(n, order[0]);
        case 1: return Partition::one_way(n, order[0], order[order.size() - 1]);
        case 2: return Partition::majority_minority(n, order);
        case 3: return Partition::bridge(n, order);
        default: return Partition::majorities_ring(n, order);
    }
}

// One episode in the making: where and when, and what the families share. One episode at a time
// per node (crash, pause) or per family (partition, link) keeps undo pairs from interleaving
// wrongly: a node is restarted only if this nemesis crashed it, and a heal ends only its own
// partition.
struct Episode {
    const NemesisOptions& o;
    Rng& rng;
    std::size_t node_count;
    NodeId target;
    std::size_t slot;  // index of busy_until: the target, or past the nodes, the aim
    bool aimed;
    Instant t;
    Instant stop;
    std::vector<Instant>& busy_until;  // per node
    Instant& partition_free;
    Instant& link_free;
    FaultSchedule& out;
};

void draw_crash(Episode& e) {
    if (e.busy_until[e.slot] > e.t) return;
    e.out.push_back({e.t, Crash{e.target}});
    e.out.push_back({e.stop, Restart{e.target}});
    e.busy_until[e.slot] = e.stop;
}

void draw_pause(Episode& e) {
    if (e.busy_until[e.slot] > e.t) return;
    e.out.push_back({e.t, Pause{e.target, e.stop - e.t}});
    e.busy_until[e.slot] = e.stop;
}

void draw_partition_episode(Episode& e) {
    if (e.partition_free > e.t) return;
    const std::vector<NodeId>& nodes = e.aimed ? e.o.cluster : e.o.targets;
    e.out.push_back({e.t, PartitionNetwork{draw_partition(e.rng, nodes, e.node_count, e.aimed ? e.target : no_node)}});
    e.out.push_back({e.stop, Heal{}});
    e.partition_free = e.stop;
}

void draw_clock(Episode& e) {
    // With both kinds allowed, a fair coin picks one (the draw order of the defaults is pinned:
    // existing seeds keep their schedules).
    const int64_t jump_ms_max = e.o.clock_jump_max.ns() / 1'000'000;
    const bool jump = jump_ms_max > 0 && (e.o.clock_drift_ppm_max <= 0 || e.rng.bernoulli(0.5));
    if (jump) {
        e.out.push_back({e.t, ClockJump{e.target, milliseconds(e.rng.uniform_int(-jump_ms_max, jump_ms_max))}});
        return;
    }
    const double ppm = e.o.clock_drift_ppm_max;
    e.out.push_back({e.t, ClockDrift{e.target, e.rng.uniform_real(-ppm, ppm)}});
    e.out.push_back({e.stop, ClockDrift{e.target, 0.0}});
}

void draw_link(Episode& e) {
    if (e.link_free > e.t) return;
    LinkConfig bad = e.o.base_link;
    bad.loss = e.rng.uniform_real(0.0, 0.3);
    bad.duplicate = e.rng.uniform_real(0.0, 0.2);
    bad.reorder = e.rng.uniform_real(0.0, 0.5);
    e.out.push_back({e.t, LinkChange{bad, std::nullopt, std::nullopt}});
    e.out.push_back({e.stop, LinkChange{e.o.base_link, std::nullopt, std::nullopt}});
    e.link_free = e.stop;
}

void draw_disk(Episode& e) {
    DiskFaults df;
    df.lost_sync_probability = e.rng.uniform_real(0.0, 0.2);
    df.torn_write_probability = e.rng.uniform_real(0.0, 0.5);
    df.corrupt_probability = e.rng.uniform_real(0.0, 0.2);
    df.sync_latency = milliseconds(e.rng.uniform_int(0, 20));
    e.out.push_back({e.t, DiskFaultProfile{e.target, df}});
    e.out.push_back({e.stop, DiskFaultProfile{e.target, DiskFaults{}}});
}

struct FamilyRow {
    NemesisFamily family;
    std::function<void(Episode&)> draw;
};

const std::vector<FamilyRow>& family_rows() {
    static const std::vector<FamilyRow> rows{
        {{"crash", "crash a target, restart it at the episode's end", {"crash", "restart"}}, draw_crash},
        {{"pause", "pause a target for the episode", {"pause"}}, draw_pause},
        {{"partition", "a random shape around the targets, healed at the episode's end", {"partition", "heal"}},
         draw_partition_episode},
        {{"clock", "a clock jump, or a drift until the episode's end, on a target", {"clock_jump", "clock_drift"}}, draw_clock},
        {{"link", "bursts of loss, duplication and reordering on every link", {"link"}}, draw_link},
        {{"disk", "a disk fault profile (lost fsyncs, torn writes, corruption, slow syncs) on a target", {"disk"}}, draw_disk},
    };
    return rows;
}

}  // namespace

const std::vector<NemesisFamily>& nemesis_families() {
    static const std::vector<NemesisFamily> all = [] {
        std::vector<NemesisFamily> out;
        for (const FamilyRow& r : family_rows()) out.push_back(r.family);
        return out;
    }();
    return all;
}

FaultSchedule nemesis_schedule(const NemesisOptions& o, Rng& rng, std::size_t node_count) {
    FL_ASSERT(o.aims.empty(), "an aimed nemesis has a plan, not a schedule");
    return nemesis_plan(o, rng, node_count).faults;
}

NemesisPlan nemesis_plan(const NemesisOptions& o, Rng& rng, std::size_t node_count) {
    FL_ASSERT(!o.targets.empty() || !o.aims.empty(), "a nemesis needs target nodes or roles");
    FL_ASSERT(o.aims.empty() || !o.cluster.empty(), "an aimed nemesis needs the cluster's nodes");
    FL_ASSERT(o.start <= o.end, "nemesis window ends before it starts");
    FL_ASSERT(o.mean_interval >= nanoseconds(1), "a nemesis needs a mean interval of at least 1 ns");
    FL_ASSERT((o.end - o.start).ns() / o.mean_interval.ns() <= nemesis_episodes_max,
              "the nemesis would expect {} episodes, over its limit {}: the parser must refuse this",
              (o.end - o.start).ns() / o.mean_interval.ns(), nemesis_episodes_max);
    FL_ASSERT(o.clock_jump_max >= Duration::zero() && o.clock_drift_ppm_max >= 0, "clock fault bounds are magnitudes");
    const auto allowed = [&](std::string_view name) {
        return std::find(o.families.begin(), o.families.end(), name) != o.families.end();
    };
    FL_ASSERT(!allowed("clock") || o.clock_jump_max > Duration::zero() || o.clock_drift_ppm_max > 0,
              "clock faults with neither jumps nor drift: leave the clock kind out instead");
    FL_ASSERT(o.clock_drift_ppm_max < 1e6, "a drift of {} ppm would stop or reverse a clock", o.clock_drift_ppm_max);
    for (const std::string& name : o.families)
        FL_ASSERT(std::any_of(family_rows().begin(), family_rows().end(), [&](const FamilyRow& r) { return r.family.name == name; }),
                  "unknown nemesis family '{}'", name);

    // In swarm mode each allowed family is kept with probability 1/2 (at least one survives).
    std::vector<const FamilyRow*> kinds;
    for (const FamilyRow& r : family_rows()) {
        const bool keep = allowed(r.family.name) && (!o.swarm || rng.bernoulli(0.5));
        if (keep) kinds.push_back(&r);
    }
    if (kinds.empty() && o.swarm) {
        for (std::string_view fallback : {"partition", "crash"}) {
            if (!allowed(fallback)) continue;
            for (const FamilyRow& r : family_rows())
                if (r.family.name == fallback) kinds.push_back(&r);
            break;
        }
    }
    NemesisPlan plan;
    if (kinds.empty()) return plan;

    std::vector<Instant> busy_until(node_count + o.aims.size(), o.start);
    Instant partition_free = o.start;
    Instant link_free = o.start;
    Instant t = o.start;
    // Every draw moves t by at least shortest_draw, so the loop ends within this many.
    const int64_t draws_max = (o.end - o.start).ns() / shortest_draw(o.mean_interval).ns() + 1;
    int64_t draws = 0;
    while (true) {
        t = t + draw_duration(rng, o.mean_interval);
        if (t >= o.end) break;
        FL_ASSERT(++draws <= draws_max, "nemesis drew {} episodes, more than its window allows", draws);
        const FamilyRow& family = *kinds[rng.below(kinds.size())];
        // Without aims this is the draw of every earlier build.
        const std::size_t pick = rng.below(o.targets.size() + o.aims.size());
        const bool aimed = pick >= o.targets.size();
        const NodeId target = aimed ? o.cluster.front() : o.targets[pick];
        const std::size_t slot = aimed ? node_count + (pick - o.targets.size()) : target;
        const Duration d = draw_duration(rng, o.mean_duration);
        FaultSchedule episode;
        Episode e{o, rng, node_count, target, slot, aimed, t, std::min(t + d, o.end), busy_until, partition_free, link_free,
                  aimed ? episode : plan.faults};
        family.draw(e);
        if (aimed && !episode.empty())
            plan.aimed.push_back({o.aims[pick - o.targets.size()], target, std::move(episode)});
    }
    const auto by_time = [](const auto& a, const auto& b) { return a.at < b.at; };
    std::stable_sort(plan.faults.begin(), plan.faults.end(), by_time);
    for (AimedEpisode& a : plan.aimed) std::stable_sort(a.faults.begin(), a.faults.end(), by_time);
    return plan;
}

}  // namespace faultline::faults
