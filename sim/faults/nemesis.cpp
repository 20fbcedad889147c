#include "sim/faults/nemesis.h"

#include "sim/assert.h"

#include <algorithm>

namespace faultline::faults {

namespace {
enum class Kind { crash, pause, partition, clock, link, disk };

Duration draw_duration(Rng& rng, Duration mean) {
    auto ns = static_cast<int64_t>(rng.exponential(static_cast<double>(mean.ns())));
    return nanoseconds(std::max<int64_t>(ns, mean.ns() / 10));
}

Partition draw_partition(Rng& rng, const std::vector<NodeId>& targets, std::size_t n) {
    std::vector<NodeId> order = targets;
    rng.shuffle(order);
    switch (rng.below(order.size() >= 3 ? 5 : 2)) {
        case 0: return Partition::isolate(n, order[0]);
        case 1: return Partition::one_way(n, order[0], order[order.size() - 1]);
        case 2: return Partition::majority_minority(n, order);
        case 3: return Partition::bridge(n, order);
        default: return Partition::majorities_ring(n, order);
    }
}
}  // namespace

FaultSchedule nemesis_schedule(const NemesisOptions& o, Rng& rng, std::size_t node_count) {
    FL_ASSERT(!o.targets.empty(), "a nemesis needs target nodes");
    FL_ASSERT(o.start <= o.end, "nemesis window ends before it starts");
    FL_ASSERT(o.clock_jump_max >= Duration::zero() && o.clock_drift_ppm_max >= 0, "clock fault bounds are magnitudes");
    FL_ASSERT(!o.clock || o.clock_jump_max > Duration::zero() || o.clock_drift_ppm_max > 0,
              "clock faults with neither jumps nor drift: leave the clock kind out instead");
    FL_ASSERT(o.clock_drift_ppm_max < 1e6, "a drift of {} ppm would stop or reverse a clock", o.clock_drift_ppm_max);
    std::vector<Kind> kinds;
    auto maybe = [&](bool allowed, Kind k) {
        // In swarm mode each allowed kind is kept with probability 1/2 (at least one survives).
        bool keep = allowed && (!o.swarm || rng.bernoulli(0.5));
        if (keep) kinds.push_back(k);
    };
    maybe(o.crash, Kind::crash);
    maybe(o.pause, Kind::pause);
    maybe(o.partition, Kind::partition);
    maybe(o.clock, Kind::clock);
    maybe(o.link, Kind::link);
    maybe(o.disk, Kind::disk);
    if (kinds.empty() && o.swarm) {
        if (o.partition) kinds.push_back(Kind::partition);
        else if (o.crash) kinds.push_back(Kind::crash);
    }
    FaultSchedule out;
    if (kinds.empty()) return out;

    // One episode at a time per kind family keeps undo pairs from interleaving wrongly: a node
    // is restarted only if this nemesis crashed it, and a heal ends only its own partition.
    std::vector<Instant> busy_until(node_count, o.start);
    Instant partition_free = o.start;
    Instant link_free = o.start;
    Instant t = o.start;
    std::size_t guard = 0;
    while (true) {
        t = t + draw_duration(rng, o.mean_interval);
        if (t >= o.end) break;
        FL_ASSERT(++guard < 1'000'000, "nemesis drew too many episodes");
        Kind k = kinds[rng.below(kinds.size())];
        NodeId target = o.targets[rng.below(o.targets.size())];
        Duration d = draw_duration(rng, o.mean_duration);
        Instant stop = std::min(t + d, o.end);
        switch (k) {
            case Kind::crash:
                if (busy_until[target] > t) break;
                out.push_back({t, Crash{target}});
                out.push_back({stop, Restart{target}});
                busy_until[target] = stop;
                break;
            case Kind::pause:
                if (busy_until[target] > t) break;
                out.push_back({t, Pause{target, stop - t}});
                busy_until[target] = stop;
                break;
            case Kind::partition:
                if (partition_free > t) break;
                out.push_back({t, PartitionNetwork{draw_partition(rng, o.targets, node_count)}});
                out.push_back({stop, Heal{}});
                partition_free = stop;
                break;
            case Kind::clock: {
                // With both kinds allowed, a fair coin picks one (the draw order of the
                // defaults is pinned: existing seeds keep their schedules).
                const int64_t jump_ms_max = o.clock_jump_max.ns() / 1'000'000;
                const bool jump = jump_ms_max > 0 && (o.clock_drift_ppm_max <= 0 || rng.bernoulli(0.5));
                if (jump) {
                    out.push_back({t, ClockJump{target, milliseconds(rng.uniform_int(-jump_ms_max, jump_ms_max))}});
                } else {
                    double ppm = o.clock_drift_ppm_max;
                    out.push_back({t, ClockDrift{target, rng.uniform_real(-ppm, ppm)}});
                    out.push_back({stop, ClockDrift{target, 0.0}});
                }
                break;
            }
            case Kind::link: {
                if (link_free > t) break;
                LinkConfig bad = o.base_link;
                bad.loss = rng.uniform_real(0.0, 0.3);
                bad.duplicate = rng.uniform_real(0.0, 0.2);
                bad.reorder = rng.uniform_real(0.0, 0.5);
                out.push_back({t, LinkChange{bad, std::nullopt, std::nullopt}});
                out.push_back({stop, LinkChange{o.base_link, std::nullopt, std::nullopt}});
                link_free = stop;
                break;
            }
            case Kind::disk: {
                DiskFaults df;
                df.lost_sync_probability = rng.uniform_real(0.0, 0.2);
                df.torn_write_probability = rng.uniform_real(0.0, 0.5);
                df.corrupt_probability = rng.uniform_real(0.0, 0.2);
                df.sync_latency = milliseconds(rng.uniform_int(0, 20));
                out.push_back({t, DiskFaultProfile{target, df}});
                out.push_back({stop, DiskFaultProfile{target, DiskFaults{}}});
                break;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

}  // namespace faultline::faults
