// The trace-hash table: every scenario in scenarios/ x seeds 1..20, each system's trace hash,
// pinned in tests/golden/trace_hashes.txt. A refactor of the kernel, the runner or a protocol's
// plumbing must leave every run as it was, event for event; this table is how we know it did.
// Method: run each (scenario, seed) with the trace off (the hash does not depend on the trace
// level) and compare the whole table as text, so a failure shows every row that moved.
// A change that must alter runs (a protocol fix, a new scenario) regenerates the table with
// FAULTLINE_REWRITE_GOLDEN=1 and says why in its commit.
#include "cli_support.h"
#include "tests/runner/scenario_support.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace faultline;

namespace {

constexpr uint64_t seeds_per_scenario = 20;
#if defined(FAULTLINE_SANITIZE)
// Under the sanitizers a run is ~10x slower: the first seeds of each scenario, against the same table.
constexpr uint64_t seeds_checked = 3;
#else
constexpr uint64_t seeds_checked = seeds_per_scenario;
#endif

// The golden table's rows for seeds 1..seeds_checked.
std::string golden_rows() {
    std::ifstream in(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "tests" / "golden" / "trace_hashes.txt");
    std::string out, line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string file;
        uint64_t seed = 0;
        fields >> file >> seed;
        if (seed <= seeds_checked) out += line + "\n";
    }
    return out;
}

std::string relative(const std::string& path) {
    return std::filesystem::relative(path, FAULTLINE_SOURCE_DIR).generic_string();
}

}  // namespace

TEST_CASE("trace hashes: every scenario x seeds 1..20 replays to its pinned hash", "[scenarios][determinism][golden]") {
    std::string table;
    for (const auto& file : test::scenario_files()) {
        const std::string rel = relative(file);
        const scenario::Scenario s = test::load_scenario(rel);
        for (uint64_t seed = 1; seed <= seeds_checked; ++seed) {
            const runner::RunOutcome run = test::run_seed(s, seed);
            for (const auto& o : run.systems) table += fmt::format("{} {} {} {:016x}\n", rel, seed, o.system, o.trace_hash);
        }
    }
    if (seeds_checked == seeds_per_scenario) {
        test::check_golden("trace_hashes.txt", table);
    } else {
        REQUIRE(table == golden_rows());
    }
}
