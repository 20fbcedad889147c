#include "sim/time.h"

#include <fmt/format.h>

namespace faultline {

std::string to_string(Duration d) {
    int64_t ns = d.ns();
    int64_t mag = ns < 0 ? -ns : ns;
    if (mag >= 1'000'000'000) return fmt::format("{:.6f}s", static_cast<double>(ns) / 1e9);
    if (mag >= 1'000'000) return fmt::format("{:.3f}ms", static_cast<double>(ns) / 1e6);
    if (mag >= 1'000) return fmt::format("{:.3f}us", static_cast<double>(ns) / 1e3);
    return fmt::format("{}ns", ns);
}

// Integer arithmetic, not a double: a double would lose nanoseconds after about 104 days.
std::string to_string(Instant t) {
    int64_t ns = t.ns();
    const char* sign = ns < 0 ? "-" : "";
    uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    return fmt::format("{}{}.{:09d}", sign, mag / 1'000'000'000u, mag % 1'000'000'000u);
}

}  // namespace faultline
