// Rules the read lease (thesis §6.4.1, option lease_reads) rests on, each checked on one real
// server (n1) whose peers are scripted fibers:
// - §4.2.3: a follower that heard a leader within election_timeout_ms_min ignores RequestVote;
// - the same after a crash: the restarted server cannot know when it last heard a leader (that
//   was volatile), so it treats the restart as contact and ignores RequestVote for
//   election_timeout_ms_min. Without this, a voter that acknowledged the old leader, crashed
//   and came back at once could elect a new leader inside the old one's lease (a stale read);
// - a leader counts toward its lease only echoes of AppendEntries sent in its own leadership: a
//   rejection of an older term's request proves nothing about the peer's vote.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;

namespace {
const std::vector<std::string> names{"n1", "n2", "n3"};

RaftOptions lease_options() {
    RaftOptions o;
    o.cluster = names;
    o.lease_reads = true;
    return o;
}

template <typename T>
std::optional<T> receive_a(Context& ctx, Duration wait = milliseconds(50)) {
    while (auto m = ctx.receive(wait))
        if (const T* t = m->as<T>()) return *t;
    return std::nullopt;
}

struct VoteAfterRestart {
    std::optional<RequestVoteReply> within_timeout;  // asked 10 ms after the restart
    std::optional<RequestVoteReply> after_timeout;   // asked 400 ms after it
};

// n2 leads term 1 and is heard by n1; n1 crashes 10 ms later and restarts at once; n3 asks n1
// for its vote 10 ms after the restart, then again (a newer term) well after the timeout.
VoteAfterRestart vote_after_restart(bool lease_reads) {
    RaftOptions options = lease_options();
    options.lease_reads = lease_reads;
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(options));
    VoteAfterRestart out;
    world.add_node("n2", fiber_process([&](Context& ctx) {
        ctx.send(n1, AppendEntries{1, ctx.id(), 0, 0, {}, 0, ctx.now().ns()});
        REQUIRE(receive_a<AppendEntriesReply>(ctx).has_value());
    }));
    world.add_node("n3", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(22));
        ctx.send(n1, RequestVote{2, ctx.id(), 0, 0});
        out.within_timeout = receive_a<RequestVoteReply>(ctx);
        ctx.sleep(milliseconds(400));
        ctx.send(n1, RequestVote{9, ctx.id(), 0, 0});
        out.after_timeout = receive_a<RequestVoteReply>(ctx);
    }));
    world.at(Instant::zero() + milliseconds(11), [n1](World& w) { w.crash(n1); });
    world.at(Instant::zero() + milliseconds(12), [n1](World& w) { w.restart(n1); });
    world.run_for(seconds(1));
    return out;
}
}  // namespace

TEST_CASE("raft lease_reads: a follower that just heard its leader ignores RequestVote", "[raft][lease][rules]") {
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(lease_options()));
    std::optional<RequestVoteReply> reply;
    world.add_node("n2", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(100));
        ctx.send(n1, AppendEntries{1, ctx.id(), 0, 0, {}, 0, ctx.now().ns()});
        REQUIRE(receive_a<AppendEntriesReply>(ctx).has_value());
    }));
    world.add_node("n3", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(150));  // 50 ms after n1 heard n2
        ctx.send(n1, RequestVote{2, ctx.id(), 0, 0});
        reply = receive_a<RequestVoteReply>(ctx);
    }));
    world.run_for(milliseconds(230));
    REQUIRE_FALSE(reply.has_value());
    REQUIRE(world.process_as<RaftNode>(n1).term() == 1);  // not even the term is adopted
}

TEST_CASE("raft lease_reads: a restarted server ignores RequestVote for the minimum election timeout",
          "[raft][lease][rules]") {
    VoteAfterRestart with_leases = vote_after_restart(true);
    REQUIRE_FALSE(with_leases.within_timeout.has_value());
    REQUIRE(with_leases.after_timeout.has_value());
    REQUIRE(with_leases.after_timeout->vote_granted);
}

TEST_CASE("raft lease_reads: without leases a restarted server votes at once (the rule above is the option's)",
          "[raft][lease][rules]") {
    VoteAfterRestart without = vote_after_restart(false);
    REQUIRE(without.within_timeout.has_value());
    REQUIRE(without.within_timeout->vote_granted);
}

TEST_CASE("raft lease_reads: a rejection of an earlier term's AppendEntries does not extend the lease",
          "[raft][lease][rules]") {
    // n1 wins term 2 with the votes of n2 and n3. n2 acknowledges every AppendEntries but echoes
    // no send time (as an InstallSnapshot reply does), so it commits n1's entries without
    // backing a lease. n3 answers n1's first AppendEntries as if it were rejecting one n1 sent
    // as an earlier term's leader: term 2 (n3 has moved on to it), and an echo from just before
    // n1 became leader (when n3 voted). Counting that echo would give n1 a lease n3 never
    // granted; n1 must answer a get through the log instead.
    World world(WorldOptions{.seed = 1, .network = LinkConfig{}});
    NodeId n1 = world.add_node("n1", raft_node(lease_options()));
    world.add_node("n2", fiber_process([&](Context& ctx) {
        while (auto m = ctx.receive()) {
            if (const auto* rv = m->as<RequestVote>()) ctx.send(n1, RequestVoteReply{rv->term, true});
            if (const auto* ae = m->as<AppendEntries>())
                ctx.send(n1, AppendEntriesReply{ae->term, true, ae->prev_log_index + ae->entries.size(), 0, 0, 0});
        }
    }));
    world.add_node("n3", fiber_process([&](Context& ctx) {
        int64_t voted_at_ns = 0;
        bool rejected = false;
        while (auto m = ctx.receive()) {
            if (const auto* rv = m->as<RequestVote>()) {
                voted_at_ns = ctx.now().ns();
                ctx.send(n1, RequestVoteReply{rv->term, true});
            }
            const auto* ae = m->as<AppendEntries>();
            if (ae == nullptr || rejected) continue;
            rejected = true;
            REQUIRE(voted_at_ns > 0);
            ctx.send(n1, AppendEntriesReply{ae->term, false, 0, 0, ae->prev_log_index + ae->entries.size() + 1,
                                            voted_at_ns});
        }
    }));
    std::optional<Envelope> answer;
    world.add_node("c1", fiber_process([&](Context& ctx) {
        while (world.process_as<RaftNode>(n1).role() != Role::leader || world.process_as<RaftNode>(n1).commit_index() == 0)
            ctx.sleep(milliseconds(1));
        Command get;
        get.operation = Operation::get;
        get.key = "k";
        get.client_id = 7;
        get.sequence = 1;
        answer = ctx.call(n1, ClientRequest{get}, milliseconds(100));
    }));
    world.run_for(seconds(1));
    RaftNode& leader = world.process_as<RaftNode>(n1);
    REQUIRE(leader.role() == Role::leader);
    REQUIRE(answer.has_value());                // committed through the log, with n2
    REQUIRE(leader.lease_reads_served() == 0);  // not from a lease backed by n3's stale echo
}
