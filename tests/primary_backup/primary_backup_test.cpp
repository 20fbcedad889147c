// Primary-backup, naive and fenced: the same partition against both.
// Method: replicas n1..n3 (and the view service vs in fenced mode), clients c1..c3 running the
// key-value workload with appends; the primary n1 is cut off together with client c1 while
// c2, c3 and the backups stay connected; then the partition heals and the clients keep going.
// Naive mode must lose acknowledged appends and fail the linearizability checker for some seed;
// fenced mode must lose nothing and pass on every seed, also under a random nemesis.
#include "pb_cluster.h"

#include "sim/faults/nemesis.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::test;
using primary_backup::Mode;

namespace {
PbSetup setup(Mode mode, uint64_t seed) {
    PbSetup s;
    s.mode = mode;
    s.seed = seed;
    s.workload.ops_per_client = 60;
    s.workload.think_time_mean = milliseconds(30);
    s.workload.key_count = 2;
    // Appends and reads only: then every acknowledged append must stay in the value for ever,
    // and a missing one is a lost write, not an overwrite.
    s.workload.get_weight = 0.3;
    s.workload.put_weight = 0;
    s.workload.append_weight = 0.7;
    s.workload.cas_weight = 0;
    return s;
}

PbSetup mixed(Mode mode, uint64_t seed) {
    PbSetup s = setup(mode, seed);
    s.workload.get_weight = 0.4;
    s.workload.put_weight = 0.2;
    s.workload.append_weight = 0.2;
    s.workload.cas_weight = 0.2;
    return s;
}

// n1 (the first primary) and c1 on one side; everyone else on the other.
void split_primary_away(PbCluster& c, Instant at, Instant heal_at) {
    std::vector<NodeId> minority{c.replicas[0], c.clients[0]};
    std::vector<NodeId> majority{c.replicas[1], c.replicas[2], c.clients[1], c.clients[2]};
    if (c.view_service != no_node) majority.push_back(c.view_service);
    std::size_t n = c.world->node_count();
    c.world->at(at, [=](World& w) { w.set_partition(Partition::groups(n, {minority, majority})); });
    c.world->at(heal_at, [](World& w) { w.heal(); });
}

// Appends acknowledged to a client that are missing from the value the surviving primary holds.
std::size_t lost_appends(const PbCluster& c) {
    const primary_backup::Replica* primary = nullptr;
    for (NodeId r : c.replicas) {
        auto* rep = c.replica(r);
        if (rep != nullptr && rep->role() == primary_backup::Role::primary) primary = rep;
    }
    REQUIRE(primary != nullptr);
    std::size_t lost = 0;
    for (const auto& entry : c.acked_appends()) {
        auto tab = entry.find('\t');
        std::string key = entry.substr(0, tab), token = entry.substr(tab + 1);
        auto it = primary->store().data().find(key);
        if (it == primary->store().data().end() || it->second.find(token) == std::string::npos) ++lost;
    }
    return lost;
}
}  // namespace

TEST_CASE("primary-backup: without faults both modes are linearizable and lose nothing", "[primary_backup]") {
    for (Mode mode : {Mode::naive, Mode::fenced}) {
        INFO("mode " << (mode == Mode::naive ? "naive" : "fenced"));
        PbCluster c(mixed(mode, 3));
        c.world->run_until(Instant::zero() + seconds(10));
        REQUIRE(c.recorder->invoked() == 180);
        REQUIRE(c.check().verdict == check::Verdict::ok);
        PbCluster appends(setup(mode, 3));
        appends.world->run_until(Instant::zero() + seconds(10));
        REQUIRE(appends.check().verdict == check::Verdict::ok);
        REQUIRE(lost_appends(appends) == 0);
    }
}

TEST_CASE("primary-backup naive: a partition causes split brain that loses acknowledged writes", "[primary_backup]") {
    int violations = 0, seeds_with_loss = 0;
    uint64_t first_failing_seed = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        PbCluster c(setup(Mode::naive, seed));
        split_primary_away(c, Instant::zero() + milliseconds(500), Instant::zero() + milliseconds(1500));
        c.world->run_until(Instant::zero() + seconds(10));
        bool violated = c.check().verdict == check::Verdict::violation;
        violations += violated;
        seeds_with_loss += lost_appends(c) > 0;
        if (violated && first_failing_seed == 0) first_failing_seed = seed;
    }
    INFO("first failing seed: " << first_failing_seed);
    REQUIRE(seeds_with_loss > 0);
    REQUIRE(violations > 0);
}

TEST_CASE("primary-backup fenced: the same partition loses nothing and stays linearizable", "[primary_backup]") {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        PbCluster c(setup(Mode::fenced, seed));
        split_primary_away(c, Instant::zero() + milliseconds(500), Instant::zero() + milliseconds(1500));
        c.world->run_until(Instant::zero() + seconds(10));
        INFO("seed " << seed << ": " << c.check().explanation);
        REQUIRE(c.check().verdict == check::Verdict::ok);
        REQUIRE(lost_appends(c) == 0);
    }
}

TEST_CASE("primary-backup fenced: a new primary takes over after the old one crashes", "[primary_backup]") {
    PbCluster c(setup(Mode::fenced, 5));
    c.world->at(Instant::zero() + seconds(1), [&](World& w) { w.crash(c.replicas[0]); });
    c.world->run_until(Instant::zero() + seconds(10));
    const auto* n2 = c.replica(c.replicas[1]);
    const auto* n3 = c.replica(c.replicas[2]);
    REQUIRE((n2->role() == primary_backup::Role::primary || n3->role() == primary_backup::Role::primary));
    REQUIRE(c.check().verdict == check::Verdict::ok);
    // The clients kept making progress after the crash.
    REQUIRE(std::max(n2->applied(), n3->applied()) > 50);
}

namespace {
// The fenced nemesis sweep below: 8 blocks of seeds, each its own test case (its own CTest
// test, so `ctest -j2` spreads them over both cores): 2,000 seeds in the release build. The
// AddressSanitizer build (FAULTLINE_SANITIZE, `scripts/test --sanitize`), about ten times slower,
// runs 15 seeds per block (120): it looks for memory errors on the same code paths; the release
// build covers the seeds.
#if defined(FAULTLINE_SANITIZE)
constexpr uint64_t pb_seeds_per_block = 15;
#else
constexpr uint64_t pb_seeds_per_block = 250;
#endif

// Safety on every seed, and progress overall: a protocol that stopped answering would be
// trivially linearizable, so most operations must also complete ok. Every fault kind the
// nemesis has: crashes with restarts, pauses, partitions of every shape, lossy, duplicating and
// reordering links, clock jumps and drift (clocks only time heartbeats and failure detection
// here), and disk fault profiles (the replicas keep their state in memory, so these touch
// nothing). The view service is assumed reliable and is not targeted.
void fenced_nemesis_block(uint64_t block) {
    std::size_t ok = 0, total = 0;
    const uint64_t first = block * pb_seeds_per_block + 1;
    for (uint64_t seed = first; seed < first + pb_seeds_per_block; ++seed) {
        PbSetup s = mixed(Mode::fenced, seed);
        s.workload.ops_per_client = 40;
        PbCluster c(s);
        faults::NemesisOptions n;
        n.targets = c.replicas;
        n.start = Instant::zero() + milliseconds(200);
        n.end = Instant::zero() + seconds(5);
        n.base_link = s.network;
        Rng rng = c.world->stream("nemesis");
        faults::schedule(*c.world, faults::nemesis_schedule(n, rng, c.world->node_count()));
        c.world->run_until(Instant::zero() + seconds(15));
        INFO("seed " << seed << ": " << c.check().explanation);
        REQUIRE(c.check().verdict == check::Verdict::ok);
        auto ops = check::pair_operations(c.recorder->history());
        for (const auto& op : ops.value()) {
            ++total;
            ok += op.completion == check::Completion::ok;
        }
    }
    INFO(ok << " of " << total << " operations completed ok");
    REQUIRE(ok > total * 8 / 10);
}
}  // namespace

TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 1 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(0); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 2 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(1); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 3 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(2); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 4 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(3); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 5 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(4); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 6 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(5); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 7 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(6); }
TEST_CASE("primary-backup fenced: linearizable under every nemesis fault (block 8 of 8)", "[primary_backup][nemesis]") { fenced_nemesis_block(7); }
