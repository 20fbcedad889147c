// Command lines written by an adversary: malformed numbers and limits past their bounds. Each must
// be a usage error (exit 2) with a message naming the problem, and run nothing; before, several
// ran something else (`show 1x` showed run 1, `--seed -1` ran seed 2^64 - 1, `--jobs 100000`
// started ~1,100 threads, `replay --until inf` compared no events and called them identical).
// Method: store one run, then run the real binary on each bad command line.
#include "tests/runner/cli_support.h"

#include <string>
#include <vector>

using namespace faultline;

namespace {
const std::string scenario = "scenarios/replication/split_brain.toml";
}

TEST_CASE("cli: malformed numbers and out-of-range limits are usage errors (exit 2) that run nothing",
          "[cli][hostile]") {
    const auto dir = test::temp_dir("hostile_numbers");
    const std::string db = (dir / "runs.db").string();
    REQUIRE(test::faultline_cli(fmt::format("run {} --db {}", scenario, db)).exit_code == 0);
    struct Case {
        std::string args;
        std::string says;
    };
    const std::vector<Case> cases{
        {"show 1x", "'1x' is not a run id"},
        {"show 1e3", "'1e3' is not a run id"},
        {"show 0", "'0' is not a run id"},
        {"export -1 --format json", "'-1' is not a run id"},
        {"show 1 --limit -5", "--limit: takes a whole number"},
        {"replay 99999999999999999999", "is not a run id"},
        {"shrink 99999999999999999999", "is not a run id"},
        {"replay 1 --until 9.2e12", "--until: takes a time in ms from 0 to 604800000"},
        {"replay 1 --until 1e308", "--until: takes a time in ms"},
        {"replay 1 --until inf", "--until: takes a time in ms"},
        {"replay 1 --until -1", "--until: takes a time in ms"},
        {"run " + scenario + " --seed -1", "--seed: takes a whole number from 0"},
        {"run " + scenario + " --seed 0x10", "--seed: takes a whole number"},
        {"run " + scenario + " --seed 1e3", "--seed: takes a whole number"},
        {"sweep " + scenario + " --seeds 1..3 --shard 1/2/3", "--shard takes K/N"},
        {"sweep " + scenario + " --seeds 1..3 --jobs 100000", "--jobs: takes a whole number from 0 to 256"},
        {"sweep " + scenario + " --seeds 1..18446744073709551615", "is more than 1000000000 seeds"},
        {"sweep " + scenario + " --seeds 1x..3", "--seeds takes A..B"},
        {"explore " + scenario + " --depth -1", "--depth: takes a whole number from 0 to 8"},
        {"explore " + scenario + " --depth 99", "--depth: takes a whole number from 0 to 8"},
        {"explore " + scenario + " --budget-s -1", "--budget-s"},
        {"explore " + scenario + " --budget-s nan", "--budget-s takes seconds from 0 to 86400"},
        {"explore " + scenario + " --budget-s 1e400", "--budget-s"},
        {"explore " + scenario + " --jobs 0", "--jobs: takes a whole number from 1 to 256"},
        {"explore " + scenario + " --seed -3", "--seed: takes a whole number"},
        {"explore " + scenario + " --system nosuch", "has no system 'nosuch'"},
        {"cap --seeds 1..-3", "--seeds takes A..B"},
        {"cap --jobs 100000", "--jobs: takes a whole number"},
        {"check history.edn --memory-mb-max 99999999999999", "--memory-mb-max: takes a whole number from 1 to 1048576"},
        {"runs --limit 0", "--limit"},
        {"runs --limit -1", "--limit"},
        {"runs --limit 1e3", "--limit"},
        {"runs --status broken", "--status"},
        {"prune --keep -1", "--keep"},
        {"prune --keep 1x", "--keep"},
        {"prune --run 0", "--run"},
        {"prune --run 99999999999999999999", "--run"},
        {"prune --status sometimes", "--status"},
        {"prune", "say which runs to remove"},
        {"prune --run 77", "no such run"},
    };
    for (const Case& c : cases) {
        const auto r = test::faultline_cli(fmt::format("{} --db {}", c.args, db));
        INFO(c.args << "\n" << r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.output.find(c.says) != std::string::npos);
    }
    // Nothing ran: the store still holds the one run of the setup (three systems, three runs).
    REQUIRE(test::faultline_cli(fmt::format("show 4 --db {}", db)).exit_code == 2);
    std::filesystem::remove_all(dir);
}

TEST_CASE("cli: a seed with a leading zero is decimal (010 is seed 10, not octal 8)", "[cli][hostile]") {
    const auto r = test::faultline_cli(fmt::format("run {} --seed 010 --no-store", scenario));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.find("(seed 10)") != std::string::npos);
}
