// Linearizability of the client history against a key-value map (check/checker.h): every
// operation appears to take effect at one instant between its invocation and its completion.
// Reads the whole history, the liveness probe's writes included.
#include "runner/checkers/checker_entry.h"

#include "check/checker.h"
#include "protocols/plugin/options.h"

namespace faultline::runner {

namespace {

CheckOutcome check(const SystemRun& run) {
    check::Budget budget;
    budget.steps_max = static_cast<uint64_t>(run.checker_options.integer("linearizability_steps_max"));
    const check::CheckResult result = check::check(run.history, check::Model::key_value_map(), budget);
    CheckOutcome out;
    out.verdicts.emplace_back("linearizability", std::string(check::to_string(result.verdict)));
    out.summary = out.verdict();
    out.details["explanation"] = result.explanation;
    // The first counterexample's story, by the invocation times of its operations (the history
    // and the trace share true time, so the viewer finds them on its timeline).
    for (const check::KeyResult& k : result.keys) {
        if (!k.counterexample) continue;
        const check::Counterexample& c = *k.counterexample;
        auto paired = check::pair_operations(run.history);
        FL_ASSERT(paired.ok(), "a history the checker judged does not pair up");
        const auto& ops = paired.value();
        auto invoked_ns = [&](check::OpId id) { return ops.at(static_cast<std::size_t>(id)).invoke_time_ns; };
        auto& story = out.details["counterexample"] = nlohmann::ordered_json::object();
        story["key"] = c.key;
        auto& times = story["ops_invoke_ns"] = nlohmann::ordered_json::array();
        for (check::OpId id : c.minimal.empty() ? c.window : c.minimal) times.push_back(invoked_ns(id));
        if (c.culprit >= 0) story["culprit_invoke_ns"] = invoked_ns(c.culprit);
        story["window_ns"] = {c.begin_time_ns, c.end_time_ns};
        break;
    }
    return out;
}

}  // namespace

CheckerEntry linearizability_checker() {
    scenario::CheckerSpec s;
    s.name = "linearizability";
    s.description = "the client history against a key-value map: each operation takes effect at one instant";
    s.reads = "history";
    s.options = {plugin::int_option("linearizability_steps_max", 10'000'000,
                                    "search steps before the verdict is `unknown`", 1, 1e15)};
    s.verdicts = {{"linearizability", "linearizable", "true: the history is linearizable; false: a counterexample"}};
    s.applies = scenario::serves_clients;
    return {s, check, {}};
}

}  // namespace faultline::runner
