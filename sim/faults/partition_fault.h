// Partition faults: cut links (see sim/partition.h for the shapes) and heal them.
// Models: switch failures, firewall mistakes, asymmetric routing. A partition replaces the
// current one (compose shapes with Partition::merge first); heal restores full connectivity.
// Messages already in flight across a new cut are dropped on arrival (reason
// partition_in_flight). Recoverable: everything once healed, except what was dropped.
#pragma once

#include "sim/partition.h"

namespace faultline::faults {

struct PartitionNetwork {
    Partition partition;
};
struct Heal {};

}  // namespace faultline::faults
