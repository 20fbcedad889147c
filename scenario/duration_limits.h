// What a time in a scenario may be: the kernel's resolution and range, for every key whose name
// carries the unit "ms" (CONTRIBUTING.md rule 9: units in names), so a new key is checked without
// anyone remembering to.
//
// The kernel counts whole nanoseconds in 64 bits (sim/time.h) and a run lasts at most a week.
// A time is therefore 0, or a magnitude of at least 1 ns (0.000001 ms; a smaller one would round
// to 0, and a timeout of 0 spins), and at most one week (604,800,000 ms; beyond that no run can
// reach it, and from ~9.2e12 ms on it no longer fits the kernel's integer). Values between are
// rounded to the nearest nanosecond. Signed quantities (a clock jump) are bounded in magnitude.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace faultline::scenario {

inline constexpr double duration_ms_resolution = 1e-6;             // 1 ns, the kernel's tick
inline constexpr double duration_ms_max = 7.0 * 24 * 3600 * 1000;  // one week of virtual time

// Whether a key (a dotted path; its last part decides) names a time in milliseconds: one of its
// '_'-separated words is "ms" ("timeout_ms", "election_timeout_ms_min", "fault[2].at_ms").
bool names_a_duration(std::string_view path);

// What is wrong with `ms` as a time the kernel can hold, or nothing.
std::optional<std::string> duration_problem(double ms);

}  // namespace faultline::scenario
