#include "runner/command_line.h"

#include "sim/assert.h"

#include <fmt/format.h>

#include "scenario/duration_limits.h"

#include <charconv>
#include <cmath>

namespace faultline::runner {

std::optional<uint64_t> parse_whole_number(std::string_view text, uint64_t max) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;  // too large for 64 bits
    if (value > max) return std::nullopt;
    return value;
}

std::optional<int64_t> parse_run_id(std::string_view text) {
    const auto id = parse_whole_number(text, static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
    if (!id || *id == 0) return std::nullopt;
    FL_ASSERT(*id <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), "a run id fits the store");
    return static_cast<int64_t>(*id);
}

std::optional<double> parse_time_ms(std::string_view text) {
    if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (!std::isfinite(value) || value < 0 || value > scenario::duration_ms_max) return std::nullopt;
    return value;
}

std::string time_ms_problem(std::string_view text) {
    if (parse_time_ms(text)) return "";
    return fmt::format("takes a time in ms from 0 to {:.0f} (one week), got '{}'", scenario::duration_ms_max, text);
}

std::string whole_number_problem(std::string_view text, uint64_t min, uint64_t max) {
    FL_ASSERT(min <= max, "a whole-number range [{}, {}] is empty", min, max);
    const auto value = parse_whole_number(text, max);
    if (value && *value >= min) return "";
    return fmt::format("takes a whole number from {} to {}, got '{}'", min, max, text);
}

}  // namespace faultline::runner
