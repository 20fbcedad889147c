// A store this user may read but not write (a file and folder without write permission, e.g. a
// course's shared runs): the reading commands work, and `run` refuses before it runs anything,
// saying why. Before, `show` failed ("attempt to write a readonly database": SQLite could not
// make the shared-memory file a WAL store needs even to read) and `run` ran the scenario, then
// exited 3 without printing it.
// Method: as root, permissions do not bind, so the commands run as `nobody` (setpriv); as any
// other user, they run as that user. The binary and the scenario are copied into the test's
// folder first, so that `nobody` can reach them wherever the checkout lives.
#include "tests/runner/cli_support.h"

#include <sys/stat.h>
#include <unistd.h>

using namespace faultline;

namespace {

// The command line that runs faultline as a user the permissions bind.
std::string as_bound_user() { return geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : ""; }

test::CliResult bound_cli(const std::filesystem::path& dir, const std::string& args) {
    return test::run_shell(fmt::format("cd {} && {}./faultline {} 2>&1", dir.string(), as_bound_user(), args));
}

}  // namespace

TEST_CASE("read-only store: show, runs and export read it, and run refuses before running, exit 2", "[cli][store]") {
    const auto dir = test::temp_dir("read_only_store");
    const auto folder = dir / "shared";
    std::filesystem::create_directories(folder);
    const std::string db = (folder / "runs.db").string();
    REQUIRE(test::faultline_cli(fmt::format("run scenarios/tutorial/register.toml --db {}", db)).exit_code == 0);
    namespace fs = std::filesystem;
    fs::copy_file(FAULTLINE_CLI_PATH, dir / "faultline");
    fs::copy_file(fs::path(FAULTLINE_SOURCE_DIR) / "scenarios" / "tutorial" / "register.toml", dir / "register.toml");
    chmod(dir.c_str(), 0755);
    chmod((dir / "faultline").c_str(), 0755);
    chmod((dir / "register.toml").c_str(), 0644);
    chmod(folder.c_str(), 0555);
    chmod(db.c_str(), 0444);
    const auto version = bound_cli(dir, "--version");
    INFO(version.output);
    REQUIRE(version.exit_code == 0);
    const auto show = bound_cli(dir, "show 1 --db " + db);
    INFO(show.output);
    CHECK(show.exit_code == 0);
    CHECK(bound_cli(dir, "runs --db " + db).exit_code == 0);
    CHECK(bound_cli(dir, "export 1 --format json --db " + db).exit_code == 0);
    const auto run = bound_cli(dir, "run register.toml --db " + db);
    INFO(run.output);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, Catch::Contains("may read but not write"));
    CHECK_THAT(run.output, !Catch::Contains("virtual time"));  // nothing ran
    chmod(folder.c_str(), 0755);
    chmod(db.c_str(), 0644);
}
