// Clients (thesis §6): redirects from followers, results of every operation kind, and
// exactly-once application of retried commands through sessions (§6.3).
// Method: fiber clients against a 3-node cluster; for exactly-once, a network that duplicates
// and loses messages so that requests arrive twice and calls time out and are retried.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {
std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("raft: a follower redirects a client to the leader", "[raft][client]") {
    RaftCluster cluster({.node_count = 3, .seed = 7});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    std::string follower = *leader == "n1" ? "n2" : "n1";
    std::optional<ClientReply> answer;
    cluster.world().add_node("c1", fiber_process([&](Context& ctx) {
        Command put;
        put.operation = Operation::put;
        put.key = "x";
        put.client_id = 1;
        put.sequence = 1;
        auto reply = ctx.call(*ctx.find_node(follower), ClientRequest{put}, milliseconds(100));
        if (reply) answer = reply->get<ClientReply>();
    }));
    cluster.run_for(milliseconds(200));
    REQUIRE(answer.has_value());
    REQUIRE(answer->status == ClientStatus::not_leader);
    REQUIRE(answer->leader_hint == cluster.id(*leader));
}

TEST_CASE("raft: get, put, append and cas return their results, and a cas mismatch is ok-with-false",
          "[raft][client]") {
    RaftCluster cluster({.node_count = 3, .seed = 8});
    std::vector<std::string> results;
    std::vector<ClientOutcome> outcomes;
    cluster.add_client("c1", [&](RaftClient& client, Context&) {
        auto record = [&](const ClientResult& r, Operation op) {
            outcomes.push_back(r.outcome);
            results.push_back(r.result.describe(op));
        };
        record(client.get("x"), Operation::get);
        record(client.put("x", "1"), Operation::put);
        record(client.append("x", "2"), Operation::append);
        record(client.get("x"), Operation::get);
        record(client.cas("x", "1", "3"), Operation::cas);  // x is "12": no swap
        record(client.cas("x", "12", "3"), Operation::cas);
        record(client.get("x"), Operation::get);
        record(client.put(std::string(1000, 'k'), "v"), Operation::put);  // over key_bytes_max
    });
    cluster.run_for(seconds(3));
    REQUIRE(results == std::vector<std::string>{"nil", "ok", "ok", "12", "false", "true", "3", "ok"});
    REQUIRE(outcomes == std::vector<ClientOutcome>{ClientOutcome::ok, ClientOutcome::ok, ClientOutcome::ok,
                                                   ClientOutcome::ok, ClientOutcome::ok, ClientOutcome::ok,
                                                   ClientOutcome::ok, ClientOutcome::fail});
    // The history hooks saw every operation invoked and completed.
    REQUIRE(cluster.world().trace().count(EventKind::client_invoke) == 8);
    REQUIRE(cluster.world().trace().count(EventKind::client_complete) == 8);
}

TEST_CASE("raft: retried and duplicated appends apply exactly once", "[raft][client][exactly_once]") {
    // Goal: with 30% duplication and 10% loss, requests reach leaders twice and calls time out
    // and are retried with the same sequence number; every acknowledged append still appears
    // exactly once. Tokens are unique, so counting them in the final value is the check.
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        INFO("seed " << seed);
        LinkConfig lossy{.latency = LatencyModel::constant(milliseconds(5)), .loss = 0.1, .duplicate = 0.3};
        RaftCluster cluster({.node_count = 3, .seed = seed, .network = lossy});
        std::vector<std::string> acked;
        std::size_t retried_put_ok = 0;
        cluster.add_client("c1", [&](RaftClient& client, Context&) {
            for (int i = 0; i < 40; ++i) {
                std::string token = fmt::format("<{}>", i);
                if (client.append("log", token).ok()) acked.push_back(token);
            }
            retried_put_ok += client.put("p", "once").ok();
        }, ClientOptions{.call_timeout_ms = 60, .retry_backoff_ms = 20, .attempts_max = 100});
        cluster.run_for(seconds(20));
        REQUIRE(acked.size() == 40);
        REQUIRE(retried_put_ok == 1);
        cluster.world().set_default_link(LinkConfig{});
        cluster.run_for(seconds(1));
        for (const auto& name : cluster.names()) {
            INFO(name);
            const std::string& value = cluster.node(name).kv().at("log");
            for (const auto& token : acked) REQUIRE(count_of(value, token) == 1);
        }
        // Probe: servers received more requests than there were commands (network copies and
        // retries), so exactly-once was actually put to work.
        const Trace& trace = cluster.world().trace();
        std::size_t delivered = 0;
        for (const auto& e : trace.events())
            delivered += e.kind == EventKind::deliver && trace.name(e.name) == ClientRequest::type_name;
        INFO("client requests delivered: " << delivered);
        REQUIRE(delivered > 41 + 10);
    }
}

TEST_CASE("raft sessions: the state machine applies a (client, sequence) at most once", "[raft][client]") {
    KvStateMachine sm;
    Command append;
    append.operation = Operation::append;
    append.key = "k";
    append.value = "a";
    append.client_id = 9;
    append.sequence = 1;
    REQUIRE(sm.apply(append).value == "a");
    REQUIRE(sm.apply(append).value == "a");  // the retry gets the remembered result
    REQUIRE(sm.data().at("k") == "a");
    append.sequence = 2;
    REQUIRE(sm.apply(append).value == "aa");
    append.sequence = 1;  // a stale duplicate after the client moved on
    sm.apply(append);
    REQUIRE(sm.data().at("k") == "aa");
    REQUIRE(sm.last_sequence(9) == 2);
}
