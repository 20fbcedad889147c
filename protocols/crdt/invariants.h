// The CRDT store's safety invariant as a monitor for the `invariants` checker (invariants.cpp
// says what it means and how it is read from the run).
#pragma once

#include "protocols/crdt/key_state.h"
#include "protocols/plugin/invariant_monitor.h"

#include <memory>
#include <string>
#include <vector>

namespace faultline::crdt {

inline const std::vector<std::string> invariant_names{"state_only_grows"};

std::unique_ptr<plugin::InvariantMonitor> invariants(CrdtType type);

}  // namespace faultline::crdt
