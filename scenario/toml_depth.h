// A scan of scenario text for what would overflow the parser's stack, run before toml++ sees it.
//
// toml++ builds one nested table per part of a dotted key or table header and recurses through
// them; a header of ~50,000 parts overflowed the stack (SIGSEGV). It bounds nested arrays and
// inline tables (256) but not the parts of a key, and each nested inline table may itself have a
// dotted key. So the scan bounds both, well below what the stack holds: a dotted chain (a key or
// header, quoted parts included) has at most toml_key_parts_max parts, and arrays and inline
// tables nest at most toml_nesting_max deep, so no document is deeper than about
// parts * (nesting + 1) tables (~1,100). A scenario needs 3 or 4 of either.
//
// The scan is a lexer, not a parser: it knows strings (all four kinds, with escapes) and comments,
// so dots and brackets inside them count for nothing; anything else it lets through for toml++
// to judge. It also bounds the text's size (toml_text_bytes_max), and it reports a table header
// that does not open with a key ("[=", "[[[a]]]", a "[" alone on its line): toml++ 3.3 asserts
// instead of checking that (an abort in a debug build, undefined behaviour in a release one).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::scenario {

inline constexpr std::size_t toml_key_parts_max = 32;
inline constexpr std::size_t toml_nesting_max = 32;
inline constexpr std::size_t toml_text_bytes_max = 1 << 20;  // 1 MiB: the largest scenario is ~5 KB

struct DepthProblem {
    int line = 1;    // 1-based: where the deep key or the innermost bracket starts
    int column = 1;  // 1-based, in bytes
    std::string message;
};

// The first place the text goes too deep (or the whole text, when too large); nothing when it
// is within the limits.
std::optional<DepthProblem> find_too_deep(std::string_view text);

}  // namespace faultline::scenario
