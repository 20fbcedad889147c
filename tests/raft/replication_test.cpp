// Log replication (§5.3) and the commit rule (§5.4.2): an old leader cut off with a minority
// appends but cannot commit, and after healing its uncommitted entries are overwritten.
// Method: a 5-node cluster; a client that talks only to the old leader writes x=lost (the call
// times out: outcome info), a client on the majority side writes x=kept; then heal and compare
// every server's log and map with the new leader's.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {
bool log_holds_value(const RaftNode& node, const std::string& value) {
    return std::any_of(node.log().begin(), node.log().end(),
                       [&](const LogEntry& e) { return e.command.value == value; });
}
}  // namespace

TEST_CASE("raft: a partitioned old leader rejoins and its uncommitted entries are overwritten",
          "[raft][replication][partition]") {
    RaftCluster cluster({.node_count = 5, .seed = 4});
    auto old_leader = cluster.wait_for_leader();
    REQUIRE(old_leader.has_value());
    std::vector<std::string> minority{*old_leader}, majority;
    for (const auto& name : cluster.names())
        if (name != *old_leader) (minority.size() < 2 ? minority : majority).push_back(name);

    std::optional<ClientOutcome> lost_outcome, kept_outcome;
    cluster.add_client("c_old", [&](RaftClient& client, Context& ctx) {
        ctx.sleep(milliseconds(20));
        lost_outcome = client.put("x", "lost").outcome;
    }, ClientOptions{.servers = {*old_leader}, .call_timeout_ms = 300, .attempts_max = 1});
    cluster.add_client("c_new", [&](RaftClient& client, Context& ctx) {
        ctx.sleep(milliseconds(600));  // the majority has elected a new leader by then
        kept_outcome = client.put("x", "kept").outcome;
    }, ClientOptions{.servers = majority});
    cluster.run_for(milliseconds(10));
    uint64_t old_commit = cluster.node(*old_leader).commit_index();
    auto with = [](std::vector<std::string> v, const char* c) { v.push_back(c); return v; };
    cluster.partition({with(minority, "c_old"), with(majority, "c_new")});
    cluster.run_for(seconds(2));

    // On the minority side: appended, never committed (no majority of replicas, §5.4.2).
    REQUIRE(lost_outcome == ClientOutcome::info);
    REQUIRE(log_holds_value(cluster.node(*old_leader), "lost"));
    for (const auto& name : minority) REQUIRE(cluster.node(name).commit_index() == old_commit);
    REQUIRE(cluster.node(*old_leader).role() == Role::leader);  // no CheckQuorum yet: it doesn't know
    REQUIRE(kept_outcome == ClientOutcome::ok);

    cluster.heal();
    auto new_leader = cluster.wait_for_leader();
    REQUIRE(new_leader.has_value());
    REQUIRE(*new_leader != *old_leader);
    cluster.run_for(seconds(1));
    const RaftNode& reference = cluster.node(*new_leader);
    for (const auto& name : cluster.names()) {
        INFO(name);
        const RaftNode& n = cluster.node(name);
        REQUIRE_FALSE(log_holds_value(n, "lost"));
        REQUIRE(n.log() == reference.log());
        REQUIRE(n.commit_index() == reference.commit_index());
        REQUIRE(n.kv().at("x") == "kept");
    }
    REQUIRE(cluster.terms_with_two_leaders() == 0);
}

TEST_CASE("raft: a follower that missed many entries catches up through fast backup", "[raft][replication]") {
    // Goal: a follower down while 300 entries commit (more than one AppendEntries holds) ends with
    // the leader's log. Method: crash n-follower, write, restart it, compare logs.
    RaftCluster cluster({.node_count = 3, .seed = 5});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    std::string lagging = *leader == "n1" ? "n2" : "n1";
    cluster.crash(lagging);
    int acked = 0;
    cluster.add_client("c1", [&](RaftClient& client, Context&) {
        for (int i = 0; i < 300; ++i) acked += client.append("k", ".").ok();
    });
    cluster.run_for(seconds(5));
    REQUIRE(acked == 300);
    cluster.restart(lagging);
    cluster.run_for(seconds(2));
    const RaftNode& l = cluster.node(*leader);
    REQUIRE(cluster.node(lagging).log() == l.log());
    REQUIRE(cluster.node(lagging).kv().at("k") == std::string(300, '.'));
}
