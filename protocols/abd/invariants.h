// ABD's safety invariant as a monitor for the `invariants` checker (invariants.cpp).
#pragma once

#include "protocols/plugin/invariant_monitor.h"

#include <memory>
#include <string>
#include <vector>

namespace faultline::abd {

inline const std::vector<std::string> invariant_names{"majority_holds_what_completed"};

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers);

}  // namespace faultline::abd
