// Helpers for tests that run scenario files through run_scenario (the path users see).
#pragma once

#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline::test {

// Seeds for a test that sweeps many: `n` in a normal build; under the sanitizers, where a run is
// ~10x slower, a tenth (at least 10). Thresholds are then written as shares of the seeds run.
constexpr int seeds_for(int n) {
#if defined(FAULTLINE_SANITIZE)
    return n / 10 < 10 ? 10 : n / 10;
#else
    return n;
#endif
}

// A scenario of the source tree, e.g. "scenarios/raft/nemesis.toml"; a parse error fails the test.
inline scenario::Scenario load_scenario(const std::string& relative_path) {
    auto parsed = scenario::parse_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/" + relative_path, runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

// Every scenario file under scenarios/ but the malformed corpus, sorted.
inline std::vector<std::string> scenario_files() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios")) {
        if (e.path().extension() != ".toml") continue;
        if (e.path().string().find("/malformed/") != std::string::npos) continue;
        out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// One seed of `s`; the trace is kept when it is recorded at all.
inline runner::RunOutcome run_seed(const scenario::Scenario& s, uint64_t seed, TraceLevel level = TraceLevel::off) {
    runner::RunOptions o;
    o.seed = seed;
    o.trace_level = level;
    o.keep_trace = level != TraceLevel::off;
    return runner::run_scenario(s, o);
}

}  // namespace faultline::test
