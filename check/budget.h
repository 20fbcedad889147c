// Budget: how much work a check may do. Counts steps and bytes, never wall-clock time, so the
// verdict is the same on every machine and under any load.
//
// Out of budget the verdict is `unknown`, never `ok`. A `violation` found within budget is always
// genuine: the search proved that no linearization exists.
#pragma once

#include <cstdint>

namespace faultline::check {

struct Budget {
    // Search steps (iterations of KeySearch's scan loop) summed over all keys. ~20-50 ns each.
    std::uint64_t steps_max = 100'000'000;
    // Memoisation caches and interned states of all live searches together.
    std::uint64_t memory_bytes_max = 512ull << 20;
    // Each undecided key gets this many steps in round 0, doubling every round (round-robin over
    // keys in sorted order), so one hard key cannot starve a key that shows a violation quickly.
    std::uint64_t steps_first_slice = 1024;
    // Counterexample minimisation (binary search for the failing point, then shrinking the window).
    // Minimisation never changes the verdict; running out only leaves a larger window. It gets as
    // many steps as the verdict took (so a counterexample costs about what the verdict did), at
    // least shrink_steps_min (a small history's story is then always minimal; ~10 ms at most) and
    // at most shrink_steps_max.
    std::uint64_t shrink_steps_min = 200'000;
    std::uint64_t shrink_steps_max = 20'000'000;
    // Once a key is proven not linearizable, finish the current round and stop: keys still
    // undecided stay `unknown` with the steps they had.
    bool stop_at_first_violation = true;
    // Decide get/put registers with distinct written values by their zones (register_zones.h)
    // instead of searching. Off only to test or measure the search itself.
    bool register_zones = true;
    // Append-order pruning in the search (append_order.h). Off only to measure the search without it.
    bool append_order = true;
};

}  // namespace faultline::check
