// lab.toml as hostile input: every malformed file is an error naming the file, line and key,
// never a crash; a seeded mutator over the real lab files finds no file that crashes the loader.
#include "tests/labs/lab_support.h"

#include "runner/labs/lab.h"
#include "sim/rng.h"

#include <algorithm>
#include <fstream>

using namespace faultline;
namespace fs = std::filesystem;
namespace rl = faultline::runner::labs;

namespace {

// A lab folder holding `text` as lab.toml (and an empty grader scenario file, so that a check may
// name one that exists).
fs::path lab_folder(const std::string& text) {
    auto dir = test::temp_dir("lab_file") / "07-test-lab";
    fs::create_directories(dir / "grader");
    std::ofstream(dir / "grader" / "s.toml") << "";
    std::ofstream(dir / "lab.toml", std::ios::binary) << text;
    return dir;
}

std::string errors_of(const std::string& text) {
    auto dir = lab_folder(text);
    auto loaded = rl::load_lab(dir);
    fs::remove_all(dir.parent_path());
    if (std::holds_alternative<rl::Lab>(loaded)) return "";
    return scenario::format_errors(std::get<rl::LabErrors>(loaded));
}

const std::string good = R"(
[lab]
title = "T"
protocol = "lab07"
edit = ["grader/s.toml"]

[[check]]
name = "c1"
points = 10
scenario = "grader/s.toml"
what = "w"

[[mistake]]
name = "m"
fails = "c1"
what = "w"
)";

}  // namespace

TEST_CASE("lab files: a good file loads, with its number taken from the folder's name", "[labs][parse]") {
    auto dir = lab_folder(good);
    auto loaded = rl::load_lab(dir);
    REQUIRE(std::holds_alternative<rl::Lab>(loaded));
    const auto& lab = std::get<rl::Lab>(loaded);
    REQUIRE(lab.number == "07");
    REQUIRE(lab.id == "07-test-lab");
    REQUIRE(lab.points() == 10);
    REQUIRE(lab.checks.front().seeds == 10);
    rl::LabList list;
    list.labs.push_back(lab);
    REQUIRE(rl::find_lab(list, "7"));
    REQUIRE(rl::find_lab(list, "07"));
    REQUIRE(rl::find_lab(list, "test-lab"));
    REQUIRE_FALSE(rl::find_lab(list, "8"));
    REQUIRE_FALSE(rl::find_lab(list, ""));
    fs::remove_all(dir.parent_path());
}

TEST_CASE("lab files: each mistake is an error naming the file, line and key", "[labs][parse]") {
    struct Case {
        std::string from, to, says;
    };
    const std::vector<Case> cases = {
        {"title = \"T\"", "", "lab.toml:2:1: lab.title: missing"},
        {"points = 10", "points = -1", "check[1].points: must be from 0 to 1000"},
        {"points = 10", "points = 1e9", "check[1].points: must be an integer"},
        {"points = 10", "pointz = 10", "check[1].pointz: unknown key"},
        {"scenario = \"grader/s.toml\"", "scenario = \"grader/none.toml\"", "check[1].scenario: no such file"},
        {"fails = \"c1\"", "fails = \"c2\"", "mistake[1].fails: 'c2' is not a check of this lab"},
        {"protocol = \"lab07\"", "protocol = \"Lab 07\"", "lab.protocol: must be a protocol name"},
        {"name = \"c1\"", "name = \"c1\"\nseeds = 0", "check[1].seeds: must be from 1 to 100000"},
        {"[lab]", "[labb]", "labb: unknown key"},
        {"title = \"T\"", "title = \"T", "lab.toml:3:"},
    };
    for (const auto& c : cases) {
        std::string text = good;
        text.replace(text.find(c.from), c.from.size(), c.to);
        INFO(text);
        REQUIRE_THAT(errors_of(text), Catch::Contains(c.says));
    }
}

TEST_CASE("lab files: hostile files end in an error, not a crash", "[labs][parse][fuzz]") {
    REQUIRE_THAT(errors_of("a = " + std::string(60'000, '[')), Catch::Contains("nested more than"));
    REQUIRE_THAT(errors_of("[[[lab]]]\n"), Catch::Contains("a table header must start with a key"));
    std::string dotted = "a";
    for (int i = 0; i < 50'000; ++i) dotted += ".a";
    REQUIRE_THAT(errors_of(dotted + " = 1\n"), Catch::Contains("parts"));
    REQUIRE_THAT(errors_of(std::string(300'000, '#')), Catch::Contains("too large"));
    REQUIRE_FALSE(errors_of("[lab]\ntitle = \"\xff\xfe\"\n").empty());
    REQUIRE_FALSE(errors_of(std::string("\0\0\0", 3)).empty());
    REQUIRE_FALSE(errors_of("").empty());
    REQUIRE_THAT(errors_of("x"), Catch::Contains("lab.toml:"));
}

TEST_CASE("lab files: a seeded mutator over the real lab files never crashes the loader", "[labs][parse][fuzz]") {
    std::vector<std::string> originals;
    for (const auto& entry : fs::directory_iterator(test::labs_dir))
        if (fs::exists(entry.path() / "lab.toml")) {
            std::ifstream in(entry.path() / "lab.toml");
            originals.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    REQUIRE_FALSE(originals.empty());
    std::sort(originals.begin(), originals.end());  // the folder's order is the file system's, not ours
    const std::string bytes = "[]{}=\".#\n\\\xff 0123456789-e+";
    Rng rng(20261205);
    int loaded = 0, rejected = 0;
    for (int i = 0; i < 400; ++i) {
        std::string text = originals[rng.below(originals.size())];
        const int edits = 1 + static_cast<int>(rng.below(4));
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = rng.below(text.size());
            switch (rng.below(3)) {
                case 0: text.erase(at, 1 + rng.below(8)); break;
                case 1: text.insert(at, 1, bytes[rng.below(bytes.size())]); break;
                default: text[at] = bytes[rng.below(bytes.size())];
            }
        }
        (errors_of(text).empty() ? loaded : rejected)++;
    }
    // Most mutants are rejected (scenario paths of the real labs do not exist in the temp folder).
    REQUIRE(loaded + rejected == 400);
    REQUIRE(rejected > 300);
}
