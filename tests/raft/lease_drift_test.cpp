// Lease reads (thesis §6.4.1) against clock drift: the twin scenarios
// scenarios/raft/lease_reads_broken_by_drift.toml and lease_reads_within_bound.toml, run
// through run_scenario (the path users see), and the all-options nemesis sweep's use of leases.
// Method:
// - broken: n1 leads, is cut off with two clients, and its clock slows far beyond the assumed
//   drift bound; sweeping seeds 1.., the linearizability checker must report a stale read within
//   20 seeds, while the invariant monitor finds nothing (the logs are fine; the reads lie);
// - within the bound: the same run with the drift inside the bound must be linearizable on
//   hundreds of seeds, with the partition and the drift striking at a seed-drawn moment (0-499 ms
//   later than the file says), so that they fall at every phase of the heartbeat cycle;
// - the lease was used: counting the probe `raft: lease_read:` in the trace, the twin's leader
//   answers reads from its lease, also while it is cut off (before the lease runs out), and so
//   do the leaders of scenarios/raft/nemesis_all_options.toml. A safe run that never used a
//   lease would prove nothing.
// A failing seed prints its replay command.
#include "sim/rng.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

const std::string broken_file = "scenarios/raft/lease_reads_broken_by_drift.toml";
const std::string within_file = "scenarios/raft/lease_reads_within_bound.toml";
const std::string all_options_file = "scenarios/raft/nemesis_all_options.toml";

#if defined(FAULTLINE_SANITIZE)
constexpr uint64_t within_bound_seeds = 40;  // ASan + UBSan run ~10x slower; CI runs both builds
#else
constexpr uint64_t within_bound_seeds = 400;
#endif

scenario::Scenario load(const std::string& relative_path) { return test::load_scenario(relative_path); }

runner::SystemOutcome run_one(const scenario::Scenario& s, uint64_t seed, TraceLevel level = TraceLevel::off) {
    runner::RunOutcome run = test::run_seed(s, seed, level);
    REQUIRE(run.systems.size() == 1);
    return std::move(run.systems.front());
}

// Moves the partition and the drift (every fault but the jump at 1 ms) by the same offset.
scenario::Scenario shifted(scenario::Scenario s, double offset_ms) {
    for (auto& f : s.faults) {
        if (f.kind == "clock_jump") continue;
        f.at_ms += offset_ms;
        if (f.until_ms) *f.until_ms += offset_ms;
    }
    return s;
}

struct LeaseReads {
    std::size_t total = 0;
    std::size_t by_n1_while_cut_off = 0;
};

LeaseReads count_lease_reads(const runner::SystemOutcome& o, double cut_from_ms, double cut_until_ms) {
    LeaseReads out;
    for (const auto& e : o.trace) {
        if (e.kind != EventKind::log || e.text.rfind("raft: lease_read:", 0) != 0) continue;
        ++out.total;
        double at_ms = (e.time - Instant::zero()).ms_f();
        if (o.node_names.at(e.node) == "n1" && at_ms >= cut_from_ms && at_ms < cut_until_ms) ++out.by_n1_while_cut_off;
    }
    return out;
}

}  // namespace

TEST_CASE("raft lease_reads: a leader clock slowed beyond the drift bound serves a stale read within 20 seeds",
          "[raft][lease][drift]") {
    scenario::Scenario s = load(broken_file);
    uint64_t caught = 0;
    for (uint64_t seed = 1; seed <= 20 && caught == 0; ++seed) {
        runner::SystemOutcome o = run_one(s, seed);
        INFO(broken_file << " seed " << seed << "; replay: faultline run " << broken_file << " --seed " << seed);
        REQUIRE(o.verdict("invariants") == "ok");  // every Raft invariant holds: only the reads are stale
        if (o.verdict("linearizability") == "violation") caught = seed;
    }
    WARN(broken_file << ": first stale read on seed " << caught);
    REQUIRE(caught != 0);
    REQUIRE(run_one(s, s.seed).verdict("linearizability") == "violation");  // the file's own seed shows it
}

TEST_CASE("raft lease_reads: with the drift inside the bound, hundreds of seeds stay linearizable",
          "[raft][lease][drift]") {
    scenario::Scenario s = load(within_file);
    for (uint64_t seed = 1; seed <= within_bound_seeds; ++seed) {
        Rng rng(seed);
        double offset_ms = static_cast<double>(rng.below(500));
        runner::SystemOutcome o = run_one(shifted(s, offset_ms), seed);
        INFO(within_file << " seed " << seed << ", faults " << offset_ms << " ms later; " << o.verdict("linearizability")
                         << ", invariants " << o.verdict("invariants"));
        REQUIRE(o.verdict("linearizability") == "ok");
        REQUIRE(o.verdict("invariants") == "ok");
        REQUIRE(o.verdict("liveness") == "ok");
    }
}

TEST_CASE("raft lease_reads: the within-bound twin answers reads from the lease, also while cut off",
          "[raft][lease][drift][probe]") {
    scenario::Scenario s = load(within_file);
    double cut_from = 0, cut_until = 0;
    for (const auto& f : s.faults)
        if (f.kind == "partition") cut_from = f.at_ms, cut_until = *f.until_ms;
    REQUIRE(cut_until > cut_from);
    LeaseReads sum;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        runner::SystemOutcome o = run_one(s, seed, TraceLevel::events);
        LeaseReads r = count_lease_reads(o, cut_from, cut_until);
        INFO("seed " << seed << ": " << r.total << " lease reads, " << r.by_n1_while_cut_off << " by n1 while cut off");
        REQUIRE(o.verdict("linearizability") == "ok");
        REQUIRE(r.total > 50);  // most gets are answered from the lease
        sum.total += r.total;
        sum.by_n1_while_cut_off += r.by_n1_while_cut_off;
    }
    INFO(sum.total << " lease reads, " << sum.by_n1_while_cut_off << " by n1 while cut off");
    REQUIRE(sum.by_n1_while_cut_off > 0);  // the isolated leader used its lease until it ran out
}

TEST_CASE("raft lease_reads: leaders of the all-options nemesis sweep answer reads from leases",
          "[raft][lease][probe]") {
    scenario::Scenario s = load(all_options_file);
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        runner::SystemOutcome o = run_one(s, seed, TraceLevel::events);
        LeaseReads r = count_lease_reads(o, 0, 0);
        INFO("seed " << seed << ": " << r.total << " lease reads");
        REQUIRE(o.verdict("linearizability") == "ok");
        REQUIRE(r.total > 20);
    }
}
