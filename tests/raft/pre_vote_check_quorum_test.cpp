// PreVote (thesis §9.6) and CheckQuorum (thesis §6.2), both options that default off.
// Method: fixed seeds on the fixture's 1 ms network. Each behaviour is shown with the option on
// and, on the same schedule, its absence with the option off, so the test can fail (CONTRIBUTING.md rule 14).
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {

struct RejoinOutcome {
    uint64_t term_before = 0;  // the leader's term before the partition
    uint64_t term_after = 0;   // the highest term of any server after the heal
    uint64_t isolated_term = 0;  // the isolated follower's term just before the heal
    bool same_leader = false;
};

// Elects a leader in a 5-server cluster, cuts one follower off for two seconds (its election
// timer fires many times), heals, and lets it rejoin for a second.
RejoinOutcome rejoin_after_partition(bool pre_vote) {
    RaftOptions raft;
    raft.pre_vote = pre_vote;
    RaftCluster cluster({.node_count = 5, .seed = 11, .raft = raft});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    std::string isolated = *leader == "n1" ? "n2" : "n1";
    RejoinOutcome out;
    out.term_before = cluster.node(*leader).term();
    std::vector<std::string> rest;
    for (const auto& name : cluster.names())
        if (name != isolated) rest.push_back(name);
    cluster.partition({rest, {isolated}});
    cluster.run_for(seconds(2));
    out.isolated_term = cluster.node(isolated).term();
    cluster.heal();
    cluster.run_for(seconds(1));
    for (const auto& name : cluster.names()) out.term_after = std::max(out.term_after, cluster.node(name).term());
    out.same_leader = cluster.leaders() == std::vector<std::string>{*leader} &&
                      cluster.node(isolated).leader_hint() == cluster.id(*leader);
    REQUIRE(cluster.terms_with_two_leaders() == 0);
    return out;
}

}  // namespace

TEST_CASE("raft pre_vote: a follower partitioned away rejoins without raising the term", "[raft][pre_vote]") {
    RejoinOutcome with = rejoin_after_partition(true);
    // Its pre-votes were lost, so it never raised its own term while cut off...
    REQUIRE(with.isolated_term == with.term_before);
    // ...and on rejoining the others refuse its pre-votes (they hear the leader), so the stable
    // leader keeps its term and its leadership.
    REQUIRE(with.term_after == with.term_before);
    REQUIRE(with.same_leader);
}

TEST_CASE("raft pre_vote: without it, the rejoining follower deposes the leader (the test can fail)",
          "[raft][pre_vote]") {
    RejoinOutcome without = rejoin_after_partition(false);
    REQUIRE(without.isolated_term > without.term_before);
    REQUIRE(without.term_after > without.term_before);
}

namespace {

// Elects a leader in a 5-server cluster and isolates it; returns its role `after` later.
Role isolated_leader_role_after(bool check_quorum, Duration after, std::size_t* step_down_logs = nullptr) {
    RaftOptions raft;
    raft.check_quorum = check_quorum;
    RaftCluster cluster({.node_count = 5, .seed = 3, .raft = raft});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    std::vector<std::string> rest;
    for (const auto& name : cluster.names())
        if (name != *leader) rest.push_back(name);
    cluster.partition({rest, {*leader}});
    cluster.run_for(after);
    if (step_down_logs != nullptr) *step_down_logs = cluster.log_count("check_quorum");
    return cluster.node(*leader).role();
}

}  // namespace

TEST_CASE("raft check_quorum: an isolated leader steps down within an election timeout", "[raft][check_quorum]") {
    RaftOptions defaults;
    std::size_t step_downs = 0;
    Role role = isolated_leader_role_after(true, milliseconds(defaults.election_timeout_ms_max), &step_downs);
    REQUIRE(role != Role::leader);
    REQUIRE(step_downs >= 1);  // probe: it was CheckQuorum that deposed it
}

TEST_CASE("raft check_quorum: without it, an isolated leader keeps leading (the test can fail)",
          "[raft][check_quorum]") {
    REQUIRE(isolated_leader_role_after(false, seconds(2)) == Role::leader);
}

TEST_CASE("raft check_quorum and pre_vote: a healthy cluster keeps its leader and term", "[raft][check_quorum][pre_vote]") {
    // Neither option may cost a working cluster its leader: heartbeats answer CheckQuorum and
    // followers that hear the leader refuse pre-votes.
    RaftOptions raft;
    raft.check_quorum = true;
    raft.pre_vote = true;
    RaftCluster cluster({.node_count = 3, .seed = 5, .raft = raft});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    uint64_t term = cluster.node(*leader).term();
    int ok_puts = 0;
    cluster.add_client("c1", [&ok_puts](RaftClient& client, Context& ctx) {
        for (int i = 0; i < 100; ++i) {
            if (client.put("k", std::to_string(i)).ok()) ++ok_puts;
            ctx.sleep(milliseconds(20));
        }
    });
    cluster.run_for(seconds(4));
    REQUIRE(ok_puts == 100);
    REQUIRE(cluster.leaders() == std::vector<std::string>{*leader});
    REQUIRE(cluster.node(*leader).term() == term);
    REQUIRE(cluster.node(*leader).kv().at("k") == "99");
}
