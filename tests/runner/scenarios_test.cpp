// Every scenario in scenarios/ runs and meets its own [expect] (CONTRIBUTING.md rule 16: examples are
// documentation and tests; the exploration scopes of scenarios/explore/ are explored instead,
// tests/runner/explore_test.cpp). Method: parse each file with the real protocol catalog, run it with
// its default seed, and require every expectation; a failure prints the summary and the replay
// command. Also: a run is a pure function of (scenario, seed), and the summary format is golden.
#include "tests/runner/scenario_support.h"
#include "cli_support.h"

#include "runner/record.h"
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

#include <algorithm>
#include <filesystem>
#include <vector>

using namespace faultline;
namespace fs = std::filesystem;

namespace {

scenario::Scenario load(const std::string& path) {
    auto parsed = scenario::parse_scenario_file(path, runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}
}  // namespace

TEST_CASE("scenarios: every scenario file meets its own expectations", "[scenarios]") {
    auto files = test::scenario_files();
    REQUIRE(files.size() >= 2);
    for (const auto& file : files) {
        // An exploration scope's expectations hold of the run `faultline explore` finds, not of
        // the seeded run: tests/runner/explore_test.cpp explores each of them.
        if (file.find("/scenarios/explore/") != std::string::npos) continue;
        auto s = load(file);
        runner::RunOptions o;
        o.seed = s.seed;
        o.trace_level = TraceLevel::off;
        o.keep_trace = false;
        auto run = runner::run_scenario(s, o);
        INFO(file << "\n" << runner::format_summary(s, run, -1) << "replay: faultline run " << file);
        REQUIRE(run.expectations_met);
    }
}

TEST_CASE("scenarios: the same seed gives the same traces, another seed other traces", "[scenarios][determinism]") {
    auto s = load(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/replication/split_brain.toml");
    runner::RunOptions o;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    o.seed = 11;
    auto a = runner::run_scenario(s, o);
    auto b = runner::run_scenario(s, o);
    o.seed = 12;
    auto c = runner::run_scenario(s, o);
    REQUIRE(a.systems.size() == 3);
    for (std::size_t i = 0; i < a.systems.size(); ++i) {
        REQUIRE(a.systems[i].trace_hash == b.systems[i].trace_hash);
        REQUIRE(a.systems[i].trace_hash != c.systems[i].trace_hash);
    }
}

TEST_CASE("scenarios: the run summary of the flagship scenario is golden", "[scenarios][golden]") {
    auto s = load(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/replication/split_brain.toml");
    runner::RunOptions o;
    o.seed = s.seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    test::check_golden("split_brain_summary.txt", runner::format_summary(s, runner::run_scenario(s, o), -1));
}
