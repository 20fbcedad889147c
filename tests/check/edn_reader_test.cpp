// The EDN/JSON reader: the subset Jepsen histories use, and errors that name line and column.
// Method: small literal inputs; each test checks one construct or one malformation.
#include <catch2/catch.hpp>

#include <string>

#include "check/edn_reader.h"

namespace faultline::check {

TEST_CASE("edn: a Jepsen op map with keywords, nil, vectors and a comment", "[check][edn]") {
    auto forms = read_values("; a history\n{:type :ok, :f :cas, :value [1 \"two\"], :process 3, :error nil}\n", Syntax::edn, "h.edn");
    REQUIRE(forms.ok());
    REQUIRE(forms->size() == 1);
    const EdnValue& op = forms->front();
    REQUIRE(op.kind == EdnValue::Kind::map);
    REQUIRE(op.line == 2);
    REQUIRE(op.find("type")->kind == EdnValue::Kind::keyword);
    REQUIRE(op.find("type")->text == "ok");
    REQUIRE(op.find("value")->items.size() == 2);
    REQUIRE(op.find("value")->items[0].text == "1");
    REQUIRE(op.find("value")->items[1].text == "two");
    REQUIRE(op.find("error")->kind == EdnValue::Kind::nil);
    REQUIRE(op.find("missing") == nullptr);
}

TEST_CASE("edn: sets, lists, tagged records, discards, big integers and string escapes", "[check][edn]") {
    auto forms = read_values("#jepsen.history.Op{:index 7 :value #{1 2} :x (a b) #_ :skipped :n 12N :s \"a\\\"b\\nc\\u00e9\"}",
                             Syntax::edn, "");
    REQUIRE(forms.ok());
    const EdnValue& op = forms->front();
    REQUIRE(op.tag == "jepsen.history.Op");
    REQUIRE(op.find("value")->kind == EdnValue::Kind::set);
    REQUIRE(op.find("x")->kind == EdnValue::Kind::list);
    REQUIRE(op.find("n")->text == "12");
    REQUIRE(op.find("s")->text == "a\"b\nc\xc3\xa9");
    REQUIRE(op.items.size() == 10);
}

TEST_CASE("edn: an unterminated map is an error at end of input naming where it opened", "[check][edn][malformed]") {
    auto forms = read_values("{:a 1}\n{:b 2\n", Syntax::edn, "bad.edn");
    REQUIRE_FALSE(forms.ok());
    REQUIRE(forms.error().file == "bad.edn");
    REQUIRE(forms.error().line == 3);
    REQUIRE(forms.error().message.find("line 2, column 1") != std::string::npos);
}

TEST_CASE("edn: a map with an odd number of forms is an error at the map", "[check][edn][malformed]") {
    auto forms = read_values("\n  {:a 1 :b}", Syntax::edn, "");
    REQUIRE_FALSE(forms.ok());
    REQUIRE(forms.error().line == 2);
    REQUIRE(forms.error().column == 3);
}

TEST_CASE("edn: nesting beyond the limit is refused, not a stack overflow", "[check][edn][malformed]") {
    std::string deep(100'000, '[');
    auto forms = read_values(deep, Syntax::edn, "");
    REQUIRE_FALSE(forms.ok());
    REQUIRE(forms.error().message.find("nesting") != std::string::npos);
}

TEST_CASE("json: objects, arrays, null and surrogate pairs", "[check][json]") {
    auto forms = read_values("[{\"a\": null, \"b\": [1, -2.5e3, true], \"c\": \"\\ud83d\\ude00\"}]", Syntax::json, "");
    REQUIRE(forms.ok());
    const EdnValue& object = forms->front().items.at(0);
    REQUIRE(object.find("a")->kind == EdnValue::Kind::nil);
    REQUIRE(object.find("b")->items[1].kind == EdnValue::Kind::floating);
    REQUIRE(object.find("c")->text == "\xf0\x9f\x98\x80");
}

TEST_CASE("json: a missing comma is reported at its line and column", "[check][json][malformed]") {
    auto forms = read_values("[\n  {\"a\": 1}\n  {\"b\": 2}\n]", Syntax::json, "x.json");
    REQUIRE_FALSE(forms.ok());
    REQUIRE(forms.error().line == 3);
    REQUIRE(forms.error().column == 3);
    REQUIRE(forms.error().describe() == "x.json:3:3: expected ',' or ']'");
}

TEST_CASE("json: EDN-only syntax is rejected", "[check][json][malformed]") {
    REQUIRE_FALSE(read_values("{\"a\": nil}", Syntax::json, "").ok());
    REQUIRE_FALSE(read_values("{:a 1}", Syntax::json, "").ok());
    REQUIRE_FALSE(read_values("{\"a\" 1}", Syntax::json, "").ok());
}

}  // namespace faultline::check
