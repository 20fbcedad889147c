// The Dynamo-style store's safety invariant as a monitor for the `invariants` checker
// (invariants.cpp says what it means and how it is read from the run).
#pragma once

#include "protocols/dynamo/versions.h"
#include "protocols/plugin/invariant_monitor.h"

#include <memory>
#include <string>
#include <vector>

namespace faultline::dynamo {

inline const std::vector<std::string> invariant_names{"versions_never_regress"};

std::unique_ptr<plugin::InvariantMonitor> invariants(ConflictMode mode);

}  // namespace faultline::dynamo
