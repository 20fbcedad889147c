// `faultline view` options for comparing runs: bad input exits 2 with a message, before any window.
#include "tests/runner/cli_support.h"

using faultline::test::faultline_cli;

TEST_CASE("cli view: --compare with a run the store does not have exits 2 and says why", "[cli][visualizer][compare]") {
    auto dir = faultline::test::temp_dir("view_compare_missing");
    auto r = faultline_cli(fmt::format("view --seed 1 --compare 999 --db {}/none.db", dir.string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("faultline view:") != std::string::npos);
}

TEST_CASE("cli view: --compare and --compare-seed together are a usage error", "[cli][visualizer][compare]") {
    auto r = faultline_cli("view --seed 1 --compare 3 --compare-seed 2");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("excludes") != std::string::npos);
}

TEST_CASE("cli view: --compare-seed must be a number", "[cli][visualizer][compare]") {
    auto r = faultline_cli("view --seed 1 --compare-seed two");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
}
