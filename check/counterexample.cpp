// Counterexample minimisation. See counterexample.h for the definitions (cut, culprit, window,
// minimal) this file implements.
#include "check/counterexample_search.h"

#include <algorithm>
#include <bit>
#include <map>

#include "check/key_search.h"

namespace faultline::check {
namespace {

enum class Answer { linearizable, not_linearizable, unknown };

class Shrinker {
  public:
    Shrinker(const Model& model, std::uint64_t steps_max, MemoryPool* pool)
        : model_(model), steps_left_(steps_max), pool_(pool), states_(pool) {}

    Answer ask(std::vector<Operation> ops) {
        if (steps_left_ == 0) {
            exhausted_ = true;
            return Answer::unknown;
        }
        KeySearch search(model_, std::move(ops), pool_, &states_);
        KeySearch::Status status = search.run(steps_left_);
        steps_left_ -= std::min(steps_left_, search.steps());
        if (status == KeySearch::Status::linearizable) return Answer::linearizable;
        if (status == KeySearch::Status::not_linearizable) return Answer::not_linearizable;
        exhausted_ = true;
        return Answer::unknown;
    }
    bool exhausted() const { return exhausted_; }

  private:
    const Model& model_;
    std::uint64_t steps_left_;
    MemoryPool* pool_;
    StateTable states_;  // shared by every question: the same states recur
    bool exhausted_ = false;
};

// The key's operations as they stood at event `at`: invoked before it, still-running ones info.
std::vector<Operation> cut(const std::vector<Operation>& ops, std::int64_t at) {
    std::vector<Operation> out;
    for (const Operation& op : ops) {
        if (op.invoke_index >= at) continue;
        Operation copy = op;
        if (copy.complete_index > at) {
            copy.completion = Completion::info;
            copy.complete_index = time_never;
            copy.complete_time_ns = time_never;
            copy.output = std::nullopt;
            copy.cas_swapped = false;
        }
        out.push_back(std::move(copy));
    }
    return out;
}


}  // namespace

Counterexample find_counterexample(const Model& model, const std::vector<Operation>& key_ops,
                                   std::uint64_t shrink_steps_max, MemoryPool* pool) {
    CHECKER_ASSERT(!key_ops.empty(), "find_counterexample: a violating key has operations");
    CHECKER_ASSERT(std::is_sorted(key_ops.begin(), key_ops.end(),
                                  [](const Operation& a, const Operation& b) { return a.invoke_index < b.invoke_index; }),
                   "find_counterexample: operations must be in invocation order");
    Counterexample example;
    example.key = key_ops.front().key;
    Shrinker shrinker(model, shrink_steps_max, pool);

    // 1. The first failing completion event, by binary search (cut is monotone). The last ok
    //    completion is known to fail: the full search said so.
    std::vector<std::int64_t> completions;
    for (const Operation& op : key_ops) {
        if (op.completion == Completion::ok) completions.push_back(op.complete_index);
    }
    CHECKER_ASSERT(!completions.empty(), "find_counterexample: a history of info ops alone is always linearizable");
    std::sort(completions.begin(), completions.end());
    std::size_t lo = 0, hi = completions.size() - 1;
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (shrinker.ask(cut(key_ops, completions[mid])) == Answer::not_linearizable) {
            hi = mid;
        } else {
            lo = mid + 1;  // linearizable, or unknown: hi stays a proven failure
        }
    }
    std::int64_t failing_at = completions[hi];
    std::vector<Operation> window_ops = cut(key_ops, failing_at);
    std::size_t culprit = window_ops.size();
    for (std::size_t i = 0; i < window_ops.size(); ++i) {
        if (window_ops[i].complete_index == failing_at) culprit = i;
    }
    CHECKER_ASSERT(culprit < window_ops.size(), "find_counterexample: the failing completion belongs to no operation");
    example.culprit = window_ops[culprit].id;

    // Every window op that writes each value, for the closure rule below: puts, and cas
    // operations that swapped or may have (a cas that failed its comparison wrote nothing). An
    // append writes the value it leaves, which ends with its argument: `appends` are matched by
    // suffix.
    std::map<Value, std::vector<std::size_t>> writers_of;  // lookup only
    std::vector<std::size_t> appends;
    for (std::size_t i = 0; i < window_ops.size(); ++i) {
        const Operation& op = window_ops[i];
        const bool cas_wrote = op.f == Function::cas && (!op.output_known() || op.cas_swapped);
        if (op.f == Function::put || cas_wrote) writers_of[op.value].push_back(i);
        if (op.f == Function::append && op.value && !op.value->empty()) appends.push_back(i);
    }
    // S keeps, for every value one of its operations saw, a window op that wrote it. Without this
    // rule a stale read of "1" shrinks to {get -> "1"} alone ("1" was never written), which fails
    // for the wrong reason; with it the story stays {put "1", put "2", get -> "1"}.
    auto closed = [&](const std::vector<std::size_t>& which) {
        std::vector<bool> in(window_ops.size(), false);
        for (std::size_t i : which) in[i] = true;
        for (std::size_t i : which) {
            const Operation& op = window_ops[i];
            Value seen;
            if (op.f == Function::get && op.output_known()) seen = op.output;
            if (op.f == Function::cas && op.output_known() && op.cas_swapped) seen = op.expected;
            if (!seen) continue;
            // The window's writers of `seen`: does it have one, and does `which` keep one?
            bool written = false, kept = false;
            const auto writer = [&](std::size_t w) {
                written = true;
                kept = kept || in[w];
            };
            if (auto it = writers_of.find(seen); it != writers_of.end())
                for (std::size_t w : it->second) writer(w);
            for (std::size_t w : appends)
                if (seen->ends_with(*window_ops[w].value)) writer(w);
            if (written && !kept) return false;
        }
        return true;
    };
    // P(S): S is closed, S fails, and S with the culprit turned back into info does not.
    auto property = [&](const std::vector<std::size_t>& which) {
        if (!closed(which)) return false;
        std::vector<Operation> ops = pick_operations(window_ops, which);
        if (shrinker.ask(ops) != Answer::not_linearizable) return false;
        for (Operation& op : ops) {
            if (op.id != example.culprit) continue;
            op.completion = Completion::info;
            op.complete_index = time_never;
            op.complete_time_ns = time_never;
            op.output = std::nullopt;
        }
        return shrinker.ask(std::move(ops)) == Answer::linearizable;
    };
    auto range = [](std::size_t begin, std::size_t end) {
        std::vector<std::size_t> out;
        for (std::size_t i = begin; i < end; ++i) out.push_back(i);
        return out;
    };

    std::size_t begin = 0, end = window_ops.size();
    std::vector<std::size_t> minimal = range(begin, end);
    if (property(minimal)) {
        // 2. Contiguous window: drop from the front, then the back, in halving strides.
        for (std::size_t stride = std::bit_floor(end); stride >= 1; stride /= 2) {
            if (begin + stride <= culprit && property(range(begin + stride, end))) begin += stride;
        }
        for (std::size_t stride = std::bit_floor(end); stride >= 1; stride /= 2) {
            if (end >= culprit + 1 + stride && property(range(begin, end - stride))) end -= stride;
        }
        // 3. Minimal subset: ddmin-style chunk deletion, then single deletions to a fixpoint.
        minimal = range(begin, end);
        std::size_t chunk = std::max<std::size_t>(1, minimal.size() / 2);
        while (!shrinker.exhausted()) {
            bool changed = false;
            for (std::size_t at = 0; at < minimal.size() && !shrinker.exhausted();) {
                std::vector<std::size_t> candidate;
                for (std::size_t i = 0; i < minimal.size(); ++i) {
                    if (i < at || i >= at + chunk || minimal[i] == culprit) candidate.push_back(minimal[i]);
                }
                if (candidate.size() < minimal.size() && property(candidate)) {
                    minimal = std::move(candidate);
                    changed = true;
                } else {
                    at += chunk;
                }
            }
            if (chunk > 1) {
                chunk /= 2;
            } else if (!changed) {
                break;  // 1-minimal: no single operation can go
            }
        }
        example.minimal_complete = !shrinker.exhausted();
    }
    for (std::size_t i = begin; i < end; ++i) example.window.push_back(window_ops[i].id);
    for (std::size_t i : minimal) example.minimal.push_back(window_ops[i].id);
    CHECKER_ASSERT(std::find(example.minimal.begin(), example.minimal.end(), example.culprit) != example.minimal.end(),
                   "find_counterexample: the minimal set lost its culprit");
    example.begin_index = window_ops[minimal.front()].invoke_index;
    example.begin_time_ns = window_ops[minimal.front()].invoke_time_ns;
    example.end_index = window_ops[culprit].complete_index;
    example.end_time_ns = window_ops[culprit].complete_time_ns;
    return example;
}

}  // namespace faultline::check
