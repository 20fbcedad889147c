// EdnValue and read_values(): a small, strict reader for the EDN subset Jepsen histories use, and
// for JSON, so that every history format reports errors by line and column.
//
// EDN subset: maps {}, vectors [], lists (), sets #{}, keywords :a/b, symbols, strings with
// escapes (\" \\ \n \t \r \uXXXX), integers (optional sign, optional N suffix), floats (kept as
// text), nil, true, false, comments ;..., commas as whitespace, #_ discard, and tagged literals
// #tag form (the tag is recorded and the form read as usual, e.g. #jepsen.history.Op{...}).
// JSON: objects, arrays, strings, numbers, true, false, null (RFC 8259; surrogate pairs decoded).
// Anything else is an InputError naming file, line and column: the reader never throws and never
// crashes; nesting deeper than `depth_max` is refused rather than overflowing the stack.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check/input_error.h"

namespace faultline::check {

struct EdnValue {
    enum class Kind { nil, boolean, integer, floating, string, keyword, symbol, vector, list, set, map };
    Kind kind = Kind::nil;
    bool boolean = false;
    std::string text;            // integer digits (sign kept, N dropped), float literal, string, keyword/symbol name (no ':')
    std::string tag;             // #tag that preceded this value, if any
    std::vector<EdnValue> items; // vector/list/set elements; map: key, value, key, value, ...
    int line = 0;
    int column = 0;

    bool is_sequence() const { return kind == Kind::vector || kind == Kind::list; }
    // Map lookup by keyword (EDN) or string (JSON) key `name`; nullptr when absent.
    const EdnValue* find(std::string_view name) const;
    // "keyword :ok", "string \"x\"", "vector of 2", for error messages.
    std::string describe() const;
};

enum class Syntax { edn, json };

inline constexpr int depth_max = 200;

// Reads every top-level form of `text`. `file` only labels errors.
Expected<std::vector<EdnValue>> read_values(std::string_view text, Syntax syntax, std::string_view file);

}  // namespace faultline::check
