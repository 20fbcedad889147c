// Lease-based reads (thesis §6.4.1), option lease_reads: a leader holding a lease answers gets
// from its state machine without appending to the log.
// Method: a 3-server cluster on the fixture's 1 ms network; a client writes, then reads many
// times. With leases the log does not grow for the reads; without, every read is an entry.
#include "raft_cluster.h"

#include <catch2/catch.hpp>

using namespace faultline;
using namespace faultline::raft;
using namespace faultline::raft::test;

namespace {

struct ReadOutcome {
    uint64_t log_growth_for_reads = 0;
    int reads_seeing_write = 0;
};

ReadOutcome read_after_write(bool lease_reads) {
    RaftOptions raft;
    raft.lease_reads = lease_reads;
    RaftCluster cluster({.node_count = 3, .seed = 8, .raft = raft});
    auto leader = cluster.wait_for_leader();
    REQUIRE(leader.has_value());
    ReadOutcome out;
    uint64_t log_after_write = 0;
    RaftNode* l = &cluster.node(*leader);
    cluster.add_client("c1", [&](RaftClient& client, Context& ctx) {
        if (!client.put("k", "v1").ok()) return;
        ctx.sleep(milliseconds(100));  // heartbeats acknowledged: the lease is held
        log_after_write = l->last_log_index();
        for (int i = 0; i < 20; ++i) {
            ClientResult r = client.get("k");
            if (r.ok() && r.result.found && r.result.value == "v1") ++out.reads_seeing_write;
            ctx.sleep(milliseconds(5));
        }
        out.log_growth_for_reads = l->last_log_index() - log_after_write;
    });
    cluster.run_for(seconds(2));
    REQUIRE(cluster.leaders() == std::vector<std::string>{*leader});
    return out;
}

}  // namespace

TEST_CASE("raft lease_reads: a leader with a lease answers reads without log entries", "[raft][lease]") {
    ReadOutcome with = read_after_write(true);
    REQUIRE(with.reads_seeing_write == 20);
    REQUIRE(with.log_growth_for_reads == 0);
}

TEST_CASE("raft lease_reads: without it, every read is a log entry (the test can fail)", "[raft][lease]") {
    ReadOutcome without = read_after_write(false);
    REQUIRE(without.reads_seeing_write == 20);
    REQUIRE(without.log_growth_for_reads == 20);
}
