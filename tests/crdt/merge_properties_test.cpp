// Property tests of the CRDTs' joins and values (protocols/crdt/), against plain oracles
// (CONTRIBUTING.md rule 15). Method: for every type, hundreds of random executions of one key
// over three replicas (random_execution.h: updates and state merges drawn from our Rng), and:
//   - after each step, the replica's value equals the oracle's value of the updates it has seen
//     (counters: their sum; OR-Set: add-wins replay over causal pasts; LWW: the greatest stamp;
//     MV: the puts no other put has seen), and its old state is covered by its new one;
//   - every replica's state merged into one gives the oracle's value of every update;
//   - the join is commutative, associative and idempotent on states drawn from the run;
//   - the deltas alone, joined in a random order with repeats, give the same state as the
//     replicas merged (what delta gossip relies on).
#include "tests/crdt/random_execution.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::test::crdt_support;

namespace {

constexpr uint64_t seeds = 300;
constexpr int steps = 60;

KeyState joined(const KeyState& a, const KeyState& b) {
    KeyState out = a;
    out.merge(b);
    return out;
}

void check_type(CrdtType type, bool remove_by_element = false) {
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        INFO("type " << faultline::crdt::to_string(type) << ", seed " << seed);
        Execution e = random_execution(type, seed, remove_by_element, steps, [](const KeyState& before, const Replica& r, const Execution& ex) {
            REQUIRE(r.state.values() == oracle_values(ex, r.seen));
            REQUIRE(before.covered_by(r.state));
        });
        // Everything merged: the value of every update.
        KeyState all(type);
        std::set<int> every;
        for (const Replica& r : e.replicas) {
            all.merge(r.state);
            every.insert(r.seen.begin(), r.seen.end());
        }
        REQUIRE(all.values() == oracle_values(e, every));
        // The join's algebra, on states of this run (dots of one run are consistent).
        Rng rng(seed * 7919);
        for (int i = 0; i < 40; ++i) {
            const KeyState& a = e.snapshots[rng.below(e.snapshots.size())];
            const KeyState& b = e.snapshots[rng.below(e.snapshots.size())];
            const KeyState& c = e.snapshots[rng.below(e.snapshots.size())];
            REQUIRE(joined(a, b) == joined(b, a));
            REQUIRE(joined(joined(a, b), c) == joined(a, joined(b, c)));
            REQUIRE(joined(a, a) == a);
            REQUIRE(a.covered_by(joined(a, b)));
        }
        // The deltas in a random order, some twice, build the same state.
        std::vector<KeyState> deltas = e.deltas;
        for (std::size_t i = 0; i < e.deltas.size() / 3; ++i) deltas.push_back(e.deltas[rng.below(e.deltas.size())]);
        rng.shuffle(deltas);
        KeyState from_deltas(type);
        for (const KeyState& d : deltas) from_deltas.merge(d);
        REQUIRE(from_deltas == all);
    }
}

}  // namespace

TEST_CASE("crdt properties: G-Counter joins are a semilattice and its value is the sum of the increments", "[crdt]") {
    check_type(CrdtType::g_counter);
}

TEST_CASE("crdt properties: PN-Counter joins are a semilattice and its value is the sum of the increments", "[crdt]") {
    check_type(CrdtType::pn_counter);
}

TEST_CASE("crdt properties: OR-Set joins are a semilattice and its value is the add-wins replay", "[crdt]") {
    check_type(CrdtType::or_set);
}

TEST_CASE("crdt properties: the planted OR-Set bug still joins as a semilattice, with remove-wins values", "[crdt]") {
    // The bug converges (replicas agree); what it gets wrong is the value, which the oracle's
    // remove-wins rule describes exactly.
    check_type(CrdtType::or_set, true);
}

TEST_CASE("crdt properties: LWW-Register joins are a semilattice and its value is the greatest stamp", "[crdt]") {
    check_type(CrdtType::lww_register);
}

TEST_CASE("crdt properties: MV-Register joins are a semilattice and its values are the puts nothing superseded", "[crdt]") {
    check_type(CrdtType::mv_register);
}
