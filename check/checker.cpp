// check(): pairing, per-key decomposition and the round-robin key scheduler. See checker.h.
#include "check/checker.h"

#include <algorithm>
#include <map>
#include <memory>

#include "check/counterexample_search.h"
#include "check/explanation.h"
#include "check/key_search.h"
#include "check/memory_pool.h"
#include "check/register_zones.h"
#include "check/unobserved_writes.h"

namespace faultline::check {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::ok: return "ok";
        case Verdict::violation: return "violation";
        case Verdict::unknown: return "unknown";
    }
    CHECKER_ASSERT(false, "Verdict out of range");
    return "";
}

std::string_view to_string(KeyMethod method) {
    switch (method) {
        case KeyMethod::search: return "search";
        case KeyMethod::register_zones: return "zones";
    }
    CHECKER_ASSERT(false, "KeyMethod out of range");
    return "";
}

namespace {

struct KeyWork {
    KeyResult result;
    std::vector<Operation> ops;  // searched ops, invocation order
    std::unique_ptr<KeySearch> search;
    ZoneDecision zones;          // applies == false unless Budget::register_zones and the key fits
    bool search_proved_violation = false;
};

// Copies the search's figures and verdict into the key's result, with the longest prefix as the
// start of a counterexample when the key violates. A violation the zones proved stands even if
// the search ran out before proving it too.
void record(KeyWork& work) {
    const KeySearch& search = *work.search;
    KeyResult& result = work.result;
    result.steps = search.steps();
    result.cache_entries = search.cache_entries();
    result.memory_bytes = search.memory_bytes();
    result.cache_saturated = search.cache_saturated();
    result.longest_prefix = search.longest_prefix_length();
    switch (search.status()) {
        case KeySearch::Status::linearizable: result.verdict = Verdict::ok; break;
        case KeySearch::Status::not_linearizable:
            result.verdict = Verdict::violation;
            work.search_proved_violation = true;
            break;
        case KeySearch::Status::out_of_memory:
            result.out_of_memory = true;
            result.verdict = Verdict::unknown;
            break;
        case KeySearch::Status::searching: result.verdict = Verdict::unknown; break;
    }
    if (work.zones.applies && !work.zones.linearizable) {
        CHECKER_ASSERT(result.verdict != Verdict::ok, "check: the search linearized a key its zones proved violating");
        result.verdict = Verdict::violation;
    }
    if (result.verdict == Verdict::violation) {
        Counterexample example;
        example.longest_prefix = search.longest_prefix();
        example.state_after_prefix = search.state_after_longest_prefix();
        result.counterexample = std::move(example);
    }
}

}  // namespace

CheckResult check_operations(const std::vector<Operation>& ops, const Model& model, const Budget& budget) {
    CHECKER_ASSERT(!find_unsupported_operation(ops, model).has_value(),
                   "check: the model does not support an operation; validate with find_unsupported_operation");
    CHECKER_ASSERT(budget.steps_first_slice > 0, "check: Budget::steps_first_slice must be positive");
    CheckResult result;
    result.model = std::string(model.name());
    result.operations = ops.size();

    // Keys in sorted order (std::map): the scheduling order, hence the results, are deterministic.
    std::map<std::string, KeyWork> by_key;
    for (const Operation& op : ops) {
        KeyWork& work = by_key[op.key];
        work.result.key = op.key;
        // A fail did not happen; an info get changed nothing and observed nothing.
        if (op.completion == Completion::fail) continue;
        if (op.f == Function::get && op.completion == Completion::info) continue;
        work.ops.push_back(op);
    }

    MemoryPool pool(budget.memory_bytes_max);
    std::vector<KeyWork*> keys;
    bool violation = false;
    for (auto& [key, work] : by_key) {
        std::size_t before = work.ops.size();
        work.ops = drop_unobserved_info_writes(std::move(work.ops));
        work.result.unobserved_info_writes = before - work.ops.size();
        work.result.operations = work.ops.size();
        keys.push_back(&work);
        if (budget.register_zones) work.zones = decide_by_register_zones(work.ops);
        if (work.zones.applies) {
            work.result.method = KeyMethod::register_zones;
            if (work.zones.linearizable) {
                work.result.verdict = Verdict::ok;
                work.result.longest_prefix = work.ops.size();
                continue;  // decided: no search
            }
            // A proven violation. The search still runs, for the longest linearizable prefix.
            violation = true;
        }
        work.search = std::make_unique<KeySearch>(model, work.ops, &pool, nullptr,
                                                  budget.append_order ? KeySearch::Pruning::append_order : KeySearch::Pruning::none);
    }

    std::uint64_t steps_left = budget.steps_max;
    for (unsigned round = 0;; ++round) {
        std::uint64_t slice = budget.steps_first_slice << std::min(round, 40u);
        bool undecided = false;
        for (KeyWork* work : keys) {
            if (!work->search) continue;
            if (steps_left == 0) break;
            std::uint64_t before = work->search->steps();
            KeySearch::Status status = work->search->run(std::min(slice, steps_left));
            steps_left -= work->search->steps() - before;
            if (status == KeySearch::Status::searching) {
                undecided = true;
                continue;
            }
            record(*work);
            if (work->result.verdict == Verdict::violation) violation = true;
            work->search.reset();  // give its memory back to the keys still searching
        }
        // A violation ends the search after the current round, so every key had the same slices.
        if (!undecided || steps_left == 0) break;
        if (violation && budget.stop_at_first_violation) {
            result.stopped_at_violation = true;
            break;
        }
    }
    for (KeyWork* work : keys) {
        if (!work->search) continue;
        record(*work);
        work->search.reset();
    }
    result.steps = budget.steps_max - steps_left;

    // Shrink counterexamples with the searches' memory released; the shrink budget is shared by
    // the violating keys in key order.
    std::uint64_t shrink_left = std::min(budget.shrink_steps_max, std::max(result.steps, budget.shrink_steps_min));
    for (KeyWork* work : keys) {
        if (work->result.verdict != Verdict::violation) continue;
        // Shrink from the zones' conflicting clusters (a small failing set) unless the search
        // itself proved the violation over the whole key.
        bool from_zones = work->zones.applies && !work->search_proved_violation;
        std::vector<Operation> failing = from_zones ? pick_operations(work->ops, work->zones.conflict) : work->ops;
        Counterexample shrunk = find_counterexample(model, failing, shrink_left / 2 + 1, &pool);
        shrink_left -= std::min(shrink_left, shrink_left / 2 + 1);
        shrunk.longest_prefix = std::move(work->result.counterexample->longest_prefix);
        shrunk.state_after_prefix = std::move(work->result.counterexample->state_after_prefix);
        work->result.counterexample = std::move(shrunk);
    }
    result.memory_bytes_max = pool.bytes_used_max();

    bool unknown = false;
    for (KeyWork* work : keys) {
        if (work->result.verdict == Verdict::violation) violation = true;
        if (work->result.verdict == Verdict::unknown) unknown = true;
        result.keys.push_back(std::move(work->result));
    }
    result.verdict = violation ? Verdict::violation : unknown ? Verdict::unknown : Verdict::ok;
    CHECKER_ASSERT(result.verdict != Verdict::ok || !unknown, "check: ok with an undecided key");
    result.explanation = explain(result, ops);
    return result;
}

CheckResult check(const History& history, const Model& model, const Budget& budget) {
    Expected<std::vector<Operation>> ops = pair_operations(history);
    CHECKER_ASSERT(ops.ok(), "check: malformed history (pair_operations failed); fix the recorder or "
                             "read untrusted input through history_io.h");
    return check_operations(ops.value(), model, budget);
}

bool linearizable(const History& history, const Budget& budget) {
    return check(history, Model::key_value_map(), budget).verdict == Verdict::ok;
}

}  // namespace faultline::check
