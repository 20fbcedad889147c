// check(): is a history linearizable with respect to a model?
//
// Method. Operations are paired (history.h), `fail` operations dropped (they did not happen),
// info gets dropped (no effect, nothing observed), and the rest grouped by key
// (P-compositionality, model.h). Info writes nobody could have observed are dropped
// (unobserved_writes.h). A key that is a get/put register with distinct written values is decided
// by its zones in O(n log n) (register_zones.h); a violation found that way still gets a search
// for the longest prefix and a counterexample shrunk from the conflicting operations. Every
// other key gets its own resumable KeySearch (key_search.h). Keys
// are scheduled round-robin in sorted key order with slices of Budget::steps_first_slice steps
// doubling every round, until every key is decided or the budget is spent.
//
// Guarantees:
//   - Verdict::ok only if every key was proven linearizable.
//   - Verdict::violation if any key was proven not linearizable, even if others are unknown.
//   - Verdict::unknown otherwise (budget spent); each KeyResult says what was explored.
//   - Deterministic: keys in sorted order, no unordered-container iteration reaches a result,
//     budgets count steps and bytes. Same input and budget, same CheckResult, on any machine.
//   - Never runs out of memory: see MemoryPool.
//
// For a violation the Counterexample (counterexample.h) names the key, the longest linearizable
// prefix found, the culprit operation and a minimal failing window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check/budget.h"
#include "check/counterexample.h"
#include "check/history.h"
#include "check/model.h"

namespace faultline::check {

enum class Verdict { ok, violation, unknown };
std::string_view to_string(Verdict verdict);

// How a key was decided: the Wing–Gong/Lowe search, or the register zones (register_zones.h),
// which decide a get/put register with distinct written values in O(n log n).
enum class KeyMethod { search, register_zones };
std::string_view to_string(KeyMethod method);

struct KeyResult {
    std::string key;
    Verdict verdict = Verdict::unknown;
    KeyMethod method = KeyMethod::search;
    std::size_t operations = 0;        // checked: excludes fail ops, info gets, unobserved info writes
    std::size_t unobserved_info_writes = 0;  // dropped before checking (unobserved_writes.h)
    std::uint64_t steps = 0;
    std::size_t cache_entries = 0;
    std::uint64_t memory_bytes = 0;    // at the end of this key's search
    bool cache_saturated = false;      // memory ran out: the search went on without memoising
    bool out_of_memory = false;        // the state table could not grow: search stopped
    std::size_t longest_prefix = 0;    // most operations linearized at once
    std::optional<Counterexample> counterexample;  // only for Verdict::violation
};

struct CheckResult {
    Verdict verdict = Verdict::ok;
    std::string model;
    std::size_t operations = 0;        // all paired operations, including fail
    std::uint64_t steps = 0;           // search steps, all keys
    std::uint64_t memory_bytes_max = 0;  // peak of the shared memory pool
    bool stopped_at_violation = false; // undecided keys were left because a violation was found
    std::vector<KeyResult> keys;       // sorted by key
    std::string explanation;           // human-readable, see explain.h
    bool ok() const { return verdict == Verdict::ok; }
};

// A malformed history or an operation the model does not support is a caller bug here and
// asserts; check_history_file (report.h) validates untrusted input first.
CheckResult check(const History& history, const Model& model, const Budget& budget = {});
CheckResult check_operations(const std::vector<Operation>& ops, const Model& model, const Budget& budget = {});

// Convenience for tests: check(...).verdict == Verdict::ok, with the cas-register model for
// register-only histories and kv whenever an append appears.
bool linearizable(const History& history, const Budget& budget = {});

}  // namespace faultline::check
