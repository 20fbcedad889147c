// The labs' graders, proven: for every lab in labs/, the grader fails the untouched starter (the
// student's build), passes the reference (faultline_solved), and fails each typical partial
// solution of lab.toml's [[mistake]] list on the check that names it. Data-driven: a new lab is
// covered by these tests as soon as its folder and its two CMake lines exist.
#include "tests/labs/lab_support.h"

#include "runner/labs/lab.h"

#include <set>

using namespace faultline;
namespace rl = faultline::runner::labs;

namespace {

std::vector<rl::Lab> every_lab() {
    auto list = rl::list_labs(test::labs_dir);
    INFO(scenario::format_errors(list.errors));
    REQUIRE(list.errors.empty());
    REQUIRE_FALSE(list.labs.empty());
    return list.labs;
}

nlohmann::json grade(const std::string& program, const rl::Lab& lab, const std::string& extra, int expected_exit) {
    auto dir = test::temp_dir("lab_grade");
    const std::string seeds = extra.find("--seeds") == std::string::npos ? test::grading_seeds() : "";
    auto r = test::run_in(dir, program, fmt::format("lab grade {} --no-store --json {} {}", lab.id, seeds, extra));
    INFO(r.output);
    REQUIRE(r.exit_code == expected_exit);
    std::filesystem::remove_all(dir);
    return test::json_of(r.output);
}

bool passed(const nlohmann::json& report, const std::string& check) {
    for (const auto& c : report["checks"])
        if (c["name"] == check) return c["passed"].get<bool>();
    FAIL("no check " << check << " in the report");
    return false;
}

}  // namespace

TEST_CASE("labs: every lab has a handout, starter files to edit and at least three typical mistakes", "[labs]") {
    for (const auto& lab : every_lab()) {
        INFO(lab.id);
        REQUIRE(std::filesystem::is_regular_file(lab.handout()));
        REQUIRE_FALSE(lab.edit.empty());
        for (const auto& f : lab.edit) REQUIRE(std::filesystem::is_regular_file(lab.folder / f));
        REQUIRE(lab.mistakes.size() >= 3);
        REQUIRE(lab.points() > 0);
    }
}

TEST_CASE("labs: the grader fails the untouched starter code", "[labs]") {
    for (const auto& lab : every_lab()) {
        INFO(lab.id);
        auto report = grade(test::student_cli, lab, "", 1);
        REQUIRE(report["score"].get<int>() < report["points"].get<int>());
        REQUIRE(report["protocol"] == lab.protocol);
    }
}

TEST_CASE("labs: the grader passes the reference solution with every point", "[labs]") {
    for (const auto& lab : every_lab()) {
        INFO(lab.id);
        auto report = grade(test::solved_cli, lab, "", 0);
        REQUIRE(report["score"].get<int>() == lab.points());
        for (const auto& c : report["checks"]) REQUIRE(c["seeds_failed"].get<int>() == 0);
    }
}

TEST_CASE("labs: each typical partial solution fails the check that names its mistake", "[labs]") {
    for (const auto& lab : every_lab()) {
        for (const auto& m : lab.mistakes) {
            INFO(lab.id << " mistake " << m.name << " must fail " << m.fails);
            // Only the part holding that check: the other parts' verdicts say nothing here, and
            // grading them all made this test the slowest of the suite under the sanitizers.
            const rl::LabCheck* check = lab.check(m.fails);
            REQUIRE(check != nullptr);
            auto report = grade(test::solved_cli, lab, fmt::format("--part {} --set mistake={}", check->part, m.name), 1);
            REQUIRE_FALSE(passed(report, m.fails));
        }
    }
}

TEST_CASE("labs: a hidden grading draws its seeds and names the first, and the same seeds grade the same", "[labs]") {
    const auto lab = every_lab().front();
    auto hidden = grade(test::student_cli, lab, "--hidden --part 1 --seeds 2", 1);
    REQUIRE(hidden["hidden"] == true);
    const uint64_t first = hidden["first_seed"].get<uint64_t>();
    REQUIRE(first > 1'000);
    auto again = grade(test::student_cli, lab, fmt::format("--first-seed {} --part 1 --seeds 2", first), 1);
    REQUIRE(again["checks"] == hidden["checks"]);
}
