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
    return {s, check};
}

}  // namespace faultline::runner
