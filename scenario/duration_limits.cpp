#include "scenario/duration_limits.h"

#include "sim/assert.h"

#include <fmt/format.h>

#include <cmath>

namespace faultline::scenario {

bool names_a_duration(std::string_view path) {
    const std::size_t dot = path.rfind('.');
    std::string_view name = dot == std::string_view::npos ? path : path.substr(dot + 1);
    while (!name.empty()) {
        const std::size_t underscore = name.find('_');
        if (name.substr(0, underscore) == "ms") return true;
        if (underscore == std::string_view::npos) break;
        name.remove_prefix(underscore + 1);
    }
    return false;
}

std::optional<std::string> duration_problem(double ms) {
    FL_ASSERT(!std::isnan(ms), "a NaN time must be refused before its range is checked");
    const double magnitude = std::fabs(ms);
    if (magnitude == 0) return std::nullopt;
    if (magnitude < duration_ms_resolution) {
        return fmt::format("below the kernel's resolution: a time is 0 or at least 0.000001 ms (1 ns), got {}", ms);
    }
    if (magnitude > duration_ms_max) {
        return fmt::format("too long: a time is at most 604800000 ms (one week, the longest run), got {}", ms);
    }
    return std::nullopt;
}

}  // namespace faultline::scenario
