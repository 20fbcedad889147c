// Pause fault: the node processes nothing for a while (a long GC pause, SIGSTOP, a VM migration),
// then resumes with everything that queued up, in arrival order. Its clock keeps running, so its
// timers are all overdue when it wakes. Parameters: node, duration (virtual time).
// Recoverable: everything; nothing is lost, only late.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"

namespace faultline {
class World;
}

namespace faultline::faults {

struct Pause {
    NodeId node;
    Duration duration;
    static constexpr std::string_view kind_name = "pause";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
