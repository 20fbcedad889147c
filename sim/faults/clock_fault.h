// Clock faults: a node's clock jumps (NTP step, VM resume, operator error) or drifts (a bad
// crystal: ppm = microseconds gained per second). Timers are set in local time, so a jump forward
// fires pending timers early and a jump back delays them; a drift stretches or shrinks them.
// Parameters: node; jump in signed virtual nanoseconds, or drift in ppm (|ppm| < 1e6).
// Recoverable: the clock is never corrected by the kernel; protocols must not rely on it.
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

struct ClockJump {
    NodeId node;
    Duration delta;
    static constexpr std::string_view kind_name = "clock_jump";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
struct ClockDrift {
    NodeId node;
    double ppm;
    static constexpr std::string_view kind_name = "clock_drift";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
