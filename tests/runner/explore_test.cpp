// Exploration (runner/explore/explore.h, `faultline explore`): a run's choice points go another
// way on request, a schedule replays from a scenario's [explored] table, and the search finds the
// planted bugs of scenarios/explore/ at a small depth while the correct variant, explored to the
// same depth, shows nothing. Method: run_system with a ScheduledChooser, explore() on the
// scenario files, and the real binary for the command.
#include "tests/runner/cli_support.h"
#include "tests/runner/scenario_support.h"

#include "runner/explore/explore.h"
#include "scenario/scenario_writer.h"
#include "sim/scheduled_chooser.h"

#include <nlohmann/json.hpp>

using namespace faultline;

namespace {

runner::SystemOutcome run_with(const scenario::Scenario& s, std::size_t system, uint64_t seed, Chooser* chooser) {
    runner::RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    o.chooser = chooser;
    return runner::run_system(s, s.systems.at(system), o);
}

const char* const vote_scope = "scenarios/explore/raft_vote_without_persisting.toml";

// A run in the sanitizer build takes ~200x its release time (~20 ms against 0.1 ms): there the
// searches stop at depth 1 (a few hundred runs), where no planted bug is reachable, and the
// release build explores to the depths that find them.
#if defined(FAULTLINE_SANITIZE)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif

// A traced run of system `system` at the scenario's seed, `keep` recording every choice point.
runner::SystemOutcome traced_recording(const scenario::Scenario& s, std::size_t system, ScheduledChooser& keep) {
    keep.record_from(0);
    runner::RunOptions traced;
    traced.seed = s.seed;
    traced.chooser = &keep;
    return runner::run_system(s, s.systems.at(system), traced);
}

runner::ExploreReport explore_one(const scenario::Scenario& s, const std::string& system, int depth, unsigned jobs) {
    runner::ExploreOptions o;
    o.depth = depth;
    o.budget_s = 0;  // a test's result must not depend on the machine's speed
    o.seed = s.seed;
    o.jobs = jobs;
    o.systems = {system};
    auto reports = runner::explore(s, o);
    REQUIRE(reports.size() == 1);
    return reports.front();
}

}  // namespace

TEST_CASE("explore: a chooser that keeps every draw gives the seeded run back, hash for hash", "[explore]") {
    const scenario::Scenario s = test::load_scenario("scenarios/raft/nemesis.toml");
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        ScheduledChooser keep({});
        const auto plain = run_with(s, 0, seed, nullptr);
        const auto chosen = run_with(s, 0, seed, &keep);
        INFO("seed " << seed);
        REQUIRE(keep.points() > 100);
        REQUIRE(chosen.trace_hash == plain.trace_hash);
    }
}

TEST_CASE("explore: lost, late and crash choices change the run where they are made, and replay from [explored]",
          "[explore]") {
    scenario::Scenario s = test::load_scenario(vote_scope);
    ScheduledChooser keep({});
    const auto plain = run_with(s, 1, s.seed, &keep);
    for (Choice c : {Choice::lost, Choice::late, Choice::crash}) {
        INFO(choice_name(c));
        ScheduledChooser one({{5, c}});
        const auto changed = run_with(s, 1, s.seed, &one);
        REQUIRE(changed.trace_hash != plain.trace_hash);
        // The same choice written as the scenario's [explored] table, through the file format.
        scenario::Scenario written = s;
        written.explored.choices = {{5, c}};
        auto parsed = scenario::parse_scenario_text(scenario::write_scenario_toml(written), "explored.toml", runner::catalog());
        INFO(scenario::format_errors(parsed.errors));
        REQUIRE(parsed.ok());
        REQUIRE(parsed.scenario->explored.choices.size() == 1);
        REQUIRE(run_with(*parsed.scenario, 1, s.seed, nullptr).trace_hash == changed.trace_hash);
    }
}

TEST_CASE("explore: a buggify site under a chooser fires only when chosen", "[explore]") {
    const scenario::Scenario s = test::load_scenario(vote_scope);
    // The correct system with the vote site listed: never fired as drawn (a traced run).
    ScheduledChooser keep({});
    const auto plain = traced_recording(s, 1, keep);
    for (const auto& e : plain.trace) REQUIRE_FALSE((e.kind == EventKind::buggify && e.text == "fired"));
    uint64_t site = UINT64_MAX;
    for (const auto& r : keep.records())
        if (r.kind == ChoiceKind::buggify) {
            site = r.index;
            break;
        }
    REQUIRE(site != UINT64_MAX);  // a vote was granted: the site was reached
    ScheduledChooser fire({{site, Choice::fire}});
    REQUIRE(run_with(s, 1, s.seed, &fire).trace_hash != plain.trace_hash);
}

TEST_CASE("explore: a vote not persisted is found at depth 3, the same with one job or two, and the correct variant "
          "keeps every invariant at that depth",
          "[explore]") {
    const scenario::Scenario s = test::load_scenario(vote_scope);
    if (sanitized) {
        const auto one = explore_one(s, "buggy", 1, 1);
        const auto two = explore_one(s, "buggy", 1, 2);
        REQUIRE_FALSE(one.found);
        REQUIRE(one.depth_done == 1);
        REQUIRE((one.runs == two.runs && one.states == two.states && one.pruned == two.pruned));
        return;
    }
    // Not at depth 2: the search must go as deep as the bug needs, and no deeper is claimed.
    REQUIRE_FALSE(explore_one(s, "buggy", 2, 2).found);
    const auto buggy = explore_one(s, "buggy", 3, 1);
    REQUIRE(buggy.expects_violation);
    REQUIRE(buggy.found);
    REQUIRE_FALSE(buggy.schedule.empty());
    const auto again = explore_one(s, "buggy", 3, 2);
    REQUIRE(again.found);
    REQUIRE(again.runs == buggy.runs);
    REQUIRE(again.schedule.size() == buggy.schedule.size());
    for (std::size_t i = 0; i < buggy.schedule.size(); ++i) {
        REQUIRE(again.schedule[i].index == buggy.schedule[i].index);
        REQUIRE(again.schedule[i].choice == buggy.schedule[i].choice);
    }
    // The found run, as the scenario the command writes, shows the bug on its own.
    auto parsed = scenario::parse_scenario_text(scenario::write_scenario_toml(buggy.found_scenario), "found.toml",
                                                runner::catalog());
    INFO(scenario::format_errors(parsed.errors));
    REQUIRE(parsed.ok());
    const auto replayed = test::run_seed(*parsed.scenario, s.seed);
    REQUIRE(replayed.systems.size() == 1);
    REQUIRE(replayed.systems[0].expectations_met);
    REQUIRE(replayed.systems[0].verdict("invariants") == "violation");

    const int depth = 3;
    const auto correct = explore_one(s, "correct", depth, 2);
    REQUIRE_FALSE(correct.expects_violation);
    REQUIRE_FALSE(correct.found);
    REQUIRE(correct.depth_done == depth);
    REQUIRE(correct.states > 100);
    // State hashing prunes: fewer runs than the choices the runs offered.
    REQUIRE(correct.pruned > 0);
}

TEST_CASE("explore: the command writes, stores and names the found run, and exits 0 when each system does as expected",
          "[explore][cli]") {
    const auto dir = test::temp_dir("explore_cli");
    const std::string out = (dir / "found.toml").string();
    auto r = test::faultline_cli(fmt::format("explore {} --depth {} --budget-s 0 --system buggy -o {} --db {}/runs.db --json",
                                             vote_scope, sanitized ? 1 : 3, out, dir.string()));
    INFO(r.output);
    // The progress bar (stderr) counts runs; it shows no "failing" count, which a search that
    // stops at its first run found would always show as 0.
    REQUIRE(r.output.find("buggy, 1 choice off [") != std::string::npos);
    REQUIRE(r.output.find("failing") == std::string::npos);
    const auto j = nlohmann::json::parse(test::json_text(r.output));
    if (sanitized) {  // depth 1: the planted bug not found is a failure of the search, exit 1
        REQUIRE(r.exit_code == 1);
        REQUIRE(j["systems"][0]["found"] == false);
        REQUIRE(j["systems"][0]["depth_done"] == 1);
        REQUIRE_FALSE(std::filesystem::exists(out));
        return;
    }
    REQUIRE(r.exit_code == 0);
    REQUIRE(j["systems"][0]["found"] == true);
    REQUIRE(j["systems"][0]["run"].get<int>() == 1);
    REQUIRE(std::filesystem::exists(out));
    // The written file replays the bug, and the stored run opens.
    auto replay = test::faultline_cli(fmt::format("run {} --no-store", out));
    INFO(replay.output);
    REQUIRE(replay.exit_code == 0);
    auto replayed = test::faultline_cli(fmt::format("replay 1 --db {}/runs.db", dir.string()));
    INFO(replayed.output);
    REQUIRE(replayed.exit_code == 0);
    REQUIRE(replayed.output.find("identical") != std::string::npos);
    // A note marks each place the run went its own way.
    auto shown = test::faultline_cli(fmt::format("show 1 --events --kind note --db {}/runs.db", dir.string()));
    INFO(shown.output);
    REQUIRE(shown.output.find("explored: ") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("explore: Figure 8 (committing an old term's entry by counting) is found at depth 3, and the correct variant "
          "keeps every invariant there",
          "[explore][slow]") {
    const scenario::Scenario s = test::load_scenario("scenarios/explore/raft_commit_old_term_entries.toml");
    const int depth = sanitized ? 1 : 3;  // ~300,000 runs a system at depth 3
    const auto buggy = explore_one(s, "buggy", depth, 2);
    const auto correct = explore_one(s, "correct", depth, 2);
    REQUIRE(buggy.found == (depth == 3));
    REQUIRE_FALSE(correct.found);
    REQUIRE(correct.depth_done == depth);
    if (!buggy.found) return;
    INFO(buggy.detail);
    REQUIRE(buggy.detail.find("invariants says violation") != std::string::npos);
    const auto replayed = test::run_seed(buggy.found_scenario, s.seed);
    REQUIRE(replayed.systems.at(0).expectations_met);
}

TEST_CASE("explore: an [explored] choice that does not fit its point, or is never reached, is said in the trace",
          "[explore]") {
    // A schedule recorded by another build, or edited by hand: 'fire' at a message, 'lost' at a
    // buggify site, a choice past the run's last point. Each was silently dropped before.
    scenario::Scenario s = test::load_scenario(vote_scope);
    ScheduledChooser keep({});
    traced_recording(s, 1, keep);  // where the points are, and of which kind
    uint64_t message = UINT64_MAX, site = UINT64_MAX;
    for (const auto& r : keep.records()) {
        if (r.kind == ChoiceKind::message && message == UINT64_MAX) message = r.index;
        if (r.kind == ChoiceKind::buggify && site == UINT64_MAX) site = r.index;
    }
    REQUIRE(message != UINT64_MAX);
    REQUIRE(site != UINT64_MAX);
    s.explored.choices = {{message, Choice::fire}, {site, Choice::lost}, {keep.points() + 1000, Choice::crash}};
    std::sort(s.explored.choices.begin(), s.explored.choices.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
    runner::RunOptions o;
    o.seed = s.seed;
    const auto run = runner::run_system(s, s.systems.at(1), o);
    std::vector<std::string> notes;
    for (const auto& e : run.trace)
        if (e.kind == EventKind::note && e.text.rfind("explored:", 0) == 0) notes.push_back(e.text);
    INFO(fmt::format("{}", fmt::join(notes, "\n")));
    REQUIRE(notes.size() == 3);
    auto said = [&](std::string_view text) {
        return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
    };
    REQUIRE(said("'fire' is a choice for buggify sites, not for messages"));
    REQUIRE(said("does not fire: 'lost' is a choice for messages"));
    REQUIRE(said("1 of the scenario's choices never reached"));
}
