// Deterministic random histories for the checker's property tests and benchmarks.
//
// Goal: histories small enough for the brute-force oracle, with real concurrency, info and fail
// completions and a mix of functions, produced two ways:
//   simulate_history  a correct atomic map (each operation takes effect at one instant between its
//                     invocation and its completion; info ops take effect later or never; fail
//                     ops never) — always linearizable;
//   corrupt           the same history with one observed output changed — often not.
// Randomness is a splitmix64 stream seeded by the caller: no std distributions, no random_device,
// so a failing seed replays exactly.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "check/budget.h"
#include "check/history_builder.h"

namespace faultline::check::test {

class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform enough for tests in [0, n); n is small.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    bool chance(std::uint64_t percent) { return below(100) < percent; }

  private:
    std::uint64_t state_;
};

// The default budget without the register zones: for tests of the search itself.
inline Budget search_only() {
    Budget budget;
    budget.register_zones = false;
    return budget;
}

struct HistoryShape {
    int processes = 3;
    int operations = 6;
    int keys = 1;
    int values = 3;           // distinct put/cas values "0".."values-1"
    bool allow_cas = true;
    bool allow_append = false;
    bool allow_put = true;    // false: keys change only by appends and cas (what append-order pruning covers)
    int info_percent = 10;    // of completions
    int fail_percent = 5;     // of completions, only for ops that have not taken effect
    bool unique_values = false;  // every put/append/cas writes a value never written before ("u<n>")
};

// A history of a correct atomic map: always linearizable.
inline History simulate_history(SplitMix64& rng, const HistoryShape& shape) {
    struct Running {
        OpId id = -1;
        Function f = Function::get;
        std::string key;
        Value value, expected;
        bool applied = false;
        Value output;
        bool swapped = false;
    };
    HistoryBuilder builder;
    std::map<std::string, Value> state;  // the true map; lookup only
    std::vector<Running> running(shape.processes);
    std::vector<Running> floating;  // info ops that may still take effect
    auto apply = [&](Running& op) {
        Value& cell = state[op.key];
        switch (op.f) {
            case Function::get: op.output = cell; break;
            case Function::put: cell = op.value; break;
            case Function::append: cell = cell.value_or("") + *op.value; break;
            case Function::cas:
                op.swapped = cell == op.expected;
                if (op.swapped) cell = op.value;
                break;
            case Function::add:
            case Function::incr:
            case Function::remove: break;  // never drawn: these histories hold registers and lists
        }
        op.applied = true;
    };
    int invoked = 0;
    int written = 0;
    while (true) {
        bool any_running = false;
        for (const Running& r : running) any_running |= r.id >= 0;
        if (invoked == shape.operations && !any_running) break;
        if (!floating.empty() && rng.chance(15)) {
            std::size_t i = rng.below(floating.size());
            apply(floating[i]);
            floating.erase(floating.begin() + static_cast<std::ptrdiff_t>(i));
        }
        int p = static_cast<int>(rng.below(shape.processes));
        Running& r = running[p];
        if (r.id < 0) {
            if (invoked == shape.operations) continue;
            ++invoked;
            r = Running{};
            r.key = "k" + std::to_string(rng.below(shape.keys));
            std::uint64_t pick = rng.below(10);
            std::string v = shape.unique_values ? "u" + std::to_string(written++) : std::to_string(rng.below(shape.values));
            if (shape.allow_cas && pick >= 8) {
                r.f = Function::cas;
                r.expected = rng.chance(20) ? Value{} : Value{std::to_string(rng.below(shape.values))};
                // Without puts a cas compares mostly with the value as it is (appends make the
                // small numbers above rare), so swaps happen. Drawn only then: other shapes are
                // generated exactly as before.
                if (!shape.allow_put && rng.chance(60)) r.expected = state[r.key];
                r.value = v;
                r.id = builder.invoke_cas(p, r.key, r.expected, v);
            } else if (shape.allow_append && pick >= 6) {
                r.f = Function::append;
                r.value = v;
                r.id = builder.invoke(p, Function::append, r.key, v);
            } else if (shape.allow_put && pick >= 4) {
                r.f = Function::put;
                r.value = v;
                r.id = builder.invoke(p, Function::put, r.key, v);
            } else {
                r.f = Function::get;
                r.id = builder.invoke(p, Function::get, r.key);
            }
            continue;
        }
        if (!r.applied) {
            if (rng.chance(50)) {
                apply(r);
                continue;
            }
            if (rng.chance(static_cast<std::uint64_t>(shape.fail_percent))) {
                builder.complete_fail(r.id);
                r.id = -1;
                continue;
            }
            if (rng.chance(static_cast<std::uint64_t>(shape.info_percent))) {
                builder.complete_info(r.id);
                if (r.f != Function::get) floating.push_back(r);
                r.id = -1;
            }
            continue;
        }
        if (rng.chance(static_cast<std::uint64_t>(shape.info_percent))) {
            builder.complete_info(r.id);
        } else if (r.f == Function::cas) {
            builder.complete_cas(r.id, r.swapped);
        } else {
            builder.complete_ok(r.id, r.f == Function::get ? r.output : Value{});
        }
        r.id = -1;
    }
    return builder.take();
}

// Changes one observed output (a get's value or a cas's swapped flag), if there is one.
inline History corrupt(SplitMix64& rng, History history, const HistoryShape& shape) {
    std::vector<std::size_t> observed;
    for (std::size_t i = 0; i < history.events.size(); ++i) {
        const Event& e = history.events[i];
        if (e.type == EventType::ok && (e.f == Function::get || e.f == Function::cas)) observed.push_back(i);
    }
    if (observed.empty()) return history;
    Event& e = history.events[observed[rng.below(observed.size())]];
    if (e.f == Function::cas) {
        e.cas_swapped = !*e.cas_swapped;
    } else if (rng.chance(25)) {
        e.value = std::nullopt;
    } else if (shape.unique_values) {
        // Another written value (or, past the last, one nobody wrote).
        std::vector<Value> written;
        for (const Event& w : history.events) {
            if (w.type == EventType::invoke && w.f != Function::get) written.push_back(w.value);
        }
        std::size_t pick = rng.below(written.size() + 1);
        e.value = pick < written.size() ? written[pick] : Value{"never-written"};
    } else {
        e.value = std::to_string(rng.below(shape.values + 1));
    }
    return history;
}

}  // namespace faultline::check::test
