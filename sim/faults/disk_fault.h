// Disk faults (see sim/disk.h for the model): set a node's disk fault profile (lost fsyncs,
// torn writes at crash, corruption at crash, slow syncs) or damage one stored block now.
// Corruption is detectable (reads return DiskStatus::corrupt); what a protocol does then is
// its business. Parameters: node, probabilities in [0, 1], sync latency in virtual time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/disk.h"
#include "sim/ids.h"

namespace faultline {
class World;
}

namespace faultline::faults {

struct DiskFaultProfile {
    NodeId node;
    DiskFaults faults;
    static constexpr std::string_view kind_name = "disk";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
// A wiped disk: the node crashes and comes back (at until_ms) with an empty disk, as a replaced
// or reimaged machine does. Protocols that assume stable storage (a persisted term and vote) can break:
// that is the lesson. Parameters: the node. Recoverable: nothing the node stored.
struct WipeDisk {
    NodeId node;
    static constexpr std::string_view kind_name = "disk_wipe";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
struct CorruptBlock {
    NodeId node;
    static constexpr std::string_view kind_name = "corrupt_block";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
