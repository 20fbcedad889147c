// Single rules of the Raft paper, checked on one real server (n1) whose peers n2 and n3 are
// scripted fibers that send exactly the messages a rule needs and record n1's answers:
// - §5.4.1: a vote is refused to a candidate whose log is less up to date;
// - §5.3: a failed consistency check reports conflict_term / conflict_index (fast backup);
// - §5.4.2 (Figure 8): a leader does not commit an entry of an earlier term by counting
//   replicas, only once an entry of its own term is replicated on a majority.
// Method: scripted peers act within 100 ms of n1's last heartbeat, below its 150 ms minimum
// election timeout, unless the rule needs n1 to campaign.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;

namespace {
const std::vector<std::string> names{"n1", "n2", "n3"};

// Gives n1 the log [1:a, 1:b, 1:c] from "n2 leading term 1".
AppendEntries three_entries_of_term_one(NodeId n2) {
    return AppendEntries{1, n2, 0, 0, {test::put_entry(1, "a"), test::put_entry(1, "bb"), test::put_entry(1, "ccc")}, 0};
}

template <typename T>
std::optional<T> receive_a(Context& ctx) {
    while (auto m = ctx.receive(milliseconds(50)))
        if (const T* t = m->as<T>()) return *t;
    return std::nullopt;
}
}  // namespace

TEST_CASE("raft: a server refuses its vote to a candidate with a less up-to-date log", "[raft][rules]") {
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(RaftOptions{.cluster = names}));
    std::optional<RequestVoteReply> stale_candidate, current_candidate;
    world.add_node("n2", fiber_process([&](Context& ctx) {
        ctx.send(n1, three_entries_of_term_one(ctx.id()));
        REQUIRE(receive_a<AppendEntriesReply>(ctx)->success);
        // Term 5, but an empty log: n1's last term (1) is later, so no vote (§5.4.1).
        ctx.send(n1, RequestVote{5, ctx.id(), 0, 0});
        stale_candidate = receive_a<RequestVoteReply>(ctx);
    }));
    world.add_node("n3", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(20));
        // Same last term, same length: at least as up to date, so the vote is granted.
        ctx.send(n1, RequestVote{5, ctx.id(), 3, 1});
        current_candidate = receive_a<RequestVoteReply>(ctx);
    }));
    world.run_for(milliseconds(100));
    REQUIRE(stale_candidate.has_value());
    REQUIRE_FALSE(stale_candidate->vote_granted);
    REQUIRE(stale_candidate->term == 5);  // the newer term is adopted even when refusing
    REQUIRE(current_candidate.has_value());
    REQUIRE(current_candidate->vote_granted);
    REQUIRE(world.process_as<RaftNode>(n1).voted_for() == world.node_id("n3"));
}

TEST_CASE("raft: a failed consistency check reports conflict_term and conflict_index", "[raft][rules]") {
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(RaftOptions{.cluster = names}));
    std::optional<AppendEntriesReply> wrong_term, too_long;
    world.add_node("n2", fiber_process([&](Context& ctx) {
        ctx.send(n1, three_entries_of_term_one(ctx.id()));
        REQUIRE(receive_a<AppendEntriesReply>(ctx)->success);
        // A leader of term 3 whose entry at index 3 has term 2: n1's term-1 run starts at 1.
        ctx.send(n1, AppendEntries{3, ctx.id(), 3, 2, {test::put_entry(3, "d")}, 0});
        wrong_term = receive_a<AppendEntriesReply>(ctx);
        // A leader whose log is longer than n1's: n1 asks for its end (index 4).
        ctx.send(n1, AppendEntries{3, ctx.id(), 7, 3, {}, 0});
        too_long = receive_a<AppendEntriesReply>(ctx);
    }));
    world.add_node("n3", fiber_process([](Context&) {}));
    world.run_for(milliseconds(100));
    REQUIRE(wrong_term.has_value());
    REQUIRE_FALSE(wrong_term->success);
    REQUIRE(wrong_term->conflict_term == 1);
    REQUIRE(wrong_term->conflict_index == 1);
    REQUIRE(too_long.has_value());
    REQUIRE_FALSE(too_long->success);
    REQUIRE(too_long->conflict_term == 0);
    REQUIRE(too_long->conflict_index == 4);
    // A failed check deletes nothing.
    REQUIRE(world.process_as<RaftNode>(n1).log_size() == 3);
}

TEST_CASE("raft: a leader commits an earlier-term entry only through an entry of its own term (Figure 8)",
          "[raft][rules]") {
    // n2 leads term 1 and gives n1 one entry, then falls silent; n1 campaigns, n2 and n3 vote for
    // it. As leader, n1 appends its no-op (index 2). n2 first acknowledges only index 1 (the
    // term-1 entry): n1 + n2 are a majority for index 1, yet n1 must not commit it. Then n2
    // acknowledges index 2, and both commit together.
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(RaftOptions{.cluster = names}));
    bool acknowledge_no_op = false;
    auto voter = [&](bool is_n2) {
        return [&, is_n2](Context& ctx) {
            if (is_n2) ctx.send(n1, AppendEntries{1, ctx.id(), 0, 0, {test::put_entry(1, "a")}, 0});
            while (auto m = ctx.receive()) {
                if (const auto* rv = m->as<RequestVote>()) ctx.send(n1, RequestVoteReply{rv->term, true});
                const auto* ae = m->as<AppendEntries>();
                if (!is_n2 || ae == nullptr) continue;  // n3 votes, then never acknowledges
                uint64_t match = acknowledge_no_op ? ae->prev_log_index + ae->entries.size() : 1;
                ctx.send(n1, AppendEntriesReply{ae->term, true, std::min<uint64_t>(match, 2), 0, 0});
            }
        };
    };
    world.add_node("n2", fiber_process(voter(true)));
    world.add_node("n3", fiber_process(voter(false)));
    world.run_for(seconds(1));
    RaftNode& leader = world.process_as<RaftNode>(n1);
    REQUIRE(leader.role() == Role::leader);
    REQUIRE(leader.log_size() == 2);
    REQUIRE(leader.log()[0].term == 1);
    REQUIRE(leader.log()[1].term == leader.term());
    REQUIRE(leader.commit_index() == 0);  // index 1 is on a majority, but of an earlier term
    acknowledge_no_op = true;
    world.run_for(milliseconds(200));
    REQUIRE(leader.commit_index() == 2);
    REQUIRE(leader.kv().at("x") == "a");
}
