// Partition faults: cut links (see sim/partition.h for the shapes) and heal them.
// Models: switch failures, firewall mistakes, asymmetric routing. A partition replaces the
// current one (compose shapes with Partition::merge first); heal restores full connectivity.
// Messages already in flight across a new cut are dropped on arrival (reason
// partition_in_flight). Recoverable: everything once healed, except what was dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/partition.h"

namespace faultline {
class World;
}

namespace faultline::faults {

struct PartitionNetwork {
    Partition partition;
    static constexpr std::string_view kind_name = "partition";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
struct Heal {
    static constexpr std::string_view kind_name = "heal";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
