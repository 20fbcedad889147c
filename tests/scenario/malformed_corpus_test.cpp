// The malformed-scenario corpus (scenarios/malformed/*.toml): every bad file is rejected with
// the error it promises. Each file starts with comment lines stating what the parser must say:
//   # expect: <a substring of the message>
//   # expect-line: <the line the error names>
//   # expect-key: <the dotted key the error names>     (optional)
// Method: parse each file with the test catalog and look for one error matching all three; a
// file without expectations fails, and so does a corpus of fewer than 20 files.
#include "scenario/scenario_parser.h"
#include "tests/scenario/test_catalog.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

using namespace faultline::scenario;

namespace {

struct Expectation {
    std::string message;
    int line = 0;
    std::optional<std::string> key;
};

std::optional<std::string> header_value(const std::string& text, std::string_view label) {
    const std::string prefix = "# " + std::string(label) + ":";
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.rfind("#", 0) != 0) break;  // expectations live in the leading comment block
        if (line.rfind(prefix, 0) == 0) {
            std::string value = line.substr(prefix.size());
            value.erase(0, value.find_first_not_of(' '));
            while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
            return value;
        }
    }
    return std::nullopt;
}

std::vector<std::filesystem::path> corpus_files() {
    const std::filesystem::path dir = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios" / "malformed";
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::is_directory(dir)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // a stable order for the report
    return files;
}

}  // namespace

TEST_CASE("malformed corpus: at least 20 files", "[scenario]") {
    REQUIRE(corpus_files().size() >= 20);
}

TEST_CASE("malformed corpus: each file is rejected with its expected error", "[scenario]") {
    const Catalog catalog = test::test_catalog();
    for (const std::filesystem::path& file : corpus_files()) {
        std::ifstream in(file);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto message = header_value(text, "expect");
        const auto line = header_value(text, "expect-line");
        const auto key = header_value(text, "expect-key");
        const ParseResult result = parse_scenario_file(file.string(), catalog);
        INFO("file: " << file.string());
        INFO("errors:\n" << format_errors(result.errors));
        REQUIRE(message.has_value());
        REQUIRE(line.has_value());
        REQUIRE_FALSE(result.ok());
        REQUIRE_FALSE(result.scenario.has_value());
        const int expected_line = std::stoi(*line);
        const bool found = std::any_of(result.errors.begin(), result.errors.end(), [&](const ScenarioError& e) {
            return e.line == expected_line && e.message.find(*message) != std::string::npos &&
                   (!key || e.key == *key) && e.file == file.string();
        });
        CHECK(found);
    }
}
