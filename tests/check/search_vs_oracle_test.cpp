// Property test: the Wing–Gong/Lowe search agrees with the brute-force oracle.
// Method: thousands of small seeded histories (simulated correct maps, the same with one output
// corrupted, and pure noise), up to 3 keys, with info and fail completions. For each, check() with
// a generous budget must give ok exactly when brute_force_linearizable() says so (the oracle does
// not decompose by key, so this also tests P-compositionality). For every violation the minimal
// window must itself fail, and pass once its culprit is turned into info. A failure prints the
// seed; replay with `REPLAY_SEED` below.
#include <catch2/catch.hpp>

#include <algorithm>

#include "check/brute_force.h"
#include "check/checker.h"
#include "check/random_history.h"

namespace faultline::check {
namespace {

// The minimal window as the shrinker saw it: its ops cut at the culprit's completion.
std::vector<Operation> window_as_cut(const std::vector<Operation>& ops, const Counterexample& example, bool culprit_info) {
    std::int64_t at = ops[example.culprit].complete_index;
    std::vector<Operation> out;
    for (OpId id : example.minimal) {
        Operation op = ops[id];
        if (op.complete_index > at || (culprit_info && id == example.culprit)) {
            op.completion = Completion::info;
            op.complete_index = time_never;
            op.output = std::nullopt;
        }
        out.push_back(op);
    }
    return out;
}

struct Tally {
    int linearizable = 0;
    int violations = 0;
};

void compare_with_oracle(std::uint64_t seed, const History& history, const Model& model, Tally& tally) {
    auto ops = pair_operations(history);
    REQUIRE(ops.ok());
    bool oracle = brute_force_linearizable(ops.value(), model);
    CheckResult result = check_operations(ops.value(), model);
    INFO("seed " << seed << " model " << model.name() << "\n" << result.explanation);
    REQUIRE(result.verdict != Verdict::unknown);
    REQUIRE((result.verdict == Verdict::ok) == oracle);
    if (oracle) {
        ++tally.linearizable;
        return;
    }
    ++tally.violations;
    for (const KeyResult& key : result.keys) {
        if (key.verdict != Verdict::violation) continue;
        const Counterexample& example = *key.counterexample;
        REQUIRE(example.minimal_complete);
        REQUIRE_FALSE(brute_force_linearizable(window_as_cut(ops.value(), example, false), model));
        REQUIRE(brute_force_linearizable(window_as_cut(ops.value(), example, true), model));
        for (OpId id : example.minimal) REQUIRE(ops.value()[id].key == key.key);
    }
}

}  // namespace

TEST_CASE("search agrees with brute force on simulated, corrupted and random histories", "[check][property]") {
    Tally tally;
    for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.processes = 1 + static_cast<int>(rng.below(4));
        shape.operations = 1 + static_cast<int>(rng.below(8));
        shape.keys = 1 + static_cast<int>(rng.below(2));
        shape.values = 2 + static_cast<int>(rng.below(2));
        shape.allow_append = rng.chance(30);
        shape.info_percent = static_cast<int>(rng.below(30));
        shape.fail_percent = static_cast<int>(rng.below(15));
        Model model = shape.allow_append ? Model::key_value_map() : Model::cas_register();

        History correct = test::simulate_history(rng, shape);
        compare_with_oracle(seed, correct, model, tally);
        REQUIRE(check(correct, model).verdict == Verdict::ok);

        History corrupted = test::corrupt(rng, correct, shape);
        compare_with_oracle(seed, corrupted, model, tally);
    }
    INFO("linearizable " << tally.linearizable << " violations " << tally.violations);
    // The generator must exercise both answers, or this test proves nothing.
    REQUIRE(tally.violations > 1000);
    REQUIRE(tally.linearizable > 3000);
}

TEST_CASE("append-only keys: search with append-order pruning agrees with brute force", "[check][property]") {
    // Keys that change only by appends and cas are the ones append-order pruning (append_order.h)
    // cuts; info appends, swaps and reads of absent values all occur.
    Tally tally;
    for (std::uint64_t seed = 20'001; seed <= 23'000; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.processes = 1 + static_cast<int>(rng.below(4));
        shape.operations = 1 + static_cast<int>(rng.below(9));
        shape.keys = 1 + static_cast<int>(rng.below(2));
        shape.allow_append = true;
        shape.allow_put = false;
        shape.unique_values = rng.chance(50);
        shape.info_percent = static_cast<int>(rng.below(40));
        shape.fail_percent = static_cast<int>(rng.below(15));
        History correct = test::simulate_history(rng, shape);
        compare_with_oracle(seed, correct, Model::key_value_map(), tally);
        compare_with_oracle(seed, test::corrupt(rng, correct, shape), Model::key_value_map(), tally);
    }
    INFO("linearizable " << tally.linearizable << " violations " << tally.violations);
    REQUIRE(tally.violations > 1000);
    REQUIRE(tally.linearizable > 3000);
}

TEST_CASE("plain register: search agrees with brute force on get/put histories", "[check][property]") {
    Tally tally;
    for (std::uint64_t seed = 10'001; seed <= 12'000; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.processes = 2 + static_cast<int>(rng.below(3));
        shape.operations = 2 + static_cast<int>(rng.below(7));
        shape.allow_cas = false;
        shape.info_percent = 20;
        History history = test::simulate_history(rng, shape);
        if (rng.chance(50)) history = test::corrupt(rng, history, shape);
        compare_with_oracle(seed, history, Model::plain_register(), tally);
    }
    REQUIRE(tally.violations > 200);
    REQUIRE(tally.linearizable > 200);
}

}  // namespace faultline::check
