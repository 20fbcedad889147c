// brute_force_linearizable: the obviously-correct slow oracle for the linearizability search.
//
// Tries every order of the operations that respects real time (an operation may come next only if
// no remaining ok operation completed before it was invoked), applying Model::step on plain Values;
// info operations may be placed anywhere after their invocation or left out (never happened); fail
// operations are ignored. No memoisation, no keys: callers pass one key's operations, or use it on
// small multi-key histories only because it does not decompose. Exponential: keep to ~10 ops.
// Tests compare it with check() (tests/check/search_vs_oracle_test.cpp).
#pragma once

#include <vector>

#include "check/history.h"
#include "check/model.h"

namespace faultline::check {

bool brute_force_linearizable(const std::vector<Operation>& ops, const Model& model);

}  // namespace faultline::check
