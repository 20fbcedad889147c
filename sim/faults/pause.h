// Pause fault: the node processes nothing for a while (a long GC pause, SIGSTOP, a VM migration),
// then resumes with everything that queued up, in arrival order. Its clock keeps running, so its
// timers are all overdue when it wakes. Parameters: node, duration (virtual time).
// Recoverable: everything; nothing is lost, only late.
#pragma once

#include "sim/ids.h"
#include "sim/time.h"

namespace faultline::faults {

struct Pause {
    NodeId node;
    Duration duration;
};

}  // namespace faultline::faults
