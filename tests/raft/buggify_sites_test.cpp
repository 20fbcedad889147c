// Raft's buggify sites (protocols/raft/entry.cpp): each, listed alone on a correct Raft under
// the nemesis, fires, and Raft stays linearizable with every invariant: the sites push it down
// rare paths it must survive. A site whose code were removed would not fire and fail here.
// Then one site's own rule, on a scripted cluster whose chooser fires every site it reaches.
#include "raft_cluster.h"

#include "runner/run.h"
#include "sim/choice.h"
#include "sim/world.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>

#include <string>

using namespace faultline;

namespace {

// `nemesis` false: no fault at all, only the site.
scenario::Scenario raft_with_site(const std::string& site, bool nemesis = true) {
    return test::with_buggify_site(5, R"(protocol = "raft")", site, nemesis);
}

// Firing times of the run's buggify sites, in seconds.
std::vector<double> firings(const runner::SystemOutcome& sys) {
    std::vector<double> at;
    for (const TraceEvent& e : sys.trace)
        if (e.kind == EventKind::buggify && e.text == "fired") at.push_back(static_cast<double>(e.time.ns()) / 1e9);
    return at;
}

}  // namespace

TEST_CASE("raft buggify sites: each fires, and a correct Raft stays safe", "[raft][buggify]") {
    for (const char* site : {"raft.crash_after_vote", "raft.crash_after_append", "raft.crash_after_commit",
                             "raft.drop_commit_reply", "raft.slow_fsync", "raft.client_impatient_retry"})
        test::require_site_fires_safely(raft_with_site(site), site, {1, 2});
}

namespace {

// Fires every buggify site the run reaches; every message goes as drawn.
struct FireEverySite : Chooser {
    Choice choose(const World&, const ChoicePoint& point) override {
        return point.kind == ChoiceKind::buggify ? Choice::fire : Choice::as_drawn;
    }
};

}  // namespace

TEST_CASE("raft.slow_fsync: an acknowledgement from an earlier term is not sent once the term moved on",
          "[raft][buggify]") {
    // n1 is real; n2 leads term 1 and n3 term 2, both scripted. n2's entry 1:a is acknowledged
    // only after a slow fsync; before it ends, n3's AppendEntries of term 2 replaces index 1 with
    // 2:x. Sending n2 "term 1, success, match 1" then would tell a leader that still believes in
    // its term that n1 holds 1:a, which it no longer does: n2 could count it toward a commit.
    FireEverySite chooser;
    World world(WorldOptions{.seed = 1,
                             .network = LinkConfig{},
                             .buggify = true,
                             .buggify_sites = {"raft.slow_fsync"},
                             .chooser = &chooser});
    const std::vector<std::string> names{"n1", "n2", "n3"};
    NodeId n1 = world.add_node("n1", raft::raft_node(raft::RaftOptions{.cluster = names}));
    std::vector<raft::AppendEntriesReply> to_old_leader, to_new_leader;
    world.add_node("n2", fiber_process([&](Context& ctx) {
        ctx.send(n1, raft::AppendEntries{1, ctx.id(), 0, 0, {raft::test::put_entry(1, "a")}, 0});
        while (auto m = ctx.receive(milliseconds(100)))
            if (const auto* r = m->as<raft::AppendEntriesReply>()) to_old_leader.push_back(*r);
    }));
    world.add_node("n3", fiber_process([&](Context& ctx) {
        ctx.sleep(milliseconds(1));
        ctx.send(n1, raft::AppendEntries{2, ctx.id(), 0, 0, {raft::test::put_entry(2, "x")}, 0});
        while (auto m = ctx.receive(milliseconds(100)))
            if (const auto* r = m->as<raft::AppendEntriesReply>()) to_new_leader.push_back(*r);
    }));
    world.run_for(milliseconds(120));
    const auto& node = world.process_as<raft::RaftNode>(n1);
    REQUIRE(node.term() == 2);
    REQUIRE(node.last_log_index() == 1);
    REQUIRE(node.log_term_at(1) == 2);
    // The new leader hears, after the sync, that index 1 matches; the old one hears nothing.
    REQUIRE(to_new_leader.size() == 1);
    REQUIRE(to_new_leader[0].success);
    REQUIRE(to_new_leader[0].match_index == 1);
    for (const auto& r : to_old_leader) REQUIRE_FALSE((r.success && r.term == 1));
    REQUIRE(to_old_leader.empty());
}

TEST_CASE("buggify without a nemesis or faults fires until 80% of the run, then the heal quiets it", "[raft][buggify]") {
    // The fault window ends with the last fault or the nemesis; with neither, buggify's runs to
    // 80% of duration_ms (6 s here). Before that rule the liveness heal at time 0 silenced it.
    runner::RunOptions o;
    o.seed = 1;
    o.trace_level = TraceLevel::events;
    o.keep_trace = true;
    const runner::RunOutcome out = runner::run_scenario(raft_with_site("raft.client_impatient_retry", false), o);
    const runner::SystemOutcome& sys = out.systems.at(0);
    REQUIRE_FALSE(sys.error.has_value());
    REQUIRE(out.expectations_met);
    const std::vector<double> at = firings(sys);
    REQUIRE(at.size() > 10);
    REQUIRE(at.front() < 1.0);
    REQUIRE(at.back() > 4.0);
    REQUIRE(at.back() < 4.8);
}
