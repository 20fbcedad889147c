// find_counterexample: shrinks one violating key's history to a culprit, window and minimal set.
// The definitions and guarantees are in counterexample.h; the method in counterexample.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "check/counterexample.h"
#include "check/memory_pool.h"
#include "check/model.h"

namespace faultline::check {

// `key_ops`: the searched operations of one key (no fail ops), in invocation order, known not to
// be linearizable. Fills everything but longest_prefix and state_after_prefix, which come from the
// full search. Spends at most `shrink_steps_max` search steps.
Counterexample find_counterexample(const Model& model, const std::vector<Operation>& key_ops,
                                   std::uint64_t shrink_steps_max, MemoryPool* pool);

}  // namespace faultline::check
