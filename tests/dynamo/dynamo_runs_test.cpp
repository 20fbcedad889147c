// The Dynamo-style store's lessons and planted bugs, each over 200 seeds of its scenario file
// (the catch rates the files' comments state): quorum overlap, sloppy quorums, last-writer-wins
// under clock skew, and both planted bugs.
#include "runner/run.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <vector>

using namespace faultline;

namespace {

// For each system of the file and each predicate, on how many of `seeds` seeds it was true.
using Predicate = std::function<bool(const runner::SystemOutcome&)>;
std::map<std::string, std::vector<int>> count_seeds(const std::string& file, int seeds, const std::vector<Predicate>& holds) {
    const scenario::Scenario s = test::load_scenario(file);
    std::map<std::string, std::vector<int>> out;
    for (uint64_t seed = 1; seed <= static_cast<uint64_t>(seeds); ++seed) {
        for (const auto& sys : test::run_seed(s, seed).systems) {
            auto& counts = out[sys.system];
            counts.resize(holds.size());
            for (std::size_t i = 0; i < holds.size(); ++i) counts[i] += holds[i](sys) ? 1 : 0;
        }
    }
    return out;
}

const int seeds = test::seeds_for(200);

double figure(const runner::SystemOutcome& s, const std::string& name) {
    auto it = s.figures.find(name);
    REQUIRE(it != s.figures.end());
    return it->second;
}

}  // namespace

TEST_CASE("dynamo: with R + W > N no fault-free run serves a stale read, with R + W <= N most do", "[dynamo]") {
    auto stale = count_seeds("scenarios/quorums/overlap.toml", seeds, {[](const auto& s) { return figure(s, "stale_reads") > 0; }});
    REQUIRE(stale["r2w2"][0] == 0);
    REQUIRE(stale["r1w3"][0] == 0);
    REQUIRE(stale["r1w1"][0] >= seeds * 95 / 100);  // measured 200 of 200
}

TEST_CASE("dynamo: a sloppy quorum breaks the overlap under a partition, both converge after the heal", "[dynamo]") {
    auto n = count_seeds("scenarios/quorums/sloppy_quorum.toml", seeds,
                         {[](const auto& s) { return figure(s, "stale_reads") > 0; },
                          [](const auto& s) { return s.verdict("convergence") == "ok"; }});
    REQUIRE(n["strict"][0] == 0);
    REQUIRE(n["sloppy"][0] >= seeds * 95 / 100);  // measured 200 of 200
    REQUIRE(n["strict"][1] == seeds);
    REQUIRE(n["sloppy"][1] == seeds);
}

TEST_CASE("dynamo: last-writer-wins under clock skew loses acknowledged writes, version vectors lose none", "[dynamo]") {
    auto n = count_seeds("scenarios/clocks/lww_vs_version_vectors.toml", seeds,
                         {[](const auto& s) { return figure(s, "lost_writes") > 0; },
                          [](const auto& s) { return figure(s, "stale_reads") > 0; }});
    REQUIRE(n["lww"][0] >= seeds * 95 / 100);  // measured 199 of 200
    REQUIRE(n["vv"][0] == 0);
    REQUIRE(n["vv"][1] == 0);
}

TEST_CASE("dynamo: read repair that overwrites newer versions is caught by versions_never_regress", "[dynamo]") {
    auto broken = count_seeds("scenarios/dynamo/planted_read_repair_overwrites_newer.toml", seeds,
                              {[](const auto& s) { return s.verdict("invariants") == "violation"; }});
    REQUIRE(broken["right"][0] == 0);
    REQUIRE(broken["buggy"][0] >= seeds * 95 / 100);  // measured 200 of 200
}

TEST_CASE("dynamo: hints never handed off leave the replicas diverged, handed off, they converge", "[dynamo]") {
    auto diverged = count_seeds("scenarios/dynamo/planted_hints_never_handed_off.toml", seeds,
                                {[](const auto& s) { return s.verdict("convergence") == "violation"; }});
    REQUIRE(diverged["right"][0] == 0);
    REQUIRE(diverged["buggy"][0] >= seeds * 95 / 100);  // measured 200 of 200
}
