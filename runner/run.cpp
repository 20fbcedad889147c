// Sections: [world] [faults] [liveness] [checks] [figures and expectations].
#include "runner/run.h"

#include "protocols/kv/workload.h"
#include "runner/registry.h"
#include "sim/assertion_failure.h"
#include "check/check_assert.h"
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

LinkConfig to_link(const scenario::LinkSpec& s) {
    LinkConfig c;
    if (s.latency == "constant") c.latency = LatencyModel::constant(ms(s.latency_ms));
    else if (s.latency == "uniform") c.latency = LatencyModel::uniform(ms(s.latency_ms), ms(s.latency_ms + s.latency_spread_ms));
    else if (s.latency == "exponential") c.latency = LatencyModel::exponential(ms(s.latency_ms), ms(s.latency_spread_ms));
    else if (s.latency == "normal") c.latency = LatencyModel::normal(ms(s.latency_ms), ms(s.latency_spread_ms));
    else if (s.latency == "long_tail") c.latency = LatencyModel::long_tail(ms(s.latency_ms), s.latency_shape, ms(s.latency_cap_ms));
    else FL_ASSERT(false, "unknown latency model '{}' passed validation", s.latency);
    c.loss = s.loss;
    c.duplicate = s.duplicate;
    c.reorder = s.reorder;
    c.reorder_window = ms(s.reorder_window_ms);
    return c;
}

// ============================================================================================
// [faults]
// ============================================================================================

Partition partition_of(const scenario::FaultSpec& f, World& w) {
    std::size_t n = w.node_count();
    auto ids = [&](const std::vector<std::string>& names) {
        std::vector<NodeId> out;
        for (const auto& name : names) out.push_back(w.node_id(name));
        return out;
    };
    if (!f.sides.empty()) {
        // Nodes named in no side keep every link (clients, infrastructure): cut only between
        // nodes of different sides.
        Partition p(n);
        std::vector<std::vector<NodeId>> sides;
        for (const auto& side : f.sides) sides.push_back(ids(side));
        for (std::size_t a = 0; a < sides.size(); ++a)
            for (std::size_t b = 0; b < sides.size(); ++b)
                if (a != b)
                    for (NodeId x : sides[a])
                        for (NodeId y : sides[b]) p.set_cut(x, y, true);
        return p;
    }
    auto nodes = ids(f.shape_nodes);
    if (f.shape == "isolate") return Partition::isolate(n, nodes.at(0));
    if (f.shape == "one_way") return Partition::one_way(n, nodes.at(0), nodes.at(1));
    if (f.shape == "majority_minority") return Partition::majority_minority(n, nodes);
    if (f.shape == "bridge") return Partition::bridge(n, nodes);
    if (f.shape == "majorities_ring") return Partition::majorities_ring(n, nodes);
    FL_ASSERT(false, "unknown partition shape '{}' passed validation", f.shape);
    return Partition(n);
}

faults::FaultSchedule scripted_faults(const scenario::Scenario& s, World& w) {
    faults::FaultSchedule out;
    LinkConfig base = to_link(s.network.link);
    for (const auto& f : s.faults) {
        Instant at = at_ms(f.at_ms);
        auto node = [&] { return w.node_id(f.node); };
        if (f.kind == "crash") {
            out.push_back({at, faults::Crash{node()}});
            if (f.until_ms) out.push_back({at_ms(*f.until_ms), faults::Restart{node()}});
        } else if (f.kind == "restart") {
            out.push_back({at, faults::Restart{node()}});
        } else if (f.kind == "pause") {
            out.push_back({at, faults::Pause{node(), ms(f.duration_ms)}});
        } else if (f.kind == "partition") {
            out.push_back({at, faults::PartitionNetwork{partition_of(f, w)}});
            if (f.until_ms) out.push_back({at_ms(*f.until_ms), faults::Heal{}});
        } else if (f.kind == "heal") {
            out.push_back({at, faults::Heal{}});
        } else if (f.kind == "clock_jump") {
            out.push_back({at, faults::ClockJump{node(), ms(f.jump_ms)}});
        } else if (f.kind == "clock_drift") {
            out.push_back({at, faults::ClockDrift{node(), f.drift_ppm}});
            if (f.until_ms) out.push_back({at_ms(*f.until_ms), faults::ClockDrift{node(), 0.0}});
        } else if (f.kind == "link") {
            LinkConfig c = f.link ? to_link(*f.link) : base;
            std::optional<NodeId> from, to;
            if (!f.from.empty()) from = w.node_id(f.from);
            if (!f.to.empty()) to = w.node_id(f.to);
            out.push_back({at, faults::LinkChange{c, from, to}});
            if (f.until_ms) {
                if (from && to) out.push_back({at_ms(*f.until_ms), faults::ClearLinkOverrides{}});
                else out.push_back({at_ms(*f.until_ms), faults::LinkChange{base, std::nullopt, std::nullopt}});
            }
        } else if (f.kind == "clear_links") {
            out.push_back({at, faults::ClearLinkOverrides{}});
        } else if (f.kind == "disk") {
            DiskFaults d;
            d.lost_sync_probability = f.lost_sync;
            d.torn_write_probability = f.torn_write;
            d.corrupt_probability = f.corrupt;
            d.sync_latency = ms(f.sync_latency_ms);
            out.push_back({at, faults::DiskFaultProfile{node(), d}});
            if (f.until_ms) out.push_back({at_ms(*f.until_ms), faults::DiskFaultProfile{node(), DiskFaults{}}});
        } else if (f.kind == "corrupt_block") {
            out.push_back({at, faults::CorruptBlock{node()}});
        } else {
            FL_ASSERT(false, "unknown fault kind '{}' passed validation", f.kind);
        }
    }
    return out;
}

// The end of the fault window: when the last scripted fault or nemesis episode ends.
double fault_window_end_ms(const scenario::Scenario& s) {
    double end = 0;
    for (const auto& f : s.faults) end = std::max({end, f.at_ms + f.duration_ms, f.until_ms.value_or(0)});
    if (s.nemesis.enabled) end = std::max(end, s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
    return end;
}

// ============================================================================================
// [checks], [figures and expectations]
// ============================================================================================

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), std::floor(p * static_cast<double>(v.size()))));
    return v[i];
}

void add_expectation(SystemOutcome& o, std::string name, bool met, std::string detail) {
    o.expectations.push_back({std::move(name), met, std::move(detail)});
    if (!met) o.expectations_met = false;
}

void evaluate(const scenario::Expect& e, SystemOutcome& o) {
    auto fig = [&](const char* k) { return o.figures.count(k) ? o.figures.at(k) : 0.0; };
    if (e.linearizable) {
        bool is = o.linearizability == "ok";
        bool met = *e.linearizable ? is : o.linearizability == "violation";
        add_expectation(o, "linearizable", met, fmt::format("expected {}, checker says {}", *e.linearizable, o.linearizability));
    }
    if (e.invariants_hold) {
        bool hold = o.violations.empty();
        add_expectation(o, "invariants_hold", hold == *e.invariants_hold,
                        fmt::format("expected {}, {} violation(s)", *e.invariants_hold, o.violations.size()));
    }
    if (e.live) {
        bool live = o.live.value_or(false);
        add_expectation(o, "live", live == *e.live, fmt::format("expected {}, got {}", *e.live, live));
    }
    if (e.availability_min)
        add_expectation(o, "availability_min", fig("availability") >= *e.availability_min,
                        fmt::format("expected >= {}, got {:.3f}", *e.availability_min, fig("availability")));
    if (e.availability_max)
        add_expectation(o, "availability_max", fig("availability") <= *e.availability_max,
                        fmt::format("expected <= {}, got {:.3f}", *e.availability_max, fig("availability")));
    if (e.ok_ops_min)
        add_expectation(o, "ok_ops_min", fig("ops_ok") >= static_cast<double>(*e.ok_ops_min),
                        fmt::format("expected >= {}, got {}", *e.ok_ops_min, fig("ops_ok")));
    if (e.info_ops_max)
        add_expectation(o, "info_ops_max", fig("ops_info") <= static_cast<double>(*e.info_ops_max),
                        fmt::format("expected <= {}, got {}", *e.info_ops_max, fig("ops_info")));
    if (e.lost_writes_max)
        add_expectation(o, "lost_writes_max", fig("lost_writes") <= static_cast<double>(*e.lost_writes_max),
                        fmt::format("expected <= {}, got {}", *e.lost_writes_max, fig("lost_writes")));
    if (e.lost_writes_min)
        add_expectation(o, "lost_writes_min", fig("lost_writes") >= static_cast<double>(*e.lost_writes_min),
                        fmt::format("expected >= {}, got {}", *e.lost_writes_min, fig("lost_writes")));
    // Figures only some protocols report (e.g. sibling versions of a Dynamo-style store): an
    // expectation on a figure the system does not report cannot be met, and says why.
    auto optional_figure = [&](const char* name, const char* figure, std::optional<int64_t> bound, bool at_least) {
        if (!bound) return;
        if (!o.figures.count(figure)) {
            add_expectation(o, name, false, fmt::format("{} does not report {}", o.protocol, figure));
            return;
        }
        double v = o.figures.at(figure);
        bool met = at_least ? v >= static_cast<double>(*bound) : v <= static_cast<double>(*bound);
        add_expectation(o, name, met, fmt::format("expected {} {}, got {}", at_least ? ">=" : "<=", *bound, v));
    };
    optional_figure("minority_ok_writes_max", "minority_ok_writes", e.minority_ok_writes_max, false);
    optional_figure("concurrent_versions_min", "concurrent_versions", e.concurrent_versions_min, true);
}

// Expectations for one system: [expect] overlaid with [expect.<system>].
scenario::Expect expectations_for(const scenario::Scenario& s, const std::string& system) {
    scenario::Expect e = s.expect_all;
    auto it = s.expect.find(system);
    if (it == s.expect.end()) return e;
    const auto& x = it->second;
    if (x.linearizable) e.linearizable = x.linearizable;
    if (x.invariants_hold) e.invariants_hold = x.invariants_hold;
    if (x.live) e.live = x.live;
    if (x.availability_min) e.availability_min = x.availability_min;
    if (x.availability_max) e.availability_max = x.availability_max;
    if (x.ok_ops_min) e.ok_ops_min = x.ok_ops_min;
    if (x.info_ops_max) e.info_ops_max = x.info_ops_max;
    if (x.lost_writes_max) e.lost_writes_max = x.lost_writes_max;
    if (x.lost_writes_min) e.lost_writes_min = x.lost_writes_min;
    if (x.minority_ok_writes_max) e.minority_ok_writes_max = x.minority_ok_writes_max;
    if (x.concurrent_versions_min) e.concurrent_versions_min = x.concurrent_versions_min;
    return e;
}

// Acknowledged appends missing from the final state, on keys that only ever saw appends and
// reads (a put or cas may legitimately overwrite an append, so such keys are not counted).
int64_t lost_writes(const std::vector<check::Operation>& ops, const std::map<std::string, std::string>& final_state) {
    std::set<std::string> overwritten;
    for (const auto& op : ops)
        if (op.f == check::Function::put || op.f == check::Function::cas) overwritten.insert(op.key);
    int64_t lost = 0;
    for (const auto& op : ops) {
        if (op.f != check::Function::append || op.completion != check::Completion::ok) continue;
        if (overwritten.count(op.key)) continue;
        auto it = final_state.find(op.key);
        if (it == final_state.end() || it->second.find(*op.value) == std::string::npos) ++lost;
    }
    return lost;
}

// ============================================================================================
// [world]
// ============================================================================================

// One system's run in `world`, filling `out`; throws when an assertion fails or protocol code
// throws (run_system catches it). `recorder` is the client history, kept for a failed run too.
void run_system_in(World& world, kv::HistoryRecorder& recorder_ref, const scenario::Scenario& s,
                   const scenario::System& sys, const RunOptions& ro, const WorldOptions& wo, SystemOutcome& out) {
    const Protocol* protocol = find_protocol(sys.protocol);
    FL_ASSERT(protocol != nullptr, "protocol '{}' passed validation but is not registered", sys.protocol);
    BuiltSystem built = protocol->build(world, s.nodes, sys.options);
    for (const auto& o : s.network.overrides) {
        world.set_link(world.node_id(o.from), world.node_id(o.to), to_link(o.link));
        if (o.both_ways) world.set_link(world.node_id(o.to), world.node_id(o.from), to_link(o.link));
    }

    // Clients: c1..cK, each one workload fiber (one Jepsen process per client incarnation).
    kv::HistoryRecorder* recorder = &recorder_ref;
    kv::WorkloadOptions wl;
    wl.ops_per_client = s.workload.ops_per_client;
    wl.think_time_mean = ms(s.workload.think_time_ms);
    wl.start_delay = ms(s.workload.start_delay_ms);
    wl.key_count = s.workload.keys;
    wl.key_distribution = s.workload.key_distribution == "zipfian" ? kv::KeyDistribution::zipfian : kv::KeyDistribution::uniform;
    wl.zipf_exponent = s.workload.zipf_exponent;
    wl.get_weight = s.workload.get;
    wl.put_weight = s.workload.put;
    wl.append_weight = s.workload.append;
    wl.cas_weight = s.workload.cas;
    ClientSettings cs{ms(s.workload.timeout_ms), s.workload.attempts_max};
    kv::HistoryRecorder* rec = recorder;
    auto make_client = built.make_client;
    for (int i = 1; i <= s.workload.clients; ++i) {
        world.add_node(fmt::format("c{}", i), fiber_process([make_client, cs, wl, rec](Context& ctx) {
            auto client = make_client(ctx, cs);
            kv::run_workload(ctx, *client, *rec, ctx.id() * 100 + ctx.incarnation(), wl);
        }));
    }

    // Liveness probe: after the heal, write until one write succeeds; remember when.
    Instant heal_at = at_ms(s.liveness.heal_at_ms.value_or(fault_window_end_ms(s)));
    auto progress = std::make_shared<std::optional<Instant>>();
    if (s.liveness.enabled) {
        out.heal_at = heal_at;
        World* wp = &world;
        world.add_node("probe", fiber_process([make_client, cs, rec, heal_at, progress, wp](Context& ctx) {
            if (ctx.incarnation() > 0) return;
            ctx.sleep(heal_at - Instant::zero());  // clients' clocks are not skewed
            auto client = make_client(ctx, cs);
            for (int64_t n = 1; !progress->has_value(); ++n) {
                kv::KvOp op{kv::Function::put, "liveness", fmt::format("probe-{}", n), {}};
                auto r = kv::record_op(ctx, *client, *rec, 99'999, op);
                if (r.outcome == ClientOutcome::ok) *progress = wp->now();
            }
        }));
    }

    if (built.invariants) {
        built.invariants->attach(world);
        out.invariant_names = built.invariants->names();
    }

    // Faults: scripted, then the nemesis, then (liveness) the heal; same-time order is this order.
    faults::FaultSchedule schedule = scripted_faults(s, world);
    if (s.nemesis.enabled) {
        faults::NemesisOptions n;
        for (const auto& t : s.nemesis.targets) n.targets.push_back(world.node_id(t));
        if (n.targets.empty()) n.targets = built.servers;
        n.start = at_ms(s.nemesis.start_ms);
        n.end = at_ms(s.nemesis.end_ms > 0 ? s.nemesis.end_ms : s.duration_ms * 0.8);
        n.mean_interval = ms(s.nemesis.interval_ms);
        n.mean_duration = ms(s.nemesis.episode_ms);
        auto has = [&](const char* k) {
            return std::find(s.nemesis.kinds.begin(), s.nemesis.kinds.end(), k) != s.nemesis.kinds.end();
        };
        n.crash = has("crash");
        n.pause = has("pause");
        n.partition = has("partition");
        n.clock = has("clock");
        n.link = has("link");
        n.disk = has("disk");
        n.swarm = s.nemesis.swarm;
        n.clock_jump_max = milliseconds(s.nemesis.clock_jump_ms_max);
        n.clock_drift_ppm_max = s.nemesis.clock_drift_ppm_max;
        n.base_link = wo.network;
        Rng rng = world.stream("nemesis");
        auto drawn = faults::nemesis_schedule(n, rng, world.node_count());
        schedule.insert(schedule.end(), drawn.begin(), drawn.end());
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& f : schedule) {
        std::string text = faults::describe(f.fault, world.node_names());
        out.faults.emplace_back(f.at, text);
    }
    faults::schedule(world, schedule);
    if (s.liveness.enabled) {
        std::vector<NodeId> servers = built.servers;
        LinkConfig base = wo.network;
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

    Instant end = at_ms(s.duration_ms);
    if (s.liveness.enabled) end = std::max(end, heal_at + ms(s.liveness.within_ms));
    if (ro.until) end = std::min(end, *ro.until);
    world.run_until(end);

    // Checks.
    auto ops = check::pair_operations(recorder->history());
    FL_ASSERT(ops.ok(), "the recorded history does not pair up");
    if (s.checkers.linearizability) {
        check::Budget budget;
        budget.steps_max = s.checkers.linearizability_steps_max;
        auto result = check::check(recorder->history(), check::Model::key_value_map(), budget);
        out.linearizability = std::string(check::to_string(result.verdict));
        out.check_result = std::move(result);
    }
    if (built.invariants && s.checkers.invariants) {
        built.invariants->finish(world);
        out.violations = built.invariants->violations();
    }
    if (s.liveness.enabled) {
        out.first_progress_after_heal = *progress;
        out.live = progress->has_value() && **progress <= heal_at + ms(s.liveness.within_ms);
    }

    // Figures.
    double ok = 0, fail = 0, info = 0;
    std::vector<double> latencies;
    for (const auto& op : ops.value()) {
        if (op.process == 99'999) continue;  // the probe is not part of the workload
        if (op.completion == check::Completion::ok) {
            ++ok;
            latencies.push_back(static_cast<double>(op.complete_time_ns - op.invoke_time_ns) / 1e6);
        } else if (op.completion == check::Completion::fail) {
            ++fail;
        } else {
            ++info;
        }
    }
    double total = ok + fail + info;
    out.figures["ops_ok"] = ok;
    out.figures["ops_fail"] = fail;
    out.figures["ops_info"] = info;
    out.figures["availability"] = total > 0 ? ok / total : 1.0;
    out.figures["latency_p50_ms"] = percentile(latencies, 0.5);
    out.figures["latency_p99_ms"] = percentile(latencies, 0.99);
    out.figures["lost_writes"] = static_cast<double>(lost_writes(ops.value(), built.final_state(world)));
    out.figures["faults"] = static_cast<double>(schedule.size());
    if (out.first_progress_after_heal)
        out.figures["progress_after_heal_ms"] = (*out.first_progress_after_heal - heal_at).ms_f();
    evaluate(expectations_for(s, sys.name), out);

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
        out.linearizability = "skipped";
        out.check_result.reset();
        out.invariant_names.clear();
        out.violations.clear();
        out.live.reset();
        out.figures.clear();
    }
    out.trace_hash = world.trace_hash();
    out.event_count = world.trace().size();
    out.end = world.now();
    out.history = recorder.history();
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
