// Disk faults (see sim/disk.h for the model): set a node's disk fault profile (lost fsyncs,
// torn writes at crash, corruption at crash, slow syncs) or damage one stored block now.
// Corruption is detectable (reads return DiskStatus::corrupt); what a protocol does then is
// its business. Parameters: node, probabilities in [0, 1], sync latency in virtual time.
#pragma once

#include "sim/disk.h"
#include "sim/ids.h"

namespace faultline::faults {

struct DiskFaultProfile {
    NodeId node;
    DiskFaults faults;
};
struct CorruptBlock {
    NodeId node;
};

}  // namespace faultline::faults
