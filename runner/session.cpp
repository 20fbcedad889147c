// SystemSession (session.h). Sections: [state] [building] [running] [checks].
#include "runner/session.h"

#include "check/check_assert.h"
#include "protocols/plugin/registry.h"
#include "runner/expectations.h"
#include "runner/world_setup.h"
#include "sim/assertion_failure.h"
#include "sim/scheduled_chooser.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <typeinfo>

#include <cxxabi.h>

namespace faultline::runner {

using namespace detail;

namespace {

// The dynamic type of an exception, demangled ("std::out_of_range").
std::string exception_type_name(const std::exception& e) {
    int status = 0;
    char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
    std::string out = status == 0 && name != nullptr ? name : typeid(e).name();
    std::free(name);
    return out;
}

// The [checkers] options of every checker: the scenario's, overridden by the run's options.
std::vector<scenario::OptionSpec> checker_option_specs() {
    std::vector<scenario::OptionSpec> out;
    for (const CheckerEntry& c : checkers()) out.insert(out.end(), c.spec.options.begin(), c.spec.options.end());
    return out;
}

}  // namespace

// ============================================================================================
// [state]
// ============================================================================================

struct SystemSession::State {
    const scenario::Scenario& scenario;
    const scenario::System& system;
    RunOptions options;
    const plugin::ProtocolEntry* protocol = nullptr;
    std::unique_ptr<ScheduledChooser> explored;  // the scenario's [explored] choices (before world)
    std::unique_ptr<World> world;
    kv::HistoryRecorder recorder;
    plugin::BuiltSystem built;
    std::unique_ptr<plugin::ClusterView> cluster;
    plugin::PartitionTimeline partitions;
    std::shared_ptr<std::optional<Instant>> progress = std::make_shared<std::optional<Instant>>();
    faults::FaultSchedule applied;  // scheduled and live faults, in the order they were queued
    faults::FaultSchedule nemesis_applied;  // the nemesis's own: drawn, and aimed as they landed
    std::vector<scenario::OptionSpec> checker_specs = checker_option_specs();
    std::optional<plugin::Options> checker_options;
    scenario::OptionValues checker_values;
    std::map<std::string, std::unique_ptr<RunWatcher>> watchers;
    SystemOutcome out;
    Instant end;
    std::optional<RunError> error;
    bool finished_checks = false;

    State(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& o)
        : scenario(s), system(sys), options(o), explored(explored_chooser(s, o)),
          world(std::make_unique<World>(world_options(s, o, explored.get()))),
          recorder([w = world.get()] { return w->now().ns(); }) {}

    static std::unique_ptr<ScheduledChooser> explored_chooser(const scenario::Scenario& s, const RunOptions& o) {
        if (o.chooser != nullptr || s.explored.choices.empty()) return nullptr;
        std::vector<std::pair<uint64_t, Choice>> schedule;
        for (const auto& c : s.explored.choices) schedule.emplace_back(c.index, c.choice);
        auto chooser = std::make_unique<ScheduledChooser>(std::move(schedule));
        chooser->late_by = ms(s.explored.late_ms);
        chooser->restart_after = ms(s.explored.restart_ms);
        return chooser;
    }

    static WorldOptions world_options(const scenario::Scenario& s, const RunOptions& o, Chooser* explored) {
        WorldOptions wo;
        wo.chooser = o.chooser != nullptr ? o.chooser : explored;
        wo.seed = o.seed;
        wo.trace_level = o.trace_level;
        wo.trace_events_max = o.trace_events_max;
        wo.network = link_config(s.network.link);
        wo.buggify = s.buggify.enabled;
        wo.buggify_sites = s.buggify.sites;
        return wo;
    }

    // Runs `f`; a failed assertion or an escaping exception ends the session with an error.
    template <typename F>
    void contained(F&& f) {
        if (error) return;
        ContainAssertions contain;
        check::ContainCheckerAssertions contain_checker;
        try {
            f();
        } catch (const AssertionFailure& e) {
            error = RunError{.kind = "assertion", .file = e.file, .line = e.line, .condition = e.condition,
                             .message = e.message, .context = e.context};
        } catch (const check::CheckerAssertionFailure& e) {
            error = RunError{.kind = "checker_assertion", .file = source_relative(e.file.c_str()), .line = e.line,
                             .condition = e.condition, .message = e.message};
        } catch (const std::exception& e) {
            error = RunError{.kind = "exception", .condition = exception_type_name(e), .message = e.what()};
        }
        if (error) {
            error->event = world->trace().size();
            error->time = world->now();
            if (error->context.empty())
                error->context = fmt::format("  run: seed {} after {} trace events (true time {})\n", options.seed,
                                             error->event, to_string(error->time));
        }
    }

    void build();
    void queue_faults();
    SystemOutcome check();
};

// ============================================================================================
// [building]
// ============================================================================================

// The order of everything here is the order of the run's first events: it is part of every
// stored trace hash.
void SystemSession::State::build() {
    protocol = plugin::find_protocol(system.protocol);
    FL_ASSERT(protocol != nullptr, "protocol '{}' passed validation but is not registered", system.protocol);
    built = protocol->build(*world, scenario.nodes, plugin::Options(protocol->spec.options, system.options));
    FL_ASSERT(built.make_client != nullptr || protocol->spec.operations.empty(), "protocol {} built no client",
              system.protocol);
    // Link overrides between servers, then (once the clients exist) those naming a client: in
    // this order so that runs stored before clients could be named keep their trace hashes.
    std::vector<LinkOverride> links;  // the scenario's own, which the liveness phase's heal keeps
    auto override_links = [&](bool naming_clients) {
        for (const auto& o : scenario.network.overrides) {
            const bool client = std::find(scenario.nodes.begin(), scenario.nodes.end(), o.from) == scenario.nodes.end() ||
                                std::find(scenario.nodes.begin(), scenario.nodes.end(), o.to) == scenario.nodes.end();
            if (client != naming_clients) continue;
            const NodeId from = world->node_id(o.from), to = world->node_id(o.to);
            world->set_link(from, to, link_config(o.link));
            links.push_back({from, to, link_config(o.link)});
            if (!o.both_ways) continue;
            world->set_link(to, from, link_config(o.link));
            links.push_back({to, from, link_config(o.link)});
        }
    };
    override_links(false);
    add_clients(*world, scenario, built, recorder);
    override_links(true);
    const Instant heal_at = at_ms(scenario.liveness.heal_at_ms.value_or(fault_window_end_ms(scenario)));
    // A protocol without client operations has no probe: its liveness phase only heals.
    if (scenario.liveness.enabled && built.make_client) {
        out.heal_at = heal_at;
        add_probe(*world, scenario, built, recorder, heal_at, progress);
    }
    cluster = std::make_unique<plugin::ClusterView>(*world);
    if (built.invariants) built.invariants->attach(*cluster);
    checker_values = scenario.checkers.options;
    for (const auto& [name, value] : options.checker_options) checker_values[name] = value;
    checker_options.emplace(checker_specs, checker_values);
    for (const CheckerEntry& c : checkers())
        if (c.watch && scenario::checker_runs(c.spec, protocol->spec, scenario))
            if (auto w = c.watch({scenario, built, *cluster, *checker_options})) watchers[c.spec.name] = std::move(w);
    world->trace().add_observer([this](const TraceEvent& e, const Trace&) { partitions.record(e.time, world->partition()); },
                                {EventKind::partition, EventKind::heal});
    queue_faults();
    if (scenario.liveness.enabled) schedule_heal(*world, built.servers, link_config(scenario.network.link), std::move(links), heal_at);
    end = at_ms(scenario.duration_ms);
    if (scenario.liveness.enabled) end = std::max(end, heal_at + ms(scenario.liveness.within_ms));
    if (options.until) end = std::min(end, *options.until);
}

// Scripted faults, then the nemesis's, in time order (same-time order: this order); minus the
// ones the edits remove, plus the ones they add; then the hand-dropped messages.
void SystemSession::State::queue_faults() {
    out.planned = scripted_faults(scenario, *world);
    faults::NemesisPlan drawn = nemesis_plan(scenario, *world, built);
    out.planned.insert(out.planned.end(), drawn.faults.begin(), drawn.faults.end());
    std::stable_sort(out.planned.begin(), out.planned.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    const RunEdits& edits = options.edits;
    faults::FaultSchedule schedule;
    for (std::size_t i = 0; i < out.planned.size(); ++i)
        if (std::find(edits.removed.begin(), edits.removed.end(), i) == edits.removed.end()) schedule.push_back(out.planned[i]);
    for (const auto& f : edits.added) {
        FL_ASSERT(f.at >= Instant::zero(), "a fault added before the run starts");
        schedule.push_back(f);
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    faults::schedule(*world, schedule);
    applied = schedule;
    // Aimed episodes are not in `planned`: where they land is known only when they start.
    nemesis_applied = drawn.faults;
    aim_episodes(*world, built, *cluster, std::move(drawn.aimed), [this](const faults::ScheduledFault& f) {
        applied.push_back(f);
        nemesis_applied.push_back(f);
    });
    for (const auto& [at, id] : edits.dropped_messages) {
        FL_ASSERT(at >= Instant::zero(), "a message drop before the run starts");
        world->at(at, [id = id](World& w) { w.drop_in_flight(id); });
    }
}

SystemSession::SystemSession(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& options)
    : state_(std::make_unique<State>(s, sys, options)) {
    state_->out.system = sys.name;
    state_->out.protocol = sys.protocol;
    state_->end = state_->world->now();
    state_->contained([&] { state_->build(); });
}

SystemSession::~SystemSession() = default;

// ============================================================================================
// [running]
// ============================================================================================

const World& SystemSession::world() const { return *state_->world; }
Instant SystemSession::now() const { return state_->world->now(); }
Instant SystemSession::end() const { return state_->end; }
bool SystemSession::finished() const { return state_->error.has_value() || now() >= end(); }
const std::optional<RunError>& SystemSession::error() const { return state_->error; }
const faults::FaultSchedule& SystemSession::planned() const { return state_->out.planned; }

void SystemSession::advance_to(Instant t) {
    FL_ASSERT(!state_->finished_checks, "a session advanced after finish()");
    const Instant until = std::min(t, end());
    if (until <= now()) return;
    state_->contained([&] { state_->world->run_until(until); });
}

void SystemSession::apply(const faults::Fault& f) {
    FL_ASSERT(!finished(), "a live action after the run ended: nothing would happen");
    FL_ASSERT(state_->applied.size() < 100'000, "more than 100,000 faults: a script, not a person");
    state_->contained([&] { faults::apply(*state_->world, f); });
    state_->applied.push_back({now(), f});
}

void SystemSession::schedule(const faults::ScheduledFault& f) {
    FL_ASSERT(f.at >= now(), "a live fault in the past ({} < now {})", to_string(f.at), to_string(now()));
    if (f.at == now()) {
        apply(f.fault);
        return;
    }
    faults::schedule(*state_->world, {f});
    state_->applied.push_back(f);
}

bool SystemSession::drop(MessageId id) {
    FL_ASSERT(!finished(), "a live drop after the run ended");
    return state_->world->drop_in_flight(id);
}

std::vector<InFlightMessage> SystemSession::in_flight() const { return state_->world->in_flight(); }

// ============================================================================================
// [checks]
// ============================================================================================

// Every checker that runs on this system, then the protocol's figures, then the expectations.
SystemOutcome SystemSession::State::check() {
    auto paired = check::pair_operations(recorder.history());
    FL_ASSERT(paired.ok(), "the recorded history does not pair up");
    std::vector<check::Operation> ops;
    for (const check::Operation& op : paired.value())
        if (op.process != probe_process) ops.push_back(op);
    if (scenario.liveness.enabled) out.first_progress_after_heal = *progress;
    std::stable_sort(applied.begin(), applied.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    const SystemRun run{scenario, system, *protocol, built, *cluster, recorder.history(), ops, recorder.served_by(),
                        partitions, applied, out.heal_at, out.first_progress_after_heal, *checker_options,
                        recorder.siblings(), watchers, nullptr};
    for (const CheckerEntry& c : checkers()) {
        if (!scenario::checker_runs(c.spec, protocol->spec, scenario)) continue;
        CheckOutcome outcome = c.check(run);
        // A checker with nothing to judge here (no key of the kind it reads) says nothing.
        if (outcome.verdicts.empty() && outcome.figures.empty() && outcome.summary.empty()) continue;
        outcome.checker = c.spec.name;
        for (const auto& [name, value] : outcome.figures) out.figures[name] = value;
        out.checks.push_back(std::move(outcome));
    }
    if (built.figures) {
        const plugin::FigureInputs in{*cluster, built.servers, ops, recorder.served_by(), partitions};
        for (const auto& [name, value] : built.figures(in)) out.figures[name] = value;
    }
    evaluate_expectations(scenario, protocol->spec, out);
    return out;
}

SystemOutcome SystemSession::finish() {
    State& s = *state_;
    FL_ASSERT(!s.finished_checks, "a session is finished once");
    s.finished_checks = true;
    SystemOutcome out;
    if (s.explored && !s.error) {
        // [explored] choices the run never reached did nothing: the trace says so (a schedule
        // recorded by another build, or edited), rather than the run pretending to follow it.
        const auto unreached = s.explored->unreached();
        if (!unreached.empty())
            s.world->note(fmt::format("explored: {} of the scenario's choices never reached (first: \"{} {}\"); the run "
                                      "has {} choice points: the schedule comes from another build or was edited",
                                      unreached.size(), unreached.front().first, choice_name(unreached.front().second),
                                      s.explored->points()));
    }
    s.contained([&] { out = s.check(); });
    if (s.error) {
        // What the run did up to the failure: its trace, history and faults stay; no check ran.
        out = std::move(s.out);
        out.error = s.error;
        out.expectations_met = false;
        out.expectations.clear();
        out.checks.clear();
        out.figures.clear();
    }
    std::stable_sort(s.applied.begin(), s.applied.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& f : s.applied) out.faults.emplace_back(f.at, faults::describe(f.fault, s.world->node_names()));
    out.nemesis_faults = std::move(s.nemesis_applied);
    out.trace_hash = s.world->trace_hash();
    out.event_count = s.world->trace().size();
    out.trace_dropped = s.world->trace().dropped();
    out.end = s.world->now();
    out.history = s.recorder.history();
    out.served_by = s.recorder.served_by();
    out.node_names = s.world->node_names();
    out.names = s.world->trace().names();
    if (s.options.keep_trace) out.trace = s.world->trace().events().to_vector();
    return out;
}

}  // namespace faultline::runner
