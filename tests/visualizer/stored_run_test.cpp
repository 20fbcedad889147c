// A run saved in the run store opens in the viewer with the same model as the run just made, and
// an edited stored run re-runs, and saves, as an ordinary scenario.
// Method: run a scenario through run_view (the reference model), save the same run with the
// store, load it back through load_stored_run and compare the derived structures; then edit the
// stored run (a crash at 2 s), re-run it through run_view, save it, and replay its stored
// scenario text to the same trace hash.
#include "tests/temp_path.h"
#include "tests/visualizer/view_workload.h"

#include "runner/catalog.h"
#include "runner/record.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#include "store/run_store.h"
#include "visualizer/stored_run.h"
#include "visualizer/view_run.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace faultline;
using namespace faultline::view;

namespace {

// Saves one system's run of `spec` to a new store at `path`; the stored run's id.
int64_t save_run_of(const ViewRunSpec& spec, const std::filesystem::path& path) {
    auto parsed = scenario::parse_scenario_text(spec.scenario_text, spec.scenario_label, runner::catalog());
    REQUIRE(parsed.ok());
    const scenario::Scenario& s = *parsed.scenario;
    runner::RunOptions o = view_run_options(spec);
    o.checker_options.clear();
    runner::RunOutcome outcome = runner::run_scenario(s, o);
    auto st = store::RunStore::open(path.string());
    REQUIRE(st.ok());
    auto id = st.value().save_run(runner::to_record(s, outcome, outcome.systems.front(), 0));
    REQUIRE(id.ok());
    return id.value();
}

}  // namespace

TEST_CASE("stored run: a saved trace loads into the same model, and a bad run id is an error", "[visualizer][store]") {
    const ViewRunSpec spec = test::workload_spec(5, 3'000);
    const ViewRun made = test::must_run(spec);
    auto path = test::unique_temp_path("view_stored_run.db");
    save_run_of(spec, path);
    auto loaded = load_stored_run(path.string(), "latest");
    REQUIRE(std::holds_alternative<ViewRun>(loaded));
    const ViewRun& run = std::get<ViewRun>(loaded);
    REQUIRE(run.stored.has_value());
    REQUIRE(run.editable);
    REQUIRE(run.spec.seed == 5);
    REQUIRE(run.spec.scenario_text == spec.scenario_text);
    const RunModel& m = run.model;
    REQUIRE(m.info().trace_hash == made.model.info().trace_hash);
    REQUIRE(m.events().size() == made.model.events().size());
    REQUIRE(m.messages().size() == made.model.messages().size());
    REQUIRE(m.ops().size() == made.model.ops().size());
    REQUIRE(m.partitions().size() == made.model.partitions().size());
    REQUIRE(m.faults().size() == made.model.faults().size());
    REQUIRE(m.end() == made.model.end());
    REQUIRE(m.verdicts().size() == made.model.verdicts().size());
    REQUIRE(run.planned.size() == made.planned.size());

    REQUIRE(std::holds_alternative<std::string>(load_stored_run(path.string(), "12345")));
    REQUIRE(std::holds_alternative<std::string>(load_stored_run(path.string(), "not-a-number")));
    std::filesystem::remove(path);
}

TEST_CASE("stored run: findings are marked at their events, a counterexample's operations outlined", "[visualizer][store]") {
    store::RunRecord record;
    const ViewRun made = test::must_run(test::workload_spec(5, 3'000));
    record.run_id = 1;
    record.scenario_name = "view-workload";
    record.events = made.model.events();
    record.event_count = record.events.size();
    record.names = made.model.names();
    for (const Lane& l : made.model.lanes()) record.node_names.push_back(l.name);
    record.virtual_duration_ns = made.model.end().ns();
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
    details["findings"] = nlohmann::ordered_json::array(
        {{{"what", "election_safety"}, {"detail", "two leaders in term 3"}, {"time_ns", 1}, {"event", 42}}});
    record.checks.push_back({"invariants", "violation", details});
    REQUIRE(made.model.ops().size() > 2);
    nlohmann::ordered_json story = nlohmann::ordered_json::object();
    story["counterexample"] = {{"key", "k0"},
                               {"ops_invoke_ns", {made.model.ops()[0].begin.ns(), made.model.ops()[2].begin.ns()}},
                               {"window_ns", {made.model.ops()[0].begin.ns(), made.model.ops()[2].end.ns()}}};
    record.checks.push_back({"linearizability", "violation", story});
    const RunModel m = model_of_record(record, "test");
    REQUIRE(m.verdicts().size() == 2);
    REQUIRE(m.verdicts()[0].events == std::vector<EventIndex>{42});
    REQUIRE(m.verdicts()[0].summary.find("election_safety") != std::string::npos);
    REQUIRE(m.verdicts()[1].ops == std::vector<std::size_t>{0, 2});
    REQUIRE(m.verdicts()[1].window.has_value());
}

// An edit of a stored scenario run: the same seed plus a crash at 2 s gives a different run of
// the same system, with that crash in its trace; the unedited spec replays the original.
TEST_CASE("stored run: editing a raft scenario run with a crash at 2 s re-runs and saves it", "[visualizer][store]") {
    auto read = spec_of_file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/raft/nemesis.toml", "", 3);
    REQUIRE(std::holds_alternative<ViewRunSpec>(read));
    auto path = test::unique_temp_path("view_fork.db");
    save_run_of(std::get<ViewRunSpec>(read), path);
    auto loaded = load_stored_run(path.string(), "latest");
    REQUIRE(std::holds_alternative<ViewRun>(loaded));
    const ViewRun& stored = std::get<ViewRun>(loaded);
    REQUIRE(stored.editable);
    REQUIRE(test::must_run(stored.spec).model.info().trace_hash == stored.model.info().trace_hash);

    ViewRun edited = test::must_run([&] {
        ViewRunSpec spec = stored.spec;
        spec.edits.added.push_back({Instant::zero() + seconds(2), faults::Crash{1}});
        return spec;
    }());
    edited.stored = stored.stored;
    REQUIRE(edited.model.lane(1).name == "n2");
    REQUIRE(edited.model.info().trace_hash != stored.model.info().trace_hash);
    bool crashed = false;
    for (const FaultMark& f : edited.model.faults()) crashed |= f.kind == EventKind::crash && f.node == 1 && f.at == Instant::zero() + seconds(2);
    REQUIRE(crashed);
    // Saved, the edit is an ordinary stored run whose scenario text carries the crash: running
    // that text again from the seed replays it to the same trace hash.
    auto saved = save_edited_run(edited, path.string());
    REQUIRE(std::holds_alternative<int64_t>(saved));
    auto st = store::RunStore::open(path.string());
    REQUIRE(st.ok());
    auto fork = st.value().load_run(std::get<int64_t>(saved), true);
    REQUIRE(fork.ok());
    REQUIRE(fork.value().trace_hash == edited.model.info().trace_hash);
    REQUIRE(fork.value().scenario_text.find("kind = \"crash\"") != std::string::npos);
    // A client is not a scenario fault target; a planned fault left out has no scenario form yet.
    ViewRun bad = edited;
    bad.spec.edits.added = {{Instant::zero() + seconds(2), faults::Crash{static_cast<NodeId>(edited.model.lanes().size() - 1)}}};
    REQUIRE(std::holds_alternative<std::string>(save_edited_run(bad, path.string())));
    bad.spec.edits = {};
    bad.spec.edits.removed = {0};
    REQUIRE(std::holds_alternative<std::string>(save_edited_run(bad, path.string())));
    std::filesystem::remove(path);
}
