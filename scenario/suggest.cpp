#include "scenario/suggest.h"

#include "sim/assert.h"

#include <algorithm>
#include <cctype>

namespace faultline::scenario {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

template <typename Names>
std::optional<std::string> closest_in(std::string_view word, const Names& candidates) {
    // A word too long to be a name is no typo of one (and would make the distance quadratic).
    if (word.empty() || word.size() > suggest_length_max) return std::nullopt;
    const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    for (const auto& candidate : candidates) {
        const std::string_view c(candidate);
        // Lengths further apart than the allowed edits cannot be within them.
        if (c.size() > word.size() + allowed || word.size() > c.size() + allowed) continue;
        const std::size_t d = edit_distance(word, c);
        // Strictly better only: the first of equally close candidates wins.
        if (d < best_distance && d < word.size()) {
            best_distance = d;
            best = std::string(candidate);
        }
    }
    FL_ASSERT(!best || best_distance <= allowed, "a suggestion must be within the allowed distance");
    if (best || word.size() < 3) return best;
    // A clipped word ("zipf" for "zipfian", "lineariz" for "linearizability") is far in edits
    // but plainly meant: suggest the first candidate it begins.
    for (const auto& candidate : candidates) {
        const std::string_view c(candidate);
        if (c.size() > suggest_length_max) continue;
        if (c.size() > word.size() && edit_distance(c.substr(0, word.size()), word) == 0) return std::string(c);
    }
    return best;
}

template <typename Names>
std::string join_in(const Names& names) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment over three rows: d[i][j] is the distance between a[0..i) and
    // b[0..j). Names are short (keys, node and protocol names), so the quadratic cost is nothing.
    FL_ASSERT(a.size() <= suggest_length_max, "edit_distance is for names, not texts ({} bytes)", a.size());
    FL_ASSERT(b.size() <= suggest_length_max, "edit_distance is for names, not texts ({} bytes)", b.size());
    std::vector<std::size_t> two_back(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
                current[j] = std::min(current[j], two_back[j - 2] + 1);
            }
        }
        std::swap(two_back, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates) {
    return closest_in(word, candidates);
}
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates) {
    return closest_in(word, candidates);
}

std::string join_names(std::span<const std::string_view> names) { return join_in(names); }
std::string join_names(std::span<const std::string> names) { return join_in(names); }

}  // namespace faultline::scenario
