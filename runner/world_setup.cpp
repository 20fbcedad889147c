#include "runner/world_setup.h"

#include "protocols/kv/workload.h"
#include "sim/faults/fault_kind.h"
#include "sim/faults/nemesis.h"

#include <fmt/format.h>

#include <cmath>

namespace faultline::runner::detail {

Instant at_ms(double ms) { return Instant::zero() + nanoseconds(static_cast<int64_t>(std::llround(ms * 1e6))); }
Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }

namespace {

kv::WorkloadOptions workload_options(const scenario::Workload& w) {
    kv::WorkloadOptions wl;
    wl.ops_per_client = w.ops_per_client;
    wl.think_time_mean = ms(w.think_time_ms);
    wl.start_delay = ms(w.start_delay_ms);
    if (w.stop_at_ms) wl.stop_at = Instant::zero() + ms(*w.stop_at_ms);
    wl.key_count = w.keys;
    wl.key_distribution = w.key_distribution == "zipfian" ? kv::KeyDistribution::zipfian : kv::KeyDistribution::uniform;
    wl.zipf_exponent = w.zipf_exponent;
    wl.get_weight = w.get;
    wl.put_weight = w.put;
    wl.append_weight = w.append;
    wl.cas_weight = w.cas;
    wl.incr_weight = w.incr;
    wl.add_weight = w.add;
    wl.remove_weight = w.remove;
    wl.elements = w.elements;
    return wl;
}

}  // namespace

void add_clients(World& world, const scenario::Scenario& s, const plugin::BuiltSystem& built, kv::HistoryRecorder& rec) {
    const kv::WorkloadOptions wl = workload_options(s.workload);
    const plugin::ClientSettings cs{ms(s.workload.timeout_ms), s.workload.attempts_max};
    kv::HistoryRecorder* recorder = &rec;
    auto make_client = built.make_client;
    for (int i = 1; i <= s.workload.clients; ++i) {
        world.add_node(fmt::format("c{}", i), fiber_process([make_client, cs, wl, recorder](Context& ctx) {
            auto client = make_client(ctx, cs);
            // client_of_process (world_setup.h) reads this numbering back.
            kv::run_workload(ctx, *client, *recorder, ctx.id() * 100 + ctx.incarnation(), wl);
        }));
    }
}

void add_probe(World& world, const scenario::Scenario& s, const plugin::BuiltSystem& built, kv::HistoryRecorder& rec,
               Instant heal_at, std::shared_ptr<std::optional<Instant>> progress) {
    const plugin::ClientSettings cs{ms(s.workload.timeout_ms), s.workload.attempts_max};
    kv::HistoryRecorder* recorder = &rec;
    auto make_client = built.make_client;
    World* wp = &world;
    world.add_node("probe", fiber_process([make_client, cs, recorder, heal_at, progress, wp](Context& ctx) {
        if (ctx.incarnation() > 0) return;
        ctx.sleep(heal_at - Instant::zero());  // clients' clocks are not skewed
        auto client = make_client(ctx, cs);
        for (int64_t n = 1; !progress->has_value(); ++n) {
            kv::KvOp op{kv::Function::put, "liveness", fmt::format("probe-{}", n), {}};
            auto r = kv::record_op(ctx, *client, *recorder, probe_process, op);
            if (r.outcome == ClientOutcome::ok) *progress = wp->now();
        }
    }));
}

faults::FaultSchedule scripted_faults(const scenario::Scenario& s, World& w) {
    faults::FaultContext context;
    context.node_id = [&w](std::string_view name) { return w.node_id(name); };
    context.node_count = w.node_count();
    context.servers = s.nodes;
    context.base_link = s.network.link;
    faults::FaultSchedule out;
    for (const scenario::FaultSpec& f : s.faults) {
        const faults::FaultKind* kind = faults::find_fault_kind(f.kind);
        FL_ASSERT(kind != nullptr, "fault kind '{}' passed validation but is not in the table", f.kind);
        out.push_back({at_ms(f.at_ms), kind->make(f.args, context)});
        if (f.until_ms) out.push_back({at_ms(*f.until_ms), kind->undo(f.args, context)});
    }
    return out;
}

faults::NemesisPlan nemesis_plan(const scenario::Scenario& s, World& world, const plugin::BuiltSystem& built) {
    if (!s.nemesis.enabled) return {};
    faults::NemesisOptions n;
    for (const auto& t : s.nemesis.targets) {
        if (auto id = world.find_node(t))
            n.targets.push_back(*id);
        else
            n.aims.push_back(t);  // a role (the parser checked it is one)
    }
    if (n.targets.empty() && n.aims.empty()) n.targets = built.servers;
    n.cluster = built.servers;
    n.start = at_ms(s.nemesis.start_ms);
    n.end = at_ms(s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
    n.mean_interval = ms(s.nemesis.interval_ms);
    n.mean_duration = ms(s.nemesis.episode_ms);
    n.families = s.nemesis.kinds;
    n.swarm = s.nemesis.swarm;
    n.clock_jump_max = milliseconds(s.nemesis.clock_jump_ms_max);
    n.clock_drift_ppm_max = s.nemesis.clock_drift_ppm_max;
    n.base_link = link_config(s.network.link);
    Rng rng = world.stream("nemesis");
    return faults::nemesis_plan(n, rng, world.node_count());
}

void aim_episodes(World& world, const plugin::BuiltSystem& built, const plugin::ClusterView& cluster,
                  std::vector<faults::AimedEpisode> episodes, std::function<void(const faults::ScheduledFault&)> landed) {
    auto rng = std::make_shared<Rng>(world.stream("nemesis.aim"));
    for (faults::AimedEpisode& episode : episodes) {
        const Instant start = episode.faults.front().at;
        world.at(start, [&built, &cluster, landed, rng, episode = std::move(episode)](World& w) {
            std::vector<NodeId> holders;
            if (built.roles) {
                const auto roles = built.roles(cluster);
                if (auto it = roles.find(episode.aim); it != roles.end()) holders = it->second;
            }
            const bool held = !holders.empty();
            if (!held) holders = built.servers;
            const NodeId target = holders[rng->below(holders.size())];
            w.note(fmt::format("nemesis aims at the {}: {}{}", episode.aim, w.node_name(target),
                               held ? "" : fmt::format(" (no {} now: a server drawn at random)", episode.aim)));
            for (const faults::ScheduledFault& f : episode.faults) {
                faults::ScheduledFault moved{f.at, faults::with_nodes_swapped(f.fault, episode.stand_in, target)};
                if (moved.at == w.now())
                    faults::apply(w, moved.fault);
                else
                    faults::schedule(w, {moved});
                landed(moved);
            }
        });
    }
}

double fault_window_end_ms(const scenario::Scenario& s) {
    double end = 0;
    for (const auto& f : s.faults) end = std::max(end, f.at_ms + scenario::fault_length_ms(f));
    if (s.nemesis.enabled) end = std::max(end, s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
    // Buggify sites fire until the heal. With no fault and no nemesis to end the window, they get
    // the nemesis's default one (without it they were quiet from time 0).
    if (s.buggify.enabled && end == 0) end = s.duration_ms * 0.8;
    return end;
}

void schedule_heal(World& world, const std::vector<NodeId>& servers, const LinkConfig& base,
                   std::vector<LinkOverride> overrides, Instant heal_at) {
    world.at(heal_at, [servers, base, overrides = std::move(overrides)](World& w) {
        w.note("liveness phase: heal everything");
        w.quiet_buggify();
        w.heal();
        w.clear_link_overrides();
        w.set_default_link(base);
        for (const LinkOverride& o : overrides) w.set_link(o.from, o.to, o.link);
        for (NodeId id : servers) {
            w.restart(id);
            if (w.clock(id).drift_ppm() != 0) w.set_clock_drift(id, 0.0);
            w.set_disk_faults(id, DiskFaults{});
        }
    });
}

}  // namespace faultline::runner::detail
