// Sections: [run] [checker]. The cluster is the kernel demo's (sim/demo/demo.h).
#include "visualizer/view_run.h"

#include "sim/assert.h"
#include "check/checker.h"
#include "check/explanation.h"
#include "check/history_builder.h"
#include "sim/demo/demo.h"
#include "sim/faults/nemesis.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::view {

// ============================================================================================
// [run]
// ============================================================================================

std::vector<std::string> view_node_names(const ViewRunSpec& spec) {
    std::vector<std::string> names;
    for (int i = 0; i < spec.servers; ++i) names.push_back(fmt::format("n{}", i + 1));
    for (int i = 0; i < spec.clients; ++i) names.push_back(fmt::format("c{}", i + 1));
    return names;
}

std::unique_ptr<World> make_view_world(const ViewRunSpec& spec, ViewRun& run) {
    FL_ASSERT(spec.servers >= 1 && spec.servers <= 64, "{} servers: the viewer's workload takes 1..64", spec.servers);
    FL_ASSERT(spec.clients >= 0 && spec.clients <= 64, "{} clients: the viewer's workload takes 0..64", spec.clients);
    FL_ASSERT(spec.duration > Duration::zero(), "a run of no time shows nothing");
    FL_ASSERT(spec.trace_level != TraceLevel::off, "the viewer needs a stored trace (level events or full)");
    WorldOptions wo;
    wo.seed = spec.seed;
    wo.trace_level = spec.trace_level;
    wo.buggify = spec.buggify;
    wo.network = demo::demo_link();
    auto owned = std::make_unique<World>(wo);
    World& world = *owned;
    const std::vector<NodeId> servers = demo::add_demo_cluster(world, spec.servers, spec.clients).servers;

    run.spec = spec;
    if (spec.nemesis) {
        faults::NemesisOptions nemesis;
        nemesis.targets = servers;
        nemesis.start = Instant::zero() + spec.duration / 10;
        nemesis.end = Instant::zero() + spec.duration * 8 / 10;
        nemesis.base_link = wo.network;
        Rng rng = world.stream("nemesis");
        run.nemesis = faults::nemesis_schedule(nemesis, rng, world.node_count());
    }
    for (std::size_t i = 0; i < run.nemesis.size(); ++i)
        if (std::find(spec.removed.begin(), spec.removed.end(), i) == spec.removed.end()) run.schedule.push_back(run.nemesis[i]);
    for (const auto& f : spec.added) {
        FL_ASSERT(f.at >= Instant::zero(), "a fault added before the run starts");
        run.schedule.push_back(f);
    }
    std::stable_sort(run.schedule.begin(), run.schedule.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    for (const auto& f : run.schedule)
        world.note(fmt::format("plan at {}: {}", to_string(f.at), faults::describe(f.fault, world.node_names())));
    faults::schedule(world, run.schedule);
    for (const auto& [at, id] : spec.dropped_messages) {
        FL_ASSERT(at >= Instant::zero(), "a message drop before the run starts");
        world.at(at, [id = id](World& w) { w.drop_in_flight(id); });
    }
    return owned;
}

ViewRun model_view_run(const World& world, ViewRun run) {
    const ViewRunSpec& spec = run.spec;
    RunInfo info;
    info.title = fmt::format("view workload, seed {}{}", spec.seed, spec.added.empty() && spec.removed.empty() && spec.dropped_messages.empty() ? "" : " (edited)");
    info.seed = spec.seed;
    info.trace_hash = world.trace_hash();
    run.model = RunModel::build(world.trace(), world.node_names(), world.now(), info);
    if (spec.check) {
        if (auto v = check_linearizability(run.model, spec.check_steps_max)) run.model.add_verdict(std::move(*v));
    }
    return run;
}

ViewRun run_view(const ViewRunSpec& spec) {
    ViewRun run;
    std::unique_ptr<World> world = make_view_world(spec, run);
    world->run_until(Instant::zero() + spec.duration);
    return model_view_run(*world, std::move(run));
}

// ============================================================================================
// [checker]
// ============================================================================================

std::optional<VerdictMark> check_linearizability(const RunModel& model, uint64_t steps_max) {
    namespace fc = faultline::check;
    fc::HistoryBuilder b;
    std::vector<std::optional<fc::OpId>> op_ids(model.ops().size());
    std::map<NodeId, fc::OpId> open;  // per client, its running operation
    for (const TraceEvent& e : model.events()) {
        if (e.kind != EventKind::client_invoke && e.kind != EventKind::client_complete) continue;
        auto op_index = model.op_of_event(e.index);
        if (!op_index) continue;
        const ClientOp& op = model.ops()[*op_index];
        int process = static_cast<int>(op.client);
        if (e.kind == EventKind::client_invoke) {
            if (auto it = open.find(op.client); it != open.end()) {
                b.complete_info(it->second, e.time.ns());
                open.erase(it);
            }
            // "put KEY VALUE" or "get KEY".
            std::string_view text = op.operation;
            auto space = text.find(' ');
            if (space == std::string_view::npos) return std::nullopt;
            std::string_view verb = text.substr(0, space);
            std::string_view rest = text.substr(space + 1);
            fc::OpId id = 0;
            if (verb == "put") {
                auto s2 = rest.find(' ');
                if (s2 == std::string_view::npos) return std::nullopt;
                id = b.invoke(process, fc::Function::put, std::string(rest.substr(0, s2)), std::string(rest.substr(s2 + 1)), e.time.ns());
            } else if (verb == "get") {
                id = b.invoke(process, fc::Function::get, std::string(rest), std::nullopt, e.time.ns());
            } else {
                return std::nullopt;
            }
            op_ids[*op_index] = id;
            open[op.client] = id;
        } else {
            auto it = open.find(op.client);
            if (it == open.end() || !op_ids[*op_index] || it->second != *op_ids[*op_index]) continue;
            fc::OpId id = it->second;
            open.erase(it);
            switch (static_cast<ClientOutcome>(e.reason)) {
            case ClientOutcome::ok:
                if (op.operation.rfind("get ", 0) == 0) {
                    fc::Value v = op.result == "absent" ? fc::Value{} : fc::Value{op.result};
                    b.complete_ok(id, v, e.time.ns());
                } else {
                    b.complete_ok(id, std::nullopt, e.time.ns());
                }
                break;
            case ClientOutcome::fail: b.complete_fail(id, e.time.ns()); break;
            case ClientOutcome::info: b.complete_info(id, e.time.ns()); break;
            }
        }
    }
    if (model.ops().empty()) return std::nullopt;
    auto paired = fc::pair_operations(b.history());
    if (!paired) return std::nullopt;
    fc::Budget budget;
    budget.steps_max = steps_max;
    budget.shrink_steps_max = steps_max;
    budget.memory_bytes_max = 64ull << 20;
    fc::CheckResult r = fc::check_operations(paired.value(), fc::Model::key_value_map(), budget);

    // OpIds number invocations in order, as model.ops() does: map them back.
    std::vector<std::size_t> op_of_id;
    for (std::size_t i = 0; i < op_ids.size(); ++i)
        if (op_ids[i]) {
            if (op_of_id.size() <= static_cast<std::size_t>(*op_ids[i])) op_of_id.resize(*op_ids[i] + 1);
            op_of_id[static_cast<std::size_t>(*op_ids[i])] = i;
        }
    VerdictMark v;
    v.checker = "linearizability (kv)";
    v.ok = r.verdict != fc::Verdict::violation;
    v.decided = r.verdict != fc::Verdict::unknown;
    v.explanation = r.explanation;
    v.summary = fmt::format("{}: {} over {} operations", v.checker, fc::to_string(r.verdict), r.operations);
    for (const fc::KeyResult& k : r.keys) {
        if (!k.counterexample) continue;
        const fc::Counterexample& c = *k.counterexample;
        const auto& chosen = c.minimal.empty() ? c.window : c.minimal;
        for (fc::OpId id : chosen)
            if (static_cast<std::size_t>(id) < op_of_id.size()) v.ops.push_back(op_of_id[static_cast<std::size_t>(id)]);
        // An info operation never completes (time_never): end the window with the run.
        int64_t end_ns = std::min(c.end_time_ns, model.end().ns());
        v.window = Interval{Instant::from_ns(c.begin_time_ns), Instant::from_ns(std::max(end_ns, c.begin_time_ns))};
        if (c.culprit >= 0 && static_cast<std::size_t>(c.culprit) < op_of_id.size()) {
            const ClientOp& culprit = model.ops()[op_of_id[static_cast<std::size_t>(c.culprit)]];
            if (culprit.complete != no_event) v.events.push_back(culprit.complete);
            v.summary = fmt::format("{}: violation on key {}: {} ({} operations in the story)", v.checker, c.key,
                                    culprit.operation + " -> " + culprit.result, chosen.size());
        }
        break;
    }
    return v;
}

}  // namespace faultline::view
