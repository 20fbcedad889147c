// Suggestions for misspelled names: "unknown key 'netwrok'; did you mean 'network'?".
//
// Edit distance is the optimal-string-alignment distance (insertions, deletions, substitutions
// and swaps of two neighbouring letters each cost 1), compared case-insensitively. A candidate is
// suggested when it is close enough that the typo reading is likely: at most max(1, length / 3)
// edits, fewer than the word's own length; failing that, a candidate the word (3+ letters) is a
// prefix of ("zipf" -> "zipfian"). Ties go to the first candidate in the given order, so
// the suggestion is deterministic.
//
// Suggestions are for names. A word longer than suggest_length_max (a pasted paragraph, a
// mutated file) gets none, and candidates that long are never offered: closest_match is safe on
// any input, while edit_distance itself asserts that it is given names.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::scenario {

// The longest word or candidate closest_match compares; longer ones are never close to anything.
inline constexpr std::size_t suggest_length_max = 256;

// Both strings at most suggest_length_max long (asserted: the cost is quadratic).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate, when close enough to be a likely typo. Any word may be given.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

// "a, b, c": the candidates in the given order, for "accepted keys: ..." lists.
std::string join_names(std::span<const std::string_view> names);
std::string join_names(std::span<const std::string> names);

}  // namespace faultline::scenario
