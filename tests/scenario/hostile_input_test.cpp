// Scenario files written by an adversary: names of thousands of bytes where the parser suggests
// a correction, keys of 50,000 parts, deep nesting, huge texts. Each must be a clean error naming
// file, line and key; none may assert or overflow the stack.
// Method: parse texts with the test catalog (an assertion would abort the test binary) and look
// for the error at its line and key.
#include "scenario/scenario_parser.h"
#include "scenario/suggest.h"
#include "scenario/toml_depth.h"
#include "tests/scenario/parse_support.h"

#include <catch2/catch.hpp>

#include <string>

using namespace faultline::scenario;

using test::has_error;
using test::parse;

namespace {

const std::string head = "[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-4

}  // namespace

TEST_CASE("suggestions: a name of 5,000 bytes gets no suggestion and no assertion", "[scenario][hostile]") {
    const std::string word(5000, 'a');
    REQUIRE_FALSE(closest_match(word, std::vector<std::string>{"network", word}).has_value());
    REQUIRE_FALSE(closest_match("network", std::vector<std::string>{word}).has_value());
    // A name at the limit still gets one.
    const std::string longest(suggest_length_max, 'b');
    REQUIRE(closest_match(longest.substr(1), std::vector<std::string>{longest}) == longest);
}

TEST_CASE("scenario parser: a 5,000-byte key or value where a suggestion is made is one clean error",
          "[scenario][hostile]") {
    const std::string word(5000, 'x');
    SECTION("an unknown key in [network]") {
        const auto r = parse(head + "[network]\n" + word + " = 1\n");
        REQUIRE(has_error(r, 6, "network." + word, "unknown key"));
    }
    SECTION("a value outside its choices") {
        const auto r = parse(head + "[workload]\nkey_distribution = \"" + word + "\"\n");
        REQUIRE(has_error(r, 6, "workload.key_distribution", "unknown value"));
    }
    SECTION("an unknown protocol, and a key of a system without one") {
        const auto r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"" + word + "\"\n" + word + " = 1\n");
        REQUIRE(has_error(r, 4, "system[0].protocol", "unknown protocol"));
    }
    SECTION("an unknown protocol option") {
        const auto r = parse(head + word + " = 1\n");
        REQUIRE(has_error(r, 5, "system[0]." + word, "unknown option"));
    }
    SECTION("an unknown fault kind") {
        const auto r = parse(head + "[[fault]]\nkind = \"" + word + "\"\nat_ms = 1\n");
        REQUIRE(has_error(r, 6, "fault[0].kind", "unknown fault kind"));
    }
    SECTION("an unknown nemesis kind") {
        const auto r = parse(head + "[nemesis]\nkinds = [\"" + word + "\"]\n");
        REQUIRE(has_error(r, 6, "nemesis.kinds[0]", "unknown nemesis kind"));
    }
    SECTION("an unknown nemesis target (neither a server nor a role)") {
        const auto r = parse(head + "[nemesis]\ntargets = [\"" + word + "\"]\n");
        REQUIRE(has_error(r, 6, "nemesis.targets[0]", "unknown node or role"));
    }
    SECTION("an explored choice that is not one") {
        const auto r = parse(head + "[explored]\nchoices = [\"" + word + "\"]\n");
        REQUIRE(has_error(r, 6, "explored.choices[0]", "is not a choice"));
    }
    SECTION("an unknown buggify site") {
        const auto r = parse(head + "[buggify]\nsites = [\"" + word + "\"]\n");
        REQUIRE(has_error(r, 6, "buggify.sites[0]", "unknown buggify site"));
    }
    SECTION("an [expect] table for an unknown system, beside a system of a long name") {
        const std::string name = "s" + word;
        const auto r = parse("[scenario]\nversion = 1\n[[system]]\nname = \"" + name +
                             "\"\nprotocol = \"raft\"\n[expect." + name + "b]\nlinearizable = true\n");
        REQUIRE(has_error(r, 6, "expect." + name + "b", "unknown system"));
    }
}

TEST_CASE("scenario parser: a 5,000-byte name is shown clipped, with its length", "[scenario][hostile]") {
    const std::string word(5000, 'x');
    const auto r = parse(head + "[workload]\nkey_distribution = \"" + word + "\"\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].message.find("(5000 bytes)") != std::string::npos);
    REQUIRE(r.errors[0].message.size() < 200);
}

TEST_CASE("scenario parser: a header or dotted key of 50,000 parts is one error at its line, not a stack overflow",
          "[scenario][hostile]") {
    std::string parts = "a";
    for (int i = 1; i < 50'000; ++i) parts += ".a";
    SECTION("a table header") {
        const auto r = parse(head + "[" + parts + "]\n");
        REQUIRE(r.errors.size() == 1);
        REQUIRE(r.errors[0].line == 5);
        REQUIRE(r.errors[0].column == 2);
        REQUIRE(r.errors[0].message.find("more than 32 parts") != std::string::npos);
    }
    SECTION("an array-of-tables header") {
        REQUIRE(parse(head + "[[" + parts + "]]\n").errors.at(0).message.find("parts") != std::string::npos);
    }
    SECTION("a dotted key, in a table and in an inline table") {
        REQUIRE(parse(head + "[network]\n" + parts + " = 1\n").errors.at(0).line == 6);
        REQUIRE(parse(head + "x = { " + parts + " = 1 }\n").errors.at(0).line == 5);
    }
    SECTION("quoted parts, with spaces around the dots") {
        std::string quoted = "\"a\"";
        for (int i = 0; i < 100; ++i) quoted += i % 2 ? " . \"a\"" : ".'b'";
        REQUIRE(parse(head + quoted + " = 1\n").errors.at(0).message.find("parts") != std::string::npos);
    }
}

TEST_CASE("scenario parser: arrays and inline tables nested 33 deep are refused, 32 reach the parser",
          "[scenario][hostile]") {
    auto nested = [](int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); };
    const auto deep = parse(head + "[network]\nloss = " + nested(33) + "\n");
    REQUIRE(deep.errors.size() == 1);
    REQUIRE(deep.errors[0].line == 6);
    REQUIRE(deep.errors[0].message.find("nested more than 32 deep") != std::string::npos);
    // At the limit the text reaches the parser, which says what is wrong with the value itself.
    REQUIRE(has_error(parse(head + "[network]\nloss = " + nested(32) + "\n"), 6, "network.loss", "wrong type"));
}

TEST_CASE("toml depth scan: dots and brackets inside strings and comments count for nothing", "[scenario][hostile]") {
    const std::string dots(200, '.');
    const std::string brackets(200, '[');
    REQUIRE_FALSE(find_too_deep("a = \"" + dots + brackets + "\"\n").has_value());
    REQUIRE_FALSE(find_too_deep("a = '" + dots + brackets + "'\n").has_value());
    REQUIRE_FALSE(find_too_deep("a = \"\"\"\n" + dots + "\\\"\"\"\n" + brackets + "\"\"\"\n").has_value());
    REQUIRE_FALSE(find_too_deep("a = '''" + brackets + "\n" + dots + "''''\n").has_value());
    REQUIRE_FALSE(find_too_deep("# " + dots + brackets + "\na = 1\n").has_value());
    REQUIRE_FALSE(find_too_deep("a = \"\\\"" + dots + "\"\n").has_value());
    // After each string, counting resumes: the deep key on the last line is found there.
    std::string deep_key = "k";
    for (int i = 0; i < 40; ++i) deep_key += ".k";
    const auto problem = find_too_deep("a = \"\"\"\n[[[\n\"\"\"\nb = '''x'''\n" + deep_key + " = 1\n");
    REQUIRE(problem.has_value());
    REQUIRE(problem->line == 5);
}

TEST_CASE("scenario parser: a table header that does not open with a key is an error, not an abort",
          "[scenario][hostile]") {
    // toml++ 3.3 asserts (in a debug build) or assumes (with NDEBUG) that a header opens with a
    // key; these texts broke that and aborted the debug build before the scan reported them.
    for (const std::string bad : {"[[[a]]]", "[[[1]]]", "[[[]]", "[[=", "[=", "[ =]", "[\n", "[[\n", "[#]", "[{]"}) {
        INFO(bad);
        const auto r = parse(head + bad + "\n");
        REQUIRE(r.errors.size() == 1);
        REQUIRE(r.errors[0].line == 5);
        REQUIRE(r.errors[0].message.find("a table header must start with a key") != std::string::npos);
    }
    // Good headers, quoted ones and a bracket inside a value are left to toml++.
    for (const std::string good : {"[a]", "[ a ]", "[[a]]", "[\"a b\"]", "['a']", "[]", "[ ]", "a = [[1], [2]]",
                                   "a = [\n[1],\n]"})
        REQUIRE_FALSE(find_too_deep(good + "\n").has_value());
}

TEST_CASE("scenario parser: a text over 1 MiB is refused before parsing", "[scenario][hostile]") {
    const auto r = parse(head + "# " + std::string(toml_text_bytes_max, 'x') + "\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].message.find("a scenario is at most 1048576 bytes") != std::string::npos);
}

TEST_CASE("scenario parser: the deepest document the limits allow parses without trouble", "[scenario][hostile]") {
    // A header of 32 parts holding a key of 32 parts whose value is 31 inline tables, each keyed
    // by 32 parts: about 1,000 nested tables, the most the depth scan lets through.
    std::string parts = "a";
    for (std::size_t i = 1; i < toml_key_parts_max; ++i) parts += ".a";
    std::string value = "1";
    for (std::size_t i = 0; i + 1 < toml_nesting_max; ++i) value = "{ " + parts + " = " + value + " }";
    const auto r = parse(head + "[" + parts + "]\n" + parts + " = " + value + "\n");
    REQUIRE(r.errors.size() == 1);  // the unknown top-level table, not the depth
    REQUIRE(r.errors[0].message.find("unknown key 'a'") != std::string::npos);
}
