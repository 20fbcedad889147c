// explain(): the human-readable story of a CheckResult, for reports, test failures and the GUI.
//
// For a violation it names the key, the culprit operation, the minimal failing window (each
// operation on its own line, with process, value and event range) and the longest linearizable
// prefix; for unknown it says which keys ran out of what. Deterministic text: keys in sorted order.
#pragma once

#include <string>
#include <vector>

#include "check/checker.h"

namespace faultline::check {

// `ops`: the operations the result was computed from (OpIds index into it).
std::string explain(const CheckResult& result, const std::vector<Operation>& ops);

}  // namespace faultline::check
