// Numbers as the command line gives them: strict, because a number misread runs something else.
// `show 1x` once showed run 1, `--seed -1` ran seed 18446744073709551615, `--shard 1/2/3` ran
// shard 1/2 and `--seed 010` (CLI11 reads C literals) seed 8. Here a whole number is decimal
// digits and nothing else: no sign, no exponent, no suffix, no spaces, no hex; leading zeros are
// decimal. The CLI (cli/) and the viewer's command (visualizer/) both use these, so every
// command reads numbers one way. The limits on what the numbers may ask for live here too.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::runner {

// The most worker threads a sweep, a CAP table or a shrink may start (--jobs).
inline constexpr uint64_t jobs_max = 256;
// The most seeds one sweep may cover (--seeds A..B): more would not finish in a lifetime; a
// larger search is several sweeps, or shards on several machines.
inline constexpr uint64_t sweep_seeds_max = 1'000'000'000;

// Digits only, at most `max`; nothing when the text is anything else.
std::optional<uint64_t> parse_whole_number(std::string_view text, uint64_t max = std::numeric_limits<uint64_t>::max());
// A stored run's id: a whole number from 1 to the store's largest (2^63 - 1).
std::optional<int64_t> parse_run_id(std::string_view text);
// A virtual time in ms as an option gives it (--at, --until, --crash n3@MS): a decimal number
// (an exponent is fine: 5e3), finite, from 0 to one week (scenario/duration_limits.h); nothing
// otherwise ("inf", "1e308", "5s", "-1").
std::optional<double> parse_time_ms(std::string_view text);
// What is wrong with an option's text, for a usage error after the option's name ("" when it
// is fine): "takes a whole number from 0 to 256, got '100000'".
std::string whole_number_problem(std::string_view text, uint64_t min, uint64_t max);
// The same for a time: "takes a time in ms from 0 to 604800000 (one week), got 'inf'".
std::string time_ms_problem(std::string_view text);

}  // namespace faultline::runner
