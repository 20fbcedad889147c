// Raft's safety invariants as a monitor for the `invariants` checker (invariants.cpp says what
// each one means and how it is read from the run).
#pragma once

#include "protocols/plugin/invariant_monitor.h"

#include <memory>
#include <vector>

namespace faultline::raft {

// The names, in the order reports list them.
inline const std::vector<std::string> invariant_names{"election_safety", "log_matching", "leader_completeness",
                                                      "state_machine_safety"};

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers);

}  // namespace faultline::raft
