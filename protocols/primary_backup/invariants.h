// Primary-backup's safety invariants as a monitor for the `invariants` checker (invariants.cpp
// says what each one means and how it is read from the run).
#pragma once

#include "protocols/plugin/invariant_monitor.h"

#include <memory>
#include <vector>

namespace faultline::primary_backup {

inline const std::vector<std::string> invariant_names{"one_primary_per_epoch", "fencing"};

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers);

}  // namespace faultline::primary_backup
