// The faultline command's manners: a mistyped command gets a suggestion, `--version` names the
// build, and a folder given where a file belongs is called a folder.
// Method: run the real binary and read what it prints.
#include "tests/runner/cli_support.h"

#include <string>

using namespace faultline;

TEST_CASE("cli: a mistyped command is answered with the closest one, exit 2", "[cli][manners]") {
    const auto r = test::faultline_cli("rnu scenarios/replication/split_brain.toml");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("unknown command 'rnu'; did you mean 'run'?") != std::string::npos);
    REQUIRE(r.output.find("commands: run, sweep,") != std::string::npos);
    const auto far = test::faultline_cli("zzzzzzzz");
    REQUIRE(far.exit_code == 2);
    REQUIRE(far.output.find("unknown command 'zzzzzzzz'\n") != std::string::npos);
}

TEST_CASE("cli: --version names the build, exit 0", "[cli][manners]") {
    const auto r = test::faultline_cli("--version");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.rfind("faultline 0.", 0) == 0);
    REQUIRE(r.output.find('+') != std::string::npos);  // the git revision
}

TEST_CASE("cli: check and run given a folder say it is one, exit 2", "[cli][manners]") {
    const auto dir = test::temp_dir("manners_folder");
    const auto check = test::faultline_cli("check " + dir.string());
    INFO(check.output);
    REQUIRE(check.exit_code == 2);
    REQUIRE(check.output.find("is a directory, not a history file") != std::string::npos);
    const auto run = test::faultline_cli("run " + dir.string() + " --no-store");
    REQUIRE(run.exit_code == 2);
    REQUIRE(run.output.find("is a directory, not a scenario file") != std::string::npos);
    std::filesystem::remove_all(dir);
}
