// What the scenario parser's tests share: parsing a text against the test catalog, and finding an
// error at its line and key.
#pragma once

#include "scenario/scenario_parser.h"
#include "tests/scenario/test_catalog.h"

#include <string_view>

namespace faultline::scenario::test {

inline ParseResult parse(std::string_view text) { return parse_scenario_text(text, "t.toml", test_catalog()); }

// Whether the result holds an error at `line` for `key` whose message contains `fragment`.
inline bool has_error(const ParseResult& r, int line, std::string_view key, std::string_view fragment) {
    for (const ScenarioError& e : r.errors)
        if (e.line == line && e.key == key && e.message.find(fragment) != std::string::npos) return true;
    return false;
}

}  // namespace faultline::scenario::test
