// Random executions of one key's CRDT over three replicas, for the property tests: updates at
// random replicas, and state-based merges between them, each step drawn from our Rng (sim/rng.h)
// from a seed. Beside every update the execution records what a plain oracle needs: the update
// itself and its causal past (the updates its replica had seen), so a value can be recomputed
// from first principles (oracle_values) without dots, contexts or joins.
#pragma once

#include "check/model.h"
#include "protocols/crdt/key_state.h"
#include "sim/rng.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace faultline::test::crdt_support {

using faultline::crdt::CrdtType;
using faultline::crdt::KeyState;

struct Update {
    int id = 0;
    check::Function f = check::Function::incr;
    std::string replica;
    int64_t amount = 0;      // incr
    std::string argument;    // add/remove element, put value
    int64_t clock_ns = 0;    // lww put
    std::set<int> seen;      // the updates its replica had seen before it (its causal past)
};

struct Replica {
    std::string id;
    KeyState state;
    std::set<int> seen;  // the updates applied here or merged in
};

struct Execution {
    CrdtType type;
    bool remove_by_element = false;
    std::vector<Replica> replicas;
    std::vector<Update> updates;
    std::vector<KeyState> deltas;     // every update's delta, in order
    std::vector<KeyState> snapshots;  // every state some replica held along the way
};

// The value the oracle gives the updates `ids` of `e` (in KeyState::values()'s form).
inline std::vector<std::string> oracle_values(const Execution& e, const std::set<int>& ids) {
    std::vector<const Update*> ups;
    for (int id : ids) ups.push_back(&e.updates[static_cast<std::size_t>(id)]);
    auto observed = [&](const Update& u, check::Function by, const std::string& element) {
        // Whether some update in `ids` of kind `by` (on `element`, for sets) had u in its past.
        for (const Update* o : ups)
            if (o->f == by && (element.empty() || o->argument == element) && o->seen.count(u.id)) return true;
        return false;
    };
    switch (e.type) {
        case CrdtType::g_counter:
        case CrdtType::pn_counter: {
            int64_t sum = 0;
            bool any = false;
            for (const Update* u : ups) {
                sum += u->amount;
                any |= u->amount != 0;
            }
            return any ? std::vector<std::string>{std::to_string(sum)} : std::vector<std::string>{};
        }
        case CrdtType::or_set: {
            // Add-wins: e is in iff some add of e is in the past of no remove of e (a later add of
            // e replaces an earlier one's tag with its own, so it is never what removes e).
            // With the planted bug, remove-wins: a remove tombstones e until an update of e has
            // seen it; e is in iff some add of e and no remove of e is unseen that way.
            bool any = false;
            std::set<std::string> out;
            std::set<std::string> elements;
            for (const Update* u : ups) {
                elements.insert(u->argument);
                any |= u->f == check::Function::add || e.remove_by_element;
            }
            for (const std::string& x : elements) {
                bool live_add = false, live_tombstone = false;
                for (const Update* u : ups) {
                    if (u->argument != x) continue;
                    const bool seen_later = observed(*u, check::Function::add, x) || observed(*u, check::Function::remove, x);
                    if (u->f == check::Function::add)
                        live_add |= e.remove_by_element ? !seen_later : !observed(*u, check::Function::remove, x);
                    if (u->f == check::Function::remove && e.remove_by_element) live_tombstone |= !seen_later;
                }
                if (live_add && !live_tombstone) out.insert(x);
            }
            if (!any) return {};
            return {check::set_value({out.begin(), out.end()})};
        }
        case CrdtType::lww_register: {
            const Update* best = nullptr;
            for (const Update* u : ups)
                if (!best || std::tie(u->clock_ns, u->replica, u->argument) > std::tie(best->clock_ns, best->replica, best->argument))
                    best = u;
            return best ? std::vector<std::string>{best->argument} : std::vector<std::string>{};
        }
        case CrdtType::mv_register: {
            // The puts no other put has seen.
            std::set<std::string> out;
            for (const Update* u : ups)
                if (!observed(*u, check::Function::put, "")) out.insert(u->argument);
            return {out.begin(), out.end()};
        }
    }
    return {};
}

// One random update at replica `r` (its kind drawn for the type), applied and recorded.
inline void random_update(Execution& e, Replica& r, Rng& rng, int step) {
    static const std::vector<std::string> pool{"a", "b", "c"};
    Update u;
    u.id = static_cast<int>(e.updates.size());
    u.replica = r.id;
    u.seen = r.seen;
    KeyState delta(e.type);
    switch (e.type) {
        case CrdtType::g_counter:
        case CrdtType::pn_counter:
            u.f = check::Function::incr;
            u.amount = e.type == CrdtType::g_counter ? rng.uniform_int(0, 5) : rng.uniform_int(-5, 5);
            delta = r.state.increment(r.id, u.amount);
            break;
        case CrdtType::or_set:
            u.f = rng.below(2) == 0 ? check::Function::add : check::Function::remove;
            u.argument = pool[rng.below(pool.size())];
            delta = u.f == check::Function::add ? r.state.add(r.id, u.argument) : r.state.remove(r.id, u.argument, e.remove_by_element);
            break;
        case CrdtType::lww_register:
        case CrdtType::mv_register:
            u.f = check::Function::put;
            u.argument = fmt::format("v{}", step);
            u.clock_ns = rng.uniform_int(0, 20);  // a small range: equal stamps happen
            delta = r.state.put(r.id, u.clock_ns, u.argument);
            break;
    }
    r.state.merge(delta);
    r.seen.insert(u.id);
    e.deltas.push_back(delta);
    e.updates.push_back(std::move(u));
}

// `steps` random steps: an update at a random replica (two times in three) or a random replica's
// state merged into another. check(before, replica) runs after each step.
template <typename Check>
Execution random_execution(CrdtType type, uint64_t seed, bool remove_by_element, int steps, Check&& check) {
    Rng rng(seed);
    Execution e{type, remove_by_element, {}, {}, {}, {}};
    for (const char* id : {"r1.0", "r2.0", "r3.0"}) e.replicas.push_back({id, KeyState(type), {}});
    for (int step = 0; step < steps; ++step) {
        Replica& r = e.replicas[rng.below(e.replicas.size())];
        const KeyState before = r.state;
        if (rng.below(3) == 0) {
            const Replica& from = e.replicas[rng.below(e.replicas.size())];
            r.state.merge(from.state);
            r.seen.insert(from.seen.begin(), from.seen.end());
        } else {
            random_update(e, r, rng, step);
        }
        e.snapshots.push_back(r.state);
        check(before, r, e);
    }
    return e;
}

}  // namespace faultline::test::crdt_support
