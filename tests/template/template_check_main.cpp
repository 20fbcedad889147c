// The protocol template's check: the folder `faultline new protocol new_protocol_check` would write
// (generated from cli/protocol_template/ at configure time, tests/CMakeLists.txt), built as a
// protocol and registered alone in this program, runs its own smoke scenario through the runner
// and meets every expectation. Exit 0 when it does; 1 (with the summary) when it does not.
#include "runner/catalog.h"
#include "runner/record.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

#include <cstdio>

int main(int argc, char** argv) {
    using namespace faultline;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s SMOKE.toml\n", argv[0]);
        return 2;
    }
    auto parsed = scenario::parse_scenario_file(argv[1], runner::catalog());
    if (!parsed.ok()) {
        std::fprintf(stderr, "%s", scenario::format_errors(parsed.errors).c_str());
        return 2;
    }
    runner::RunOptions o;
    o.seed = parsed.scenario->seed;
    const runner::RunOutcome run = runner::run_scenario(*parsed.scenario, o);
    std::printf("%s", runner::format_summary(*parsed.scenario, run, -1).c_str());
    return run.expectations_met && !run.internal_error() ? 0 : 1;
}
