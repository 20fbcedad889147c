// Randomized fault runs: ~200 seeds of crashes, restarts, pauses, partitions, clock faults and
// lossy/duplicating links drawn by the nemesis, while two clients append unique tokens.
// Method: run the nemesis window, let it undo every fault, stop the clients and run a quiet
// period; then require
//   - Election Safety (§5.2): at most one leader per term, from the role/term annotations;
//   - State Machine Safety (§5.4.3): every two servers agree on their logs up to the smaller
//     commit index;
//   - convergence: every server's applied map equals every other's;
//   - exactly-once: every acknowledged append appears exactly once in the final value, and no
//     token appears twice.
// Disk faults are off: lost fsyncs and rotted blocks break Raft's stable-storage assumption
// (see protocols/raft/storage.h), so they belong to a later, checker-based test.
// A failing seed prints its replay command: faultline_tests "raft: randomized crashes*" -c "seed N".
#include "raft_cluster.h"
#include "tests/runner/scenario_support.h"

#include "sim/faults/fault.h"
#include "sim/faults/nemesis.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {
struct Outcome {
    std::map<std::string, std::vector<std::string>> acked;   // key -> tokens acknowledged ok
    std::map<std::string, std::vector<std::string>> issued;  // key -> every token sent
};

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

struct Probes {
    std::size_t truncate = 0, backup = 0, duplicate = 0, install_snapshot = 0;
};

// Runs one seed, checks it, adds to `probes`, and returns the run's trace hash.
uint64_t run_seed(uint64_t seed, Probes* probes = nullptr, RaftOptions raft = {}) {
    std::size_t servers = seed % 2 == 0 ? 5 : 3;
    LinkConfig link{.latency = LatencyModel::uniform(milliseconds(1), milliseconds(8))};
    RaftCluster cluster(
        {.node_count = servers, .seed = seed, .network = link, .trace_level = TraceLevel::off, .raft = raft});
    World& world = cluster.world();

    Outcome outcome;
    bool stop = false;
    for (int c = 1; c <= 2; ++c) {
        std::string key = c == 1 ? "a" : "b";
        cluster.add_client(fmt::format("c{}", c), [&, key, c](RaftClient& client, Context& ctx) {
            for (int i = 0; !stop && i < 1000; ++i) {
                std::string token = fmt::format("<{}.{}>", c, i);
                outcome.issued[key].push_back(token);
                if (client.append(key, token).ok()) outcome.acked[key].push_back(token);
                ctx.sleep(milliseconds(ctx.rng().uniform_int(0, 20)));
            }
        }, ClientOptions{.call_timeout_ms = 200, .retry_backoff_ms = 30, .attempts_max = 20});
    }

    // A third client mixes reads, writes and compare-and-set on one register: its results are
    // not checked here (no linearizability checker yet), but its commands must converge too.
    cluster.add_client("c3", [&](RaftClient& client, Context& ctx) {
        for (int i = 0; !stop && i < 1000; ++i) {
            switch (ctx.rng().below(3)) {
                case 0: client.get("r"); break;
                case 1: client.put("r", std::to_string(i)); break;
                default: client.cas("r", std::to_string(i - 1), std::to_string(i)); break;
            }
        }
    }, ClientOptions{.call_timeout_ms = 200, .retry_backoff_ms = 30, .attempts_max = 20});

    faults::NemesisOptions nemesis;
    for (const auto& name : cluster.names()) nemesis.targets.push_back(cluster.id(name));
    nemesis.start = Instant::zero() + milliseconds(500);
    nemesis.end = Instant::zero() + seconds(10);
    nemesis.mean_interval = milliseconds(250);
    nemesis.mean_duration = milliseconds(400);
    // Lost fsyncs and rotted blocks are outside Raft's fault model (it assumes stable storage),
    // so they can legitimately lose committed data: they belong in a scenario that shows that.
    nemesis.families = {"crash", "pause", "partition", "clock", "link"};
    nemesis.swarm = true;
    nemesis.base_link = link;
    Rng rng = world.stream("nemesis");
    faults::schedule(world, faults::nemesis_schedule(nemesis, rng, world.node_count()));

    world.run_until(nemesis.end + milliseconds(1));
    // The nemesis undid its faults by `end`; make sure, then stop the clients and go quiet.
    world.heal();
    world.set_default_link(link);
    for (const auto& name : cluster.names())
        if (!cluster.is_up(name)) cluster.restart(name);
    stop = true;
    world.run_for(seconds(3));

    INFO("seed " << seed << " (" << servers << " servers); replay: faultline_tests \"raft: randomized crashes*\" -c \"seed "
                 << seed << "\"");
    REQUIRE(cluster.terms_with_two_leaders() == 0);
    REQUIRE(cluster.leaders().size() == 1);

    const RaftNode& reference = cluster.node(cluster.leaders()[0]);
    for (const auto& name : cluster.names()) {
        INFO(name);
        const RaftNode& n = cluster.node(name);
        // Compare what both still hold (snapshots compact a prefix away) up to the smaller commit.
        uint64_t common = std::min(n.commit_index(), reference.commit_index());
        for (uint64_t i = std::max(n.log_start_index(), reference.log_start_index()) + 1; i <= common; ++i)
            REQUIRE(n.entry_at(i) == reference.entry_at(i));
        REQUIRE(n.kv() == reference.kv());
    }
    for (const auto& [key, tokens] : outcome.acked) {
        INFO("key " << key);
        auto it = reference.kv().find(key);
        REQUIRE(it != reference.kv().end());
        for (const auto& token : tokens) REQUIRE(count_of(it->second, token) == 1);
    }
    for (const auto& [key, tokens] : outcome.issued) {
        auto it = reference.kv().find(key);
        if (it == reference.kv().end()) continue;
        for (const auto& token : tokens) REQUIRE(count_of(it->second, token) <= 1);
    }
    if (probes != nullptr) {
        probes->truncate += cluster.log_count("truncate");
        probes->backup += cluster.log_count("backup");
        probes->duplicate += cluster.log_count("duplicate");
        probes->install_snapshot += cluster.log_count("install_snapshot");
    }
    return world.trace_hash();
}
}  // namespace

TEST_CASE("raft: randomized crashes, partitions, pauses, clock and link faults keep Raft safe", "[raft][random]") {
    for (uint64_t seed = 1; seed <= static_cast<uint64_t>(faultline::test::seeds_for(200)); ++seed) {
        DYNAMIC_SECTION("seed " << seed) { run_seed(seed); }
    }
}

TEST_CASE("raft: randomized faults keep Raft with PreVote and CheckQuorum safe", "[raft][random][pre_vote]") {
    // The same sweep with both options on: they change who campaigns and when leaders give up,
    // and must change nothing that the checks above can see.
    RaftOptions raft;
    raft.pre_vote = true;
    raft.check_quorum = true;
    for (uint64_t seed = 1; seed <= static_cast<uint64_t>(faultline::test::seeds_for(60)); ++seed) {
        DYNAMIC_SECTION("seed " << seed) { run_seed(seed, nullptr, raft); }
    }
}

TEST_CASE("raft: randomized faults keep Raft with log compaction safe", "[raft][random][snapshot]") {
    // Snapshots every 8 entries: crashed and partitioned servers fall behind the leaders'
    // compacted prefixes and must catch up through InstallSnapshot, sessions included.
    RaftOptions raft;
    raft.snapshot_threshold_entries = 8;
    Probes probes;
    for (uint64_t seed = 1; seed <= 60; ++seed) run_seed(seed, &probes, raft);  // run_seed names a failing seed
    REQUIRE(probes.install_snapshot > 0);  // the catch-up path was reached
}

TEST_CASE("raft: a randomized run is a pure function of its seed", "[raft][random][determinism]") {
    // Replaying a failing seed only helps if the protocol adds no hidden nondeterminism (iteration
    // over addresses, wall clocks): the same seed must give the same trace hash.
    REQUIRE(run_seed(42) == run_seed(42));
    REQUIRE(run_seed(42) != run_seed(43));
}

TEST_CASE("raft: randomized runs reach truncation, fast backup and duplicate suppression", "[raft][random][probe]") {
    // A sweep that never reaches the rare paths proves little (CONTRIBUTING.md rule 14). Over a handful of
    // seeds, followers must have deleted conflicting entries (§5.3), leaders must have skipped
    // back more than one entry at a time, and some command must have reached the log twice and
    // been applied once (§6.3).
    Probes probes;
    for (uint64_t seed = 1; seed <= 20; ++seed) run_seed(seed, &probes);
    INFO("truncate=" << probes.truncate << " backup=" << probes.backup << " duplicate=" << probes.duplicate);
    REQUIRE(probes.truncate > 0);
    REQUIRE(probes.backup > 0);
    REQUIRE(probes.duplicate > 0);
}
