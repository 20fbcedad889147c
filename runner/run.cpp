// Sections: [faults] [world] (the checks: runner/checkers/; the expectations: expectations.cpp).
#include "runner/run.h"

#include "protocols/kv/workload.h"
#include "protocols/plugin/registry.h"
#include "runner/expectations.h"
#include "sim/assertion_failure.h"
#include "check/check_assert.h"
#include "sim/faults/fault_kind.h"
#include "sim/faults/nemesis.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <typeinfo>

#include <cxxabi.h>

#ifndef FAULTLINE_BUILD_ID
#define FAULTLINE_BUILD_ID "unknown"
#endif

namespace faultline::runner {

std::string build_id() { return FAULTLINE_BUILD_ID; }

namespace {

// The dynamic type of an exception, demangled ("std::out_of_range").
std::string exception_type_name(const std::exception& e) {
    int status = 0;
    char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
    std::string out = status == 0 && name != nullptr ? name : typeid(e).name();
    std::free(name);
    return out;
}

Instant at_ms(double ms) { return Instant::zero() + nanoseconds(static_cast<int64_t>(std::llround(ms * 1e6))); }
Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }

LinkConfig to_link(const LinkSpec& s) { return link_config(s); }

// ============================================================================================
// [faults]
// ============================================================================================

// The scripted faults as the kernel's typed faults, each kind made by its entry in the fault
// kind table (and undone at until_ms when it has one).
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

// The end of the fault window: when the last scripted fault or nemesis episode ends.
double fault_window_end_ms(const scenario::Scenario& s) {
    double end = 0;
    for (const auto& f : s.faults) end = std::max(end, f.at_ms + scenario::fault_length_ms(f));
    if (s.nemesis.enabled) end = std::max(end, s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
    return end;
}

// ============================================================================================
// [world]
// ============================================================================================

// The client history's process id of the liveness probe (not part of the workload's figures).
constexpr int64_t probe_process = 99'999;

kv::WorkloadOptions workload_options(const scenario::Workload& w) {
    kv::WorkloadOptions wl;
    wl.ops_per_client = w.ops_per_client;
    wl.think_time_mean = ms(w.think_time_ms);
    wl.start_delay = ms(w.start_delay_ms);
    wl.key_count = w.keys;
    wl.key_distribution = w.key_distribution == "zipfian" ? kv::KeyDistribution::zipfian : kv::KeyDistribution::uniform;
    wl.zipf_exponent = w.zipf_exponent;
    wl.get_weight = w.get;
    wl.put_weight = w.put;
    wl.append_weight = w.append;
    wl.cas_weight = w.cas;
    return wl;
}

// Clients c1..cK, each one workload fiber (one Jepsen process per client incarnation).
void add_clients(World& world, const scenario::Scenario& s, const plugin::BuiltSystem& built, kv::HistoryRecorder& rec) {
    const kv::WorkloadOptions wl = workload_options(s.workload);
    const plugin::ClientSettings cs{ms(s.workload.timeout_ms), s.workload.attempts_max};
    kv::HistoryRecorder* recorder = &rec;
    auto make_client = built.make_client;
    for (int i = 1; i <= s.workload.clients; ++i) {
        world.add_node(fmt::format("c{}", i), fiber_process([make_client, cs, wl, recorder](Context& ctx) {
            auto client = make_client(ctx, cs);
            kv::run_workload(ctx, *client, *recorder, ctx.id() * 100 + ctx.incarnation(), wl);
        }));
    }
}

// Liveness probe: after the heal, write until one write succeeds; remember when.
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

// The nemesis's schedule for this run, drawn from its own stream.
faults::FaultSchedule nemesis_faults(const scenario::Scenario& s, World& world, const plugin::BuiltSystem& built,
                                     const WorldOptions& wo) {
    faults::NemesisOptions n;
    for (const auto& t : s.nemesis.targets) n.targets.push_back(world.node_id(t));
    if (n.targets.empty()) n.targets = built.servers;
    n.start = at_ms(s.nemesis.start_ms);
    n.end = at_ms(s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
    n.mean_interval = ms(s.nemesis.interval_ms);
    n.mean_duration = ms(s.nemesis.episode_ms);
    n.families = s.nemesis.kinds;
    n.swarm = s.nemesis.swarm;
    n.clock_jump_max = milliseconds(s.nemesis.clock_jump_ms_max);
    n.clock_drift_ppm_max = s.nemesis.clock_drift_ppm_max;
    n.base_link = wo.network;
    Rng rng = world.stream("nemesis");
    return faults::nemesis_schedule(n, rng, world.node_count());
}

// The liveness phase's heal: everything back to normal at heal_at.
void schedule_heal(World& world, const std::vector<NodeId>& servers, const LinkConfig& base, Instant heal_at) {
    world.at(heal_at, [servers, base](World& w) {
        w.note("liveness phase: heal everything");
        w.heal();
        w.clear_link_overrides();
        w.set_default_link(base);
        for (NodeId id : servers) {
            w.restart(id);
            if (w.clock(id).drift_ppm() != 0) w.set_clock_drift(id, 0.0);
            w.set_disk_faults(id, DiskFaults{});
        }
    });
}

// Every checker that runs on this system, then the protocol's figures, then the expectations.
void run_checks(const SystemRun& run, SystemOutcome& out) {
    for (const CheckerEntry& c : checkers()) {
        if (!scenario::checker_runs(c.spec, run.protocol.spec, run.scenario)) continue;
        CheckOutcome outcome = c.check(run);
        outcome.checker = c.spec.name;
        for (const auto& [name, value] : outcome.figures) out.figures[name] = value;
        out.checks.push_back(std::move(outcome));
    }
    if (run.built.figures) {
        const plugin::FigureInputs in{run.cluster, run.built.servers, run.ops, run.served_by, run.partitions};
        for (const auto& [name, value] : run.built.figures(in)) out.figures[name] = value;
    }
    evaluate_expectations(run.scenario, run.protocol.spec, out);
}

// The [checkers] options of every checker, with their defaults.
std::vector<scenario::OptionSpec> checker_option_specs() {
    std::vector<scenario::OptionSpec> out;
    for (const CheckerEntry& c : checkers()) out.insert(out.end(), c.spec.options.begin(), c.spec.options.end());
    return out;
}

// One system's run in `world`, filling `out`; throws when an assertion fails or protocol code
// throws (run_system catches it). `recorder` is the client history, kept for a failed run too.
void run_system_in(World& world, kv::HistoryRecorder& recorder, const scenario::Scenario& s,
                   const scenario::System& sys, const RunOptions& ro, const WorldOptions& wo, SystemOutcome& out) {
    const plugin::ProtocolEntry* protocol = plugin::find_protocol(sys.protocol);
    FL_ASSERT(protocol != nullptr, "protocol '{}' passed validation but is not registered", sys.protocol);
    const plugin::BuiltSystem built = protocol->build(world, s.nodes, plugin::Options(protocol->spec.options, sys.options));
    FL_ASSERT(built.make_client != nullptr, "protocol {} built no client", sys.protocol);
    for (const auto& o : s.network.overrides) {
        world.set_link(world.node_id(o.from), world.node_id(o.to), to_link(o.link));
        if (o.both_ways) world.set_link(world.node_id(o.to), world.node_id(o.from), to_link(o.link));
    }
    add_clients(world, s, built, recorder);
    const Instant heal_at = at_ms(s.liveness.heal_at_ms.value_or(fault_window_end_ms(s)));
    auto progress = std::make_shared<std::optional<Instant>>();
    if (s.liveness.enabled) {
        out.heal_at = heal_at;
        add_probe(world, s, built, recorder, heal_at, progress);
    }

    const plugin::ClusterView cluster(world);
    if (built.invariants) built.invariants->attach(cluster);
    plugin::PartitionTimeline partitions;
    world.trace().add_observer([&partitions, &world](const TraceEvent& e, const Trace&) {
        if (e.kind == EventKind::partition || e.kind == EventKind::heal) partitions.record(e.time, world.partition());
    });

    // Faults: scripted, then the nemesis, then (liveness) the heal; same-time order is this order.
    faults::FaultSchedule schedule = scripted_faults(s, world);
    if (s.nemesis.enabled) {
        faults::FaultSchedule drawn = nemesis_faults(s, world, built, wo);
        schedule.insert(schedule.end(), drawn.begin(), drawn.end());
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& f : schedule) out.faults.emplace_back(f.at, faults::describe(f.fault, world.node_names()));
    faults::schedule(world, schedule);
    if (s.liveness.enabled) schedule_heal(world, built.servers, wo.network, heal_at);

    Instant end = at_ms(s.duration_ms);
    if (s.liveness.enabled) end = std::max(end, heal_at + ms(s.liveness.within_ms));
    if (ro.until) end = std::min(end, *ro.until);
    world.run_until(end);

    auto paired = check::pair_operations(recorder.history());
    FL_ASSERT(paired.ok(), "the recorded history does not pair up");
    std::vector<check::Operation> ops;
    for (const check::Operation& op : paired.value())
        if (op.process != probe_process) ops.push_back(op);
    if (s.liveness.enabled) out.first_progress_after_heal = *progress;
    const std::vector<scenario::OptionSpec> option_specs = checker_option_specs();
    const plugin::Options checker_options(option_specs, s.checkers.options);
    const SystemRun run{s, sys, *protocol, built, cluster, recorder.history(), ops, recorder.served_by(), partitions,
                        schedule, out.heal_at, out.first_progress_after_heal, checker_options};
    run_checks(run, out);
}

SystemOutcome run_system(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& ro) {
    WorldOptions wo;
    wo.seed = ro.seed;
    wo.trace_level = ro.trace_level;
    wo.network = to_link(s.network.link);
    World world(wo);
    kv::HistoryRecorder recorder([&world] { return world.now().ns(); });
    SystemOutcome out;
    out.system = sys.name;
    out.protocol = sys.protocol;
    std::optional<RunError> error;
    try {
        run_system_in(world, recorder, s, sys, ro, wo, out);
    } catch (const AssertionFailure& f) {
        error = RunError{.kind = "assertion", .file = f.file, .line = f.line, .condition = f.condition,
                         .message = f.message, .context = f.context};
    } catch (const check::CheckerAssertionFailure& f) {
        error = RunError{.kind = "checker_assertion", .file = source_relative(f.file.c_str()), .line = f.line,
                         .condition = f.condition, .message = f.message};
    } catch (const std::exception& e) {
        error = RunError{.kind = "exception", .condition = exception_type_name(e), .message = e.what()};
    }
    if (error) {
        // What the run did up to the failure: its trace, history and (partial) figures stay; the
        // checks and expectations did not run.
        error->event = world.trace().size();
        error->time = world.now();
        if (error->context.empty())
            error->context = fmt::format("  run: seed {} after {} trace events (true time {})\n", ro.seed, error->event,
                                         to_string(error->time));
        out.error = std::move(error);
        out.expectations_met = false;
        out.expectations.clear();
        out.checks.clear();
        out.figures.clear();
    }
    out.trace_hash = world.trace_hash();
    out.event_count = world.trace().size();
    out.end = world.now();
    out.history = recorder.history();
    out.served_by = recorder.served_by();
    out.node_names = world.node_names();
    out.names = world.trace().names();
    if (ro.keep_trace) out.trace = world.trace().events();
    return out;
}

}  // namespace

std::string RunError::describe() const {
    if (kind == "exception") return fmt::format("exception {}: {}", condition, message);
    return fmt::format("{} failed at {}:{}: {} ({})", kind == "assertion" ? "assertion" : "checker assertion", file, line,
                       message, condition);
}

std::string RunError::signature() const {
    if (kind == "exception") return fmt::format("exception {}: {}", condition, message);
    return fmt::format("{} {}:{}", kind == "assertion" ? "assertion" : "checker assertion", file, line);
}

const CheckOutcome* SystemOutcome::check(std::string_view checker) const {
    for (const CheckOutcome& c : checks)
        if (c.checker == checker) return &c;
    return nullptr;
}

std::string SystemOutcome::verdict(std::string_view name) const {
    for (const CheckOutcome& c : checks)
        for (const auto& [verdict, value] : c.verdicts)
            if (verdict == name) return value;
    return "skipped";
}

bool RunOutcome::internal_error() const {
    return std::any_of(systems.begin(), systems.end(), [](const SystemOutcome& o) { return o.error.has_value(); });
}

RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& ro) {
    FL_ASSERT(!s.systems.empty(), "a validated scenario has at least one system");
    // From here on a failed assertion throws, and run_system turns it into SystemOutcome::error.
    ContainAssertions contain;
    check::ContainCheckerAssertions contain_checker;
    RunOutcome out;
    out.scenario = s.name;
    out.seed = ro.seed;
    for (const auto& sys : s.systems) {
        out.systems.push_back(run_system(s, sys, ro));
        if (!out.systems.back().expectations_met) out.expectations_met = false;
    }
    return out;
}

}  // namespace faultline::runner
