// A lab walked as a student would: read the handout's grade command, run it, get a failing
// check, follow its replay and view commands, apply the fix (the solved build: the reference in
// the starter's place), grade again and pass. Then what the lab commands keep and print:
// `lab status`, Gradescope's results.json, a store that stays small, and clear errors.
#include "tests/labs/lab_support.h"

#include "runner/labs/grade.h"
#include "store/run_store.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace faultline;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The handout's command after "**Grade:**", without the path to the binary.
std::string handout_grade_args(const fs::path& handout) {
    std::smatch m;
    const std::string text = read(handout);
    REQUIRE(std::regex_search(text, m, std::regex(R"(\*\*Grade:\*\* `build/release/cli/faultline ([^`]+)`)")));
    return m[1];
}

}  // namespace

TEST_CASE("labs: a student grades lab 02 from its handout, follows the failure to its replay and view, fixes it, passes",
          "[labs][walkthrough]") {
    auto dir = test::temp_dir("lab_walk");
    const std::string args = handout_grade_args(test::labs_dir / "02-exactly-once" / "README.md");
    REQUIRE(args == "lab grade 02");

    // 1. The untouched starter: failing checks, each with commands to follow.
    auto first = test::run_in(dir, test::student_cli, args);
    INFO(first.output);
    REQUIRE(first.exit_code == 1);
    REQUIRE_THAT(first.output, Catch::Contains("FAIL  retries_apply_once"));
    REQUIRE_THAT(first.output, Catch::Contains("expected linearizable: expected true, linearizability says violation"));
    REQUIRE_THAT(first.output, Catch::Contains("the writes whose values that read holds:"));
    REQUIRE_THAT(first.output, Catch::Contains("score 10/100"));
    // In a student's terms: client names and seconds, no process numbers or history indexes.
    REQUIRE(std::regex_search(first.output, std::regex(R"(c\d (get|put|append|cas) k\d)")));
    REQUIRE_THAT(first.output, !Catch::Contains("process"));

    std::smatch replay, view;
    REQUIRE(std::regex_search(first.output, replay, std::regex(R"(replay it: (faultline replay (\d+)))")));
    REQUIRE(std::regex_search(first.output, view, std::regex(R"(look at it: faultline (view (\d+) --at ([0-9.]+)))")));
    REQUIRE(replay[2] == view[2]);

    // 2. The replay command: the same seed, the same execution.
    auto again = test::run_in(dir, test::student_cli, std::string(replay[1]).substr(std::string("faultline ").size()));
    INFO(again.output);
    REQUIRE(again.exit_code == 0);
    REQUIRE_THAT(again.output, Catch::Contains("identical"));

    // 3. The view command, drawn without a display: the timeline at the failure.
    const fs::path svg = dir / "failure.svg";
    auto drawn = test::run_in(dir, test::student_cli, fmt::format("{} --svg {}", std::string(view[1]), svg.string()));
    INFO(drawn.output);
    REQUIRE(drawn.exit_code == 0);
    REQUIRE_THAT(read(svg), Catch::Contains("<svg"));
    REQUIRE_THAT(read(svg), Catch::Contains("n1"));

    // 4. The fix applied (the reference in the starter's place), the same command: every point.
    auto fixed = test::run_in(dir, test::solved_cli, args);
    INFO(fixed.output);
    REQUIRE(fixed.exit_code == 0);
    REQUIRE_THAT(fixed.output, Catch::Contains("score 100/100"));
    REQUIRE_THAT(fixed.output, !Catch::Contains("FAIL"));

    // 5. Progress, from the store: the best and the last grading.
    auto status = test::run_in(dir, test::student_cli, "lab status --json");
    INFO(status.output);
    REQUIRE(status.exit_code == 0);
    auto progress = test::json_of(status.output);
    bool found = false;
    for (const auto& lab : progress) {
        if (lab["lab"] != "02-exactly-once") continue;
        found = true;
        REQUIRE(lab["gradings"] == 2);
        REQUIRE(lab["best"]["score"] == 100);
        REQUIRE(lab["last"]["score"] == 100);
    }
    REQUIRE(found);
    fs::remove_all(dir);
}

TEST_CASE("labs: --gradescope writes Gradescope's results.json, a test per check with its score and feedback", "[labs]") {
    auto dir = test::temp_dir("lab_gradescope");
    auto r = test::run_in(dir, test::student_cli, "lab grade 02 --no-store --gradescope results.json");
    INFO(r.output);
    REQUIRE(r.exit_code == 1);
    auto results = nlohmann::json::parse(read(dir / "results.json"));
    REQUIRE(results["score"] == 10);
    REQUIRE(results["tests"].size() == 6);
    int sum = 0, max = 0;
    for (const auto& t : results["tests"]) {
        REQUIRE(t.contains("name"));
        REQUIRE(t.contains("output"));
        sum += t["score"].get<int>();
        max += t["max_score"].get<int>();
    }
    REQUIRE(sum == 10);
    REQUIRE(max == 100);
    REQUIRE_THAT(results["tests"][1]["output"].get<std::string>(), Catch::Contains("linearizability says violation"));
    fs::remove_all(dir);
}

TEST_CASE("labs: the store keeps the newest gradings of a lab and their failing runs, no more", "[labs]") {
    auto dir = test::temp_dir("lab_prune");
    const int gradings = runner::labs::kept_gradings + 3;
    for (int i = 0; i < gradings; ++i) {
        auto r = test::run_in(dir, test::student_cli, "lab grade 02 --part 1 --seeds 1");
        INFO(r.output);
        REQUIRE(r.exit_code == 1);
    }
    auto db = store::RunStore::open((dir / "faultline.db").string());
    REQUIRE(db.ok());
    auto grades = db.value().lab_grades("02-exactly-once");
    REQUIRE(grades.ok());
    REQUIRE(grades.value().size() == static_cast<std::size_t>(runner::labs::kept_gradings));
    auto runs = db.value().list_runs();
    REQUIRE(runs.ok());
    // Part 1 fails two checks: two runs a grading, for the kept gradings only.
    REQUIRE(runs.value().size() == static_cast<std::size_t>(2 * runner::labs::kept_gradings));
    fs::remove_all(dir);
}

TEST_CASE("labs: the lab commands say what is wrong with what they were given", "[labs][cli]") {
    auto dir = test::temp_dir("lab_errors");
    struct Case {
        std::string args;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"lab grade nosuch", "no lab 'nosuch'"},
        {"lab grade 02 --set mistake=none", "protocol lab02 has no option 'mistake'"},
        {"lab grade 02 --set novalue", "--set takes OPTION=VALUE"},
        {"lab grade 02 --protocol nosuch", "no protocol 'nosuch'"},
        // --set goes through the checks a scenario file's options get: durations, options together.
        {"lab grade 02 --no-store --protocol raft --set heartbeat_interval_ms=700000000", "a time is at most 604800000 ms"},
        {"lab grade 02 --no-store --protocol raft --set election_timeout_ms_min=900", "is above election_timeout_ms_max"},
        // A quorum larger than the cluster: refused with the options, not graded as never answering.
        {"lab grade 06 --no-store --part 1 --set r=4", "r (4) is above the cluster's 3 servers: no get could ever"},
        {"lab grade 02 --first-seed -1", "--first-seed takes a seed"},
        {"lab grade 02 --first-seed 1x", "--first-seed takes a seed"},
        {"lab grade 02 --part 9", "has parts 1 to 3"},
        {"lab grade 02 --seeds 0", "--seeds"},
        {"lab show 99", "no lab '99'"},
        {"lab list --labs /nonexistent", "no labs folder"},
        {"lab", "A subcommand is required"},
    };
    for (const auto& c : cases) {
        auto r = test::run_in(dir, test::student_cli, c.args);
        INFO(c.args << "\n" << r.output);
        REQUIRE(r.exit_code == 2);
        REQUIRE_THAT(r.output, Catch::Contains(c.says));
    }
    auto show = test::run_in(dir, test::student_cli, "lab show exactly-once");
    REQUIRE(show.exit_code == 0);
    REQUIRE_THAT(show.output, Catch::Contains("# Lab 02: Exactly-once over a lossy network"));
    auto list = test::run_in(dir, test::student_cli, "lab list --json");
    REQUIRE(list.exit_code == 0);
    auto listed = test::json_of(list.output);
    REQUIRE(listed.size() >= 2);
    REQUIRE(listed[0]["id"] == "01-clocks");
    REQUIRE(listed[1]["id"] == "02-exactly-once");
    fs::remove_all(dir);
}
