// explain(). See explanation.h.
#include "check/explanation.h"

#include <fmt/format.h>

namespace faultline::check {
namespace {

constexpr std::size_t prefix_tail_shown = 5;

const Operation& op_at(const std::vector<Operation>& ops, OpId id) {
    CHECKER_ASSERT(id >= 0 && static_cast<std::size_t>(id) < ops.size(), "explain: OpId outside the history");
    return ops[static_cast<std::size_t>(id)];
}

void explain_violation(std::string& out, const KeyResult& key, const std::vector<Operation>& ops) {
    const Counterexample& example = *key.counterexample;
    out += fmt::format("key \"{}\": NOT linearizable ({} operations{}).\n", key.key, key.operations,
                       key.method == KeyMethod::register_zones
                           ? "; decided by register zones, see docs/checker.md"
                           : " searched");
    out += fmt::format("  Culprit: {}\n", describe_operation(op_at(ops, example.culprit)));
    out += fmt::format("  Before it completed the history was still linearizable; with its result no order of the "
                       "operations below respects both real time and the model.\n");
    out += fmt::format("  Minimal failing window ({} of {} operations in the contiguous window, events {}..{}, time "
                       "{}..{} ns{}):\n",
                       example.minimal.size(), example.window.size(), example.begin_index, example.end_index,
                       example.begin_time_ns, example.end_time_ns,
                       example.minimal_complete ? "" : "; shrinking ran out of budget, may not be minimal");
    for (OpId id : example.minimal) out += fmt::format("    {}\n", describe_operation(op_at(ops, id)));
    out += fmt::format("  Longest linearizable prefix found: {} operations, state after it {}", example.longest_prefix.size(),
                       describe_value(example.state_after_prefix));
    if (!example.longest_prefix.empty()) {
        std::size_t from = example.longest_prefix.size() > prefix_tail_shown ? example.longest_prefix.size() - prefix_tail_shown : 0;
        out += from > 0 ? "; it ends ..." : "; it is";
        for (std::size_t i = from; i < example.longest_prefix.size(); ++i) out += fmt::format(" #{}", example.longest_prefix[i]);
    }
    out += ".\n";
}

}  // namespace

std::string explain(const CheckResult& result, const std::vector<Operation>& ops) {
    std::size_t ok = 0, violation = 0, unknown = 0;
    for (const KeyResult& key : result.keys) {
        ok += key.verdict == Verdict::ok;
        violation += key.verdict == Verdict::violation;
        unknown += key.verdict == Verdict::unknown;
    }
    std::string out = fmt::format("{}: {} operations, {} keys ({} linearizable, {} violating, {} unknown), model {}, {} "
                                  "search steps.\n",
                                  to_string(result.verdict), result.operations, result.keys.size(), ok, violation,
                                  unknown, result.model, result.steps);
    for (const KeyResult& key : result.keys) {
        if (key.verdict == Verdict::violation) explain_violation(out, key, ops);
    }
    for (const KeyResult& key : result.keys) {
        if (key.verdict != Verdict::unknown) continue;
        std::string why = key.out_of_memory     ? "memory budget spent (state table full)"
                          : key.cache_saturated ? "step budget spent (memory budget also spent: cache stopped growing)"
                                                : "step budget spent";
        if (result.stopped_at_violation && !key.out_of_memory) why = "search stopped after the round that found a violation";
        out += fmt::format("key \"{}\": unknown after {} steps, {} cache entries; {}; longest prefix {} of {} "
                           "operations.\n",
                           key.key, key.steps, key.cache_entries, why, key.longest_prefix, key.operations);
    }
    return out;
}

}  // namespace faultline::check
