// A store this user may read but not write (a file and folder without write permission, e.g. a
// course's shared runs): the reading commands work, and `run` refuses before it runs anything,
// saying why. Before, `show` failed ("attempt to write a readonly database": SQLite could not
// make the shared-memory file a WAL store needs even to read) and `run` ran the scenario, then
// exited 3 without printing it.
// Method: as root, permissions do not bind, so the commands run as `nobody` (setpriv); as any
// other user, they run as that user.
#include "tests/runner/cli_support.h"

#include <sys/stat.h>
#include <unistd.h>

using namespace faultline;

namespace {

// The command line that runs faultline as a user the permissions bind.
std::string as_bound_user() { return geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : ""; }

test::CliResult bound_cli(const std::string& args) {
    return test::run_shell(fmt::format("cd {} && {}{} {} 2>&1", FAULTLINE_SOURCE_DIR, as_bound_user(), FAULTLINE_CLI_PATH, args));
}

}  // namespace

TEST_CASE("read-only store: show, runs and export read it, and run refuses before running, exit 2", "[cli][store]") {
    const auto dir = test::temp_dir("read_only_store");
    const auto folder = dir / "shared";
    std::filesystem::create_directories(folder);
    const std::string db = (folder / "runs.db").string();
    REQUIRE(test::faultline_cli(fmt::format("run scenarios/tutorial/register.toml --db {}", db)).exit_code == 0);
    chmod(dir.c_str(), 0755);
    chmod(folder.c_str(), 0555);
    chmod(db.c_str(), 0444);
    const auto version = bound_cli("--version");
    if (version.exit_code != 0) {
        // The build folder is not reachable by `nobody` here (a private home): nothing to check.
        WARN("cannot run faultline as an unprivileged user here: " << version.output);
    } else {
        const auto show = bound_cli("show 1 --db " + db);
        INFO(show.output);
        CHECK(show.exit_code == 0);
        CHECK(bound_cli("runs --db " + db).exit_code == 0);
        CHECK(bound_cli("export 1 --format json --db " + db).exit_code == 0);
        const auto run = bound_cli("run scenarios/tutorial/register.toml --db " + db);
        INFO(run.output);
        CHECK(run.exit_code == 2);
        CHECK_THAT(run.output, Catch::Contains("may read but not write"));
        CHECK_THAT(run.output, !Catch::Contains("virtual time"));  // nothing ran
    }
    chmod(folder.c_str(), 0755);
    chmod(db.c_str(), 0644);
}
