// One table of exit codes for every command (README, "Exit codes"; cli/common.h names them):
// 0 ok, 1 a check failed, 2 usage or input error, 3 internal error, 4 unknown. `check` once
// used 3 for input errors and 2 for both "unknown" and usage errors.
// Method: read the README's table, then run the real binary on one bad input per command (a
// missing file, a malformed one, an unknown run, a bad option) and on check's four verdicts.
#include "cli/common.h"
#include "tests/runner/cli_support.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace faultline;

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A history the register model finds linearizable only by search: one step is not enough.
const char* needs_search =
    "{:type :invoke, :f :write, :value 3, :process 0}\n{:type :invoke, :f :read, :value nil, :process 1}\n"
    "{:type :ok, :f :write, :value 3, :process 0}\n{:type :ok, :f :read, :value 3, :process 1}\n"
    "{:type :invoke, :f :cas, :value [3 4], :process 2}\n{:type :ok, :f :cas, :value [3 4], :process 2}\n"
    "{:type :invoke, :f :cas, :value [3 5], :process 1}\n{:type :fail, :f :cas, :value [3 5], :process 1}\n"
    "{:type :invoke, :f :write, :value 1, :process 0}\n{:type :info, :f :write, :value 1, :process 0}\n"
    "{:type :invoke, :f :read, :value nil, :process 1}\n{:type :ok, :f :read, :value 1, :process 1}\n";
const char* stale_read =
    "{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write, :value 1}\n"
    "{:process 1, :type :invoke, :f :read, :value nil}\n{:process 1, :type :ok, :f :read, :value nil}\n";

}  // namespace

TEST_CASE("exit codes: the README's table is the one the code names", "[cli][exit_codes]") {
    const std::string readme = read_text(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "README.md");
    REQUIRE(readme.find("| " + std::to_string(cli::exit_ok) + " | ok |") != std::string::npos);
    REQUIRE(readme.find("| " + std::to_string(cli::exit_failed) + " | a check failed |") != std::string::npos);
    REQUIRE(readme.find("| " + std::to_string(cli::exit_input) + " | usage or input error") != std::string::npos);
    REQUIRE(readme.find("| " + std::to_string(cli::exit_internal) + " | internal error") != std::string::npos);
    REQUIRE(readme.find("| " + std::to_string(cli::exit_unknown) + " | unknown |") != std::string::npos);
    // Documented once: no other document keeps a table of its own.
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "docs")) {
        const std::string text = read_text(entry.path());
        INFO(entry.path().string());
        CHECK(text.find("| Exit code") == std::string::npos);
    }
}

TEST_CASE("exit codes: bad input is 2 for every command", "[cli][exit_codes]") {
    const auto dir = test::temp_dir("exit_codes");
    const std::string missing = (dir / "missing.toml").string();
    const std::string db = (dir / "runs.db").string();
    std::ofstream(dir / "bad.edn") << "{:process 0, :type :invoke, :f :write :value}\n";
    const std::vector<std::string> command_lines{
        "run " + missing,
        "sweep " + missing + " --seeds 1..2 --db " + db,
        "replay " + missing,
        "shrink " + missing,
        "explore " + missing + " --no-store",
        "view " + missing + " --svg -",
        "cap --partition " + missing + " --no-store",
        "check " + (dir / "missing.edn").string(),
        "check " + (dir / "bad.edn").string(),
        "check " + dir.string(),
        "check " + (dir / "bad.edn").string() + " --model queue",
        "show 1 --db " + db,
        "export 1 --db " + db,
        "merge " + (dir / "missing.db").string() + " --into " + db,
        "run scenarios/replication/split_brain.toml --no-such-option",
        "no-such-command",
        "",
    };
    for (const std::string& args : command_lines) {
        const auto r = test::faultline_cli(args);
        INFO("faultline " << args << "\n" << r.output);
        CHECK(r.exit_code == cli::exit_input);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("exit codes: check says ok 0, violation 1, unknown 4", "[cli][exit_codes]") {
    const auto dir = test::temp_dir("exit_codes_check");
    std::ofstream(dir / "search.edn") << needs_search;
    std::ofstream(dir / "stale.edn") << stale_read;
    const std::string search = (dir / "search.edn").string();
    CHECK(test::faultline_cli("check " + search + " --model cas-register").exit_code == cli::exit_ok);
    CHECK(test::faultline_cli("check " + (dir / "stale.edn").string() + " --model register").exit_code ==
          cli::exit_failed);
    const auto unknown = test::faultline_cli("check " + search + " --model cas-register --steps-max 1");
    INFO(unknown.output);
    CHECK(unknown.exit_code == cli::exit_unknown);
    std::filesystem::remove_all(dir);
}
