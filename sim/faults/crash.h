// Crash and restart faults.
// Models: a process or machine dying at an instant (kill -9, power loss) and coming back.
// Crash: every fiber and timer of the node ends, volatile state is gone, in-flight messages to
// it are dropped on arrival, and unsynced disk writes are lost (plus torn/corrupt faults if the
// node's disk has them). Restart: a new Process from the node's factory; only the disk survives.
// Parameters: the node. Recoverable: whatever the protocol synced to disk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/ids.h"

namespace faultline {
class World;
}

namespace faultline::faults {

struct Crash {
    NodeId node;
    static constexpr std::string_view kind_name = "crash";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
struct Restart {
    NodeId node;
    static constexpr std::string_view kind_name = "restart";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
