// Crash and restart faults.
// Models: a process or machine dying at an instant (kill -9, power loss) and coming back.
// Crash: every fiber and timer of the node ends, volatile state is gone, in-flight messages to
// it are dropped on arrival, and unsynced disk writes are lost (plus torn/corrupt faults if the
// node's disk has them). Restart: a new Process from the node's factory; only the disk survives.
// Parameters: the node. Recoverable: whatever the protocol synced to disk.
#pragma once

#include "sim/ids.h"

namespace faultline::faults {

struct Crash {
    NodeId node;
};
struct Restart {
    NodeId node;
};

}  // namespace faultline::faults
