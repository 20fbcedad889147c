// Helpers for tests that run scenario files through run_scenario (the path users see).
#pragma once

#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

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

// A 6 s scenario of one system (`system`: the [[system]] table's keys) on `nodes` servers with
// `site` listed alone in [buggify]: three clients reading and writing two keys and, when
// `nemesis`, crashes and partitions from 0.5 s to 4 s. It expects linearizability and every
// invariant: what a site must leave standing in a correct system.
inline scenario::Scenario with_buggify_site(int nodes, const std::string& system, const std::string& site,
                                            bool nemesis = true) {
    const std::string text = fmt::format(R"([scenario]
version = 1
duration_ms = 6_000
[cluster]
nodes = {}
[[system]]
{}
[network]
latency = "exponential"
latency_ms = 1
latency_spread_ms = 3
[workload]
clients = 3
ops_per_client = 0
think_time_ms = 20
keys = 2
mix = {{ get = 0.3, put = 0.3, append = 0.3, cas = 0.1 }}
timeout_ms = 300
[nemesis]
enabled = {}
swarm = false
kinds = ["crash", "partition"]
start_ms = 500
end_ms = 4_000
[buggify]
sites = ["{}"]
[expect]
linearizable = true
invariants_hold = true
)",
                                         nodes, system, nemesis, site);
    auto parsed = scenario::parse_scenario_text(text, "site.toml", runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    return *parsed.scenario;
}

// Runs `s` (one system, listing `site` alone in [buggify]) traced on each seed: every run must
// meet its expectations, and the site must fire at least once over the seeds, no other site ever.
inline void require_site_fires_safely(const scenario::Scenario& s, const std::string& site,
                                      const std::vector<uint64_t>& seeds) {
    int fired = 0;
    for (uint64_t seed : seeds) {
        const runner::RunOutcome out = run_seed(s, seed, TraceLevel::events);
        const runner::SystemOutcome& sys = out.systems.at(0);
        INFO(site << " seed " << seed);
        REQUIRE_FALSE(sys.error.has_value());
        REQUIRE(out.expectations_met);
        for (const TraceEvent& e : sys.trace) {
            if (e.kind != EventKind::buggify || e.text != "fired") continue;
            REQUIRE(sys.names.at(e.name) == site);
            ++fired;
        }
    }
    INFO(site);
    REQUIRE(fired > 0);
}

// Of seeds 1..seeds of a planted-bug scenario (systems "buggy" and "correct"), how many catch the
// bug: "buggy" meets its expectations (a violation). "correct" must meet its own on every seed.
inline uint64_t seeds_catching(const scenario::Scenario& s, uint64_t seeds) {
    const auto named = [](const runner::RunOutcome& run, const std::string& name) -> const runner::SystemOutcome& {
        const auto it = std::find_if(run.systems.begin(), run.systems.end(), [&](const auto& x) { return x.system == name; });
        REQUIRE(it != run.systems.end());
        return *it;
    };
    uint64_t caught = 0;
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        const runner::RunOutcome run = run_seed(s, seed);
        INFO("seed " << seed << "; replay: faultline run " << s.file << " --seed " << seed);
        REQUIRE(named(run, "correct").expectations_met);
        caught += named(run, "buggy").expectations_met;
    }
    return caught;
}

}  // namespace faultline::test
