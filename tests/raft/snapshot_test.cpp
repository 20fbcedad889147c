// Log compaction and InstallSnapshot (§7), on with snapshot_threshold_entries.
// Method: fixed seeds on the fixture's 1 ms network; a client writes enough entries for several
// snapshots. Probes ("raft: snapshot", "raft: install_snapshot") show the paths were taken.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {

RaftOptions compacting(std::size_t threshold) {
    RaftOptions raft;
    raft.snapshot_threshold_entries = threshold;
    return raft;
}

// A client that puts k<i> = <i> for i in [0, count) and counts acknowledgements.
void add_writer(RaftCluster& cluster, const std::string& name, int count, int* ok_count) {
    cluster.add_client(name, [count, ok_count](RaftClient& client, Context& ctx) {
        for (int i = 0; i < count; ++i) {
            if (client.put(fmt::format("k{}", i % 10), std::to_string(i)).ok()) ++*ok_count;
            ctx.sleep(milliseconds(2));
        }
    });
}

}  // namespace

TEST_CASE("raft snapshot: the state machine and its sessions survive encode and decode", "[raft][snapshot]") {
    KvStateMachine machine;
    machine.apply(Command{Operation::put, "a", "1", "", 7, 1});
    machine.apply(Command{Operation::append, "a", "2", "", 7, 2});
    machine.apply(Command{Operation::cas, "b", "x", "y", 9, 1});  // fails: b is absent
    machine.apply(Command{Operation::put, "odd key: 3:", "", "", 9, 2});
    std::optional<KvStateMachine> copy = KvStateMachine::decode(machine.encode());
    REQUIRE(copy.has_value());
    REQUIRE(*copy == machine);
    // The session survives: a retry of client 7's last command answers from it, unapplied.
    REQUIRE(copy->last_sequence(7) == 2);
    REQUIRE(copy->apply(Command{Operation::append, "a", "2", "", 7, 2}).ok);
    REQUIRE(copy->data().at("a") == "12");
    REQUIRE_FALSE(KvStateMachine::decode("1 3:abc").has_value());  // truncated
}

TEST_CASE("raft snapshot: a lagging follower catches up through InstallSnapshot", "[raft][snapshot]") {
    RaftCluster cluster({.node_count = 3, .seed = 4, .raft = compacting(20)});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    std::string lagging = *leader == "n3" ? "n2" : "n3";
    cluster.crash(lagging);
    int ok = 0;
    add_writer(cluster, "c1", 150, &ok);
    cluster.run_for(seconds(3));
    REQUIRE(ok == 150);
    RaftNode& l = cluster.node(*leader);
    // The leader compacted past everything the crashed follower holds.
    REQUIRE(l.log_start_index() >= 100);
    REQUIRE(cluster.log_count("snapshot") >= 5);

    cluster.restart(lagging);
    cluster.run_for(seconds(1));
    RaftNode& f = cluster.node(lagging);
    REQUIRE(cluster.log_count("install_snapshot") >= 1);  // probe: sent and installed
    REQUIRE(f.log_start_index() > 0);
    REQUIRE(f.commit_index() == l.commit_index());
    REQUIRE(f.last_applied() == l.last_applied());
    REQUIRE(f.kv() == l.kv());
    REQUIRE(f.state_machine() == l.state_machine());  // sessions included
    REQUIRE(cluster.terms_with_two_leaders() == 0);
}

TEST_CASE("raft snapshot: a full-cluster restart recovers from snapshots and the log after them",
          "[raft][snapshot][persistence]") {
    RaftCluster cluster({.node_count = 3, .seed = 6, .raft = compacting(16)});
    REQUIRE(cluster.wait_for_leader().has_value());
    int ok = 0;
    add_writer(cluster, "c1", 70, &ok);
    cluster.run_for(seconds(2));
    REQUIRE(ok == 70);
    std::map<std::string, std::string> before = cluster.node(cluster.leaders().at(0)).kv();
    for (const auto& name : cluster.names()) cluster.crash(name);
    for (const auto& name : cluster.names()) cluster.restart(name);
    cluster.run_for(milliseconds(1));
    for (const auto& name : cluster.names()) {
        INFO(name);
        const RaftNode& n = cluster.node(name);
        // Restored at once from its own disk: the snapshot is committed, applied state.
        REQUIRE(n.log_start_index() >= 48);
        REQUIRE(n.last_applied() == n.log_start_index());
    }
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    cluster.run_for(milliseconds(500));
    for (const auto& name : cluster.names()) {
        INFO(name);
        REQUIRE(cluster.node(name).kv() == before);
    }
}
