// A run saved in the run store opens in the viewer with the same model as the live run.
// Method: run the viewer's workload for seed 5 in a World of our own making (the same spec
// through run_view gives the reference model), save its trace with the store, load it back
// through load_stored_run, and compare the derived structures.
#if defined(FAULTLINE_HAS_STORE)
#include "tests/temp_path.h"
#include "store/run_store.h"
#include "visualizer/stored_run.h"
#include "visualizer/view_run.h"

#include <catch2/catch.hpp>

#include <filesystem>

#if defined(FAULTLINE_HAS_RUNNER)
#include "runner/record.h"
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#endif

using namespace faultline;
using namespace faultline::view;

TEST_CASE("stored run: a saved trace loads into the same model, and a bad run id is an error", "[visualizer][store]") {
    ViewRunSpec spec;
    spec.seed = 5;
    spec.duration = seconds(3);
    spec.check = false;
    ViewRun live = run_view(spec);

    store::RunRecord record;
    record.scenario_name = "view-workload";
    record.scenario_text = "(the viewer's workload)";
    record.scenario_hash = "0";
    record.seed = spec.seed;
    record.build_id = "test";
    record.virtual_duration_ns = live.model.end().ns();
    record.trace_hash = live.model.info().trace_hash;
    record.trace_level = TraceLevel::full;
    record.event_count = live.model.events().size();
    for (const Lane& l : live.model.lanes()) record.node_names.push_back(l.name);
    record.names = live.model.names();
    record.events = live.model.events();
    record.checks.push_back({"linearizability", "violation", nlohmann::ordered_json::object()});
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
    details["findings"] = nlohmann::ordered_json::array(
        {{{"what", "election_safety"}, {"detail", "two leaders in term 3"}, {"time_ns", 1}, {"event", 42}}});
    record.checks.push_back({"invariants", "violation", details});

    auto path = test::unique_temp_path("view_stored_run.db");
    std::filesystem::remove(path);
    {
        auto st = store::RunStore::open(path.string());
        REQUIRE(st.ok());
        REQUIRE(st.value().save_run(record).ok());
    }
    auto loaded = load_stored_run(path.string(), "latest");
    REQUIRE(std::holds_alternative<ViewRun>(loaded));
    const ViewRun& run = std::get<ViewRun>(loaded);
    REQUIRE(run.source.has_value());
    REQUIRE(run.source->run_name == "view-workload");
    const RunModel& m = run.model;
    REQUIRE(m.events().size() == live.model.events().size());
    REQUIRE(m.messages().size() == live.model.messages().size());
    REQUIRE(m.ops().size() == live.model.ops().size());
    REQUIRE(m.partitions().size() == live.model.partitions().size());
    REQUIRE(m.faults().size() == live.model.faults().size());
    REQUIRE(m.end() == live.model.end());
    REQUIRE(m.verdicts().size() == 2);
    REQUIRE_FALSE(m.verdicts()[0].ok);
    // An invariant's violation is marked at its event.
    REQUIRE(m.verdicts()[1].events == std::vector<EventIndex>{42});
    REQUIRE(m.verdicts()[1].summary.find("election_safety") != std::string::npos);

    REQUIRE(std::holds_alternative<std::string>(load_stored_run(path.string(), "12345")));
    REQUIRE(std::holds_alternative<std::string>(load_stored_run(path.string(), "not-a-number")));
    std::filesystem::remove(path);
}

#if defined(FAULTLINE_HAS_RUNNER)
// Fork from here on a stored scenario run: the same seed plus a crash at 2 s gives a different
// run of the same system, with that crash in its trace; the unedited fork replays the original.
TEST_CASE("stored run: forking a raft scenario run with a crash at 2 s re-runs it with the crash", "[visualizer][store]") {
    auto parsed = scenario::parse_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/nemesis.toml", runner::catalog());
    REQUIRE(parsed.ok());
    const scenario::Scenario& sc = *parsed.scenario;
    runner::RunOptions options;
    options.seed = 3;
    runner::RunOutcome outcome = runner::run_scenario(sc, options);
    REQUIRE_FALSE(outcome.systems.empty());
    store::RunRecord record = runner::to_record(sc, outcome, outcome.systems.front(), 0);

    auto path = test::unique_temp_path("view_fork.db");
    std::filesystem::remove(path);
    {
        auto st = store::RunStore::open(path.string());
        REQUIRE(st.ok());
        REQUIRE(st.value().save_run(record).ok());
    }
    auto loaded = load_stored_run(path.string(), "latest");
    REQUIRE(std::holds_alternative<ViewRun>(loaded));
    const ViewRun& stored = std::get<ViewRun>(loaded);
    REQUIRE(stored.editable);
    REQUIRE(stored.source.has_value());
    std::vector<std::string> names;
    for (const Lane& l : stored.model.lanes()) names.push_back(l.name);

    ViewRunSpec same = stored.spec;
    auto replay = fork_stored_run(*stored.source, same, names);
    REQUIRE(std::holds_alternative<ViewRun>(replay));
    REQUIRE(std::get<ViewRun>(replay).model.info().trace_hash == stored.model.info().trace_hash);

    ViewRunSpec edited = stored.spec;
    NodeId n2 = 1;
    REQUIRE(names.at(n2) == "n2");
    edited.added.push_back({Instant::zero() + seconds(2), faults::Crash{n2}});
    auto forked = fork_stored_run(*stored.source, edited, names);
    REQUIRE(std::holds_alternative<ViewRun>(forked));
    const RunModel& m = std::get<ViewRun>(forked).model;
    REQUIRE(m.info().trace_hash != stored.model.info().trace_hash);
    bool crashed = false;
    for (const FaultMark& f : m.faults()) crashed |= f.kind == EventKind::crash && f.node == n2 && f.at == Instant::zero() + seconds(2);
    REQUIRE(crashed);
    // Saved, the fork is an ordinary stored run whose scenario text carries the crash: running
    // that text again from the seed replays it to the same trace hash.
    auto saved = save_fork(*stored.source, edited, names);
    REQUIRE(std::holds_alternative<int64_t>(saved));
    {
        auto st = store::RunStore::open(path.string());
        REQUIRE(st.ok());
        auto fork = st.value().load_run(std::get<int64_t>(saved), true);
        REQUIRE(fork.ok());
        REQUIRE(fork.value().trace_hash == m.info().trace_hash);
        REQUIRE(fork.value().scenario_text.find("kind = \"crash\"") != std::string::npos);
        auto reparsed = scenario::parse_scenario_text(fork.value().scenario_text, "fork.toml", runner::catalog());
        REQUIRE(reparsed.ok());
        runner::RunOutcome again = runner::run_scenario(*reparsed.scenario, options);
        REQUIRE(again.systems.front().trace_hash == fork.value().trace_hash);
    }
    // A client is not a scenario fault target.
    ViewRunSpec bad = stored.spec;
    bad.added.push_back({Instant::zero() + seconds(2), faults::Crash{static_cast<NodeId>(names.size() - 1)}});
    REQUIRE(std::holds_alternative<std::string>(fork_stored_run(*stored.source, bad, names)));
    std::filesystem::remove(path);
}
#endif
#endif
