// The run store keeps a run exactly: a kernel run saved and loaded back compares equal in every
// field of every trace event, history event, fault line, check, figure and expectation.
// Method: make a real World run (two nodes, a crash and a restart, trace level full), save it,
// load it, compare with same_run; then show the comparison itself can fail, field by field.
#include "store_test_support.h"

#include "store/run_store.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace faultline;
using namespace faultline::store;
using namespace faultline::store::test;

namespace {

// Rows of `table` for one run, counted behind the store's back.
int64_t count_rows(const std::string& db_path, const std::string& table, int64_t run_id) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string sql = "SELECT count(*) FROM " + table + " WHERE run_id = ?1";
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, run_id);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

RunStore open_store(const std::string& path) {
    auto store = RunStore::open(path);
    INFO((store.ok() ? std::string() : store.error().describe()));
    REQUIRE_OK(store);
    return std::move(store).value();
}

}  // namespace

TEST_CASE("store: a kernel run with a crash round-trips through save and load, every field equal", "[store]") {
    TempDir dir;
    RunStore store = open_store(dir.file("runs.db"));
    const RunRecord original = make_kernel_run(11);
    // The run is what the test says it is: a crash, a restart, drops, payload text, annotations.
    REQUIRE(original.event_count > 50);
    REQUIRE(original.events.size() == original.event_count);
    REQUIRE(original.node_names == std::vector<std::string>{"s1", "c1"});
    auto has_kind = [&](EventKind k) {
        return std::any_of(original.events.begin(), original.events.end(), [k](const TraceEvent& e) { return e.kind == k; });
    };
    REQUIRE(has_kind(EventKind::crash));
    REQUIRE(has_kind(EventKind::restart));
    REQUIRE(has_kind(EventKind::drop));
    REQUIRE(has_kind(EventKind::client_complete));
    REQUIRE(std::any_of(original.events.begin(), original.events.end(),
                        [](const TraceEvent& e) { return e.cause != no_event && e.peer != no_node && !e.text.empty(); }));

    auto saved = store.save_run(original);
    REQUIRE_OK(saved);
    REQUIRE(saved.value() > 0);
    auto loaded = store.load_run(saved.value());
    INFO((loaded.ok() ? std::string() : loaded.error().describe()));
    REQUIRE_OK(loaded);
    const RunRecord& back = loaded.value();
    REQUIRE(back.run_id == saved.value());
    REQUIRE(back.events_stored);
    REQUIRE(back.written_at.size() == 24);  // 2026-11-25T14:03:12.345Z
    REQUIRE(back.events.size() == original.events.size());
    for (std::size_t i = 0; i < original.events.size(); ++i) {
        INFO("event " << i);
        REQUIRE(same_event(back.events[i], original.events[i]));
    }
    REQUIRE(back.names == original.names);
    REQUIRE(back.trace_hash == original.trace_hash);
    REQUIRE(std::isnan(back.figures[2].value));
    REQUIRE(std::isinf(back.figures[3].value));
    REQUIRE(back.checks[1].details["ratio"].get<double>() == 0.125);
    REQUIRE(same_run(back, original));
}

TEST_CASE("store: same_event notices a difference in each TraceEvent field", "[store][oracle]") {
    // The round-trip test is only as good as its comparison: each field, changed alone, must make
    // two events differ.
    TraceEvent base;
    base.index = 3;
    base.time = Instant::from_ns(10);
    base.local_time = Instant::from_ns(11);
    base.lamport = 4;
    base.id = 5;
    base.cause = 1;
    base.node = 0;
    base.peer = 1;
    base.kind = EventKind::deliver;
    base.reason = 0;
    base.name = 2;
    base.text = "ping 1";
    std::vector<std::function<void(TraceEvent&)>> mutations = {
        [](TraceEvent& e) { e.index++; },        [](TraceEvent& e) { e.time += nanoseconds(1); },
        [](TraceEvent& e) { e.local_time += nanoseconds(1); }, [](TraceEvent& e) { e.lamport++; },
        [](TraceEvent& e) { e.id++; },           [](TraceEvent& e) { e.cause = no_event; },
        [](TraceEvent& e) { e.node = no_node; }, [](TraceEvent& e) { e.peer = 7; },
        [](TraceEvent& e) { e.kind = EventKind::drop; }, [](TraceEvent& e) { e.reason = 1; },
        [](TraceEvent& e) { e.name = 0; },       [](TraceEvent& e) { e.text = e.text.str() + "!"; },
    };
    REQUIRE(same_event(base, base));
    for (std::size_t i = 0; i < mutations.size(); ++i) {
        TraceEvent changed = base;
        mutations[i](changed);
        INFO("mutation " << i);
        REQUIRE_FALSE(same_event(base, changed));
    }
}

TEST_CASE("store: same_run notices a changed history value, fault, check, figure or expectation", "[store][oracle]") {
    const RunRecord base = make_kernel_run(3);
    std::vector<std::function<void(RunRecord&)>> mutations = {
        [](RunRecord& r) { r.history.events[2].expected = std::nullopt; },
        [](RunRecord& r) { r.history.events[3].cas_swapped = false; },
        [](RunRecord& r) { r.faults[0].description += " "; },
        [](RunRecord& r) { r.checks[0].details["steps"] = 43; },
        [](RunRecord& r) { r.figures[0].value = 0.71; },
        [](RunRecord& r) { r.expectations[1].met = true; },
        [](RunRecord& r) { r.events.back().text = r.events.back().text.str() + "x"; },
        [](RunRecord& r) { r.trace_hash ^= 1; },
        [](RunRecord& r) { r.status = RunStatus::passed; },
    };
    REQUIRE(same_run(base, base));
    for (std::size_t i = 0; i < mutations.size(); ++i) {
        RunRecord changed = base;
        mutations[i](changed);
        INFO("mutation " << i);
        REQUIRE_FALSE(same_run(base, changed));
    }
}

TEST_CASE("store: summary_only keeps no events or names, but the count, hash and everything else", "[store]") {
    TempDir dir;
    const std::string path = dir.file("runs.db");
    RunStore store = open_store(path);
    const RunRecord original = make_kernel_run(5);
    auto id = store.save_run(original, SaveMode::summary_only);
    REQUIRE_OK(id);
    REQUIRE(count_rows(path, "events", id.value()) == 0);  // no event chunks
    REQUIRE(count_rows(path, "names", id.value()) == 0);
    REQUIRE(count_rows(path, "history", id.value()) == 8);
    auto back = store.load_run(id.value());
    REQUIRE_OK(back);
    REQUIRE_FALSE(back.value().events_stored);
    REQUIRE(back.value().events.empty());
    REQUIRE(back.value().event_count == original.event_count);
    REQUIRE(back.value().trace_hash == original.trace_hash);
    RunRecord without_trace = original;
    without_trace.events.clear();
    without_trace.names.clear();
    REQUIRE(same_run(back.value(), without_trace));

    // The same run saved in full keeps every event.
    auto full = store.save_run(original, SaveMode::full_trace);
    REQUIRE_OK(full);
    REQUIRE(count_rows(path, "events", full.value()) == 1);  // one chunk holds all 137-odd events
}

TEST_CASE("store: load_run without events skips the trace of a fully stored run", "[store]") {
    TempDir dir;
    RunStore store = open_store(dir.file("runs.db"));
    const RunRecord original = make_kernel_run(6);
    auto id = store.save_run(original);
    REQUIRE_OK(id);
    auto back = store.load_run(id.value(), /*with_events=*/false);
    REQUIRE_OK(back);
    REQUIRE(back.value().events_stored);
    REQUIRE(back.value().events.empty());
    REQUIRE(back.value().history.events.size() == original.history.events.size());
}

TEST_CASE("store: a trace of several chunks round-trips, with values at the edges of their types", "[store]") {
    // 4096 events go in one stored chunk; 10000 events make two full chunks and a partial one.
    TempDir dir;
    RunStore store = open_store(dir.file("runs.db"));
    RunRecord r;
    r.scenario_name = "synthetic";
    r.names = {"", "vote"};
    for (uint64_t i = 0; i < 10000; ++i) {
        TraceEvent e;
        e.index = i;
        e.time = Instant::from_ns(static_cast<int64_t>(i * 10));
        e.local_time = Instant::from_ns(i == 7 ? INT64_MIN : static_cast<int64_t>(i * 10 + 1));
        e.lamport = i == 999 ? UINT64_MAX : i;  // a value that needs the int64 bit-cast
        e.id = i * 3;
        e.cause = i % 2 == 0 ? no_event : (i == 5 ? i + 100 : i - 1);  // a cause after the event, too
        e.node = static_cast<NodeId>(i % 3);
        e.peer = i % 5 == 0 ? no_node : (i == 3 ? no_node - 1 : 1);
        e.kind = static_cast<EventKind>(i % event_kind_count);
        e.reason = static_cast<uint8_t>(i % 4 == 3 ? 255 : i % 4);
        e.name = static_cast<uint32_t>(i % 2);
        e.text = i % 7 == 0 ? "" : "t" + std::to_string(i);
        r.events.push_back(e);
    }
    r.events.back().time = Instant::max();
    r.event_count = 10000;
    r.seed = UINT64_MAX - 1;
    auto id = store.save_run(r);
    REQUIRE_OK(id);
    auto back = store.load_run(id.value());
    REQUIRE_OK(back);
    REQUIRE(back.value().seed == UINT64_MAX - 1);
    REQUIRE(same_run(back.value(), r));
}

TEST_CASE("store: list_runs filters by scenario substring and status, newest first, up to the limit", "[store]") {
    TempDir dir;
    RunStore store = open_store(dir.file("runs.db"));
    auto empty_latest = store.latest_run();
    REQUIRE_OK(empty_latest);
    REQUIRE_FALSE(empty_latest.value().has_value());

    RunRecord r;
    const char* names[] = {"raft/partition", "raft/leader_crash", "dynamo/sloppy", "raft/partition"};
    RunStatus statuses[] = {RunStatus::passed, RunStatus::failed, RunStatus::failed, RunStatus::passed};
    std::vector<int64_t> ids;
    for (int i = 0; i < 4; ++i) {
        r.scenario_name = names[i];
        r.status = statuses[i];
        r.seed = static_cast<uint64_t>(100 + i);
        auto id = store.save_run(r);
        REQUIRE_OK(id);
        ids.push_back(id.value());
    }
    auto all = store.list_runs();
    REQUIRE_OK(all);
    REQUIRE(all.value().size() == 4);
    REQUIRE(all.value().front().run_id == ids[3]);  // newest first
    REQUIRE(all.value().back().run_id == ids[0]);

    auto raft = store.list_runs(filter("raft/"));
    REQUIRE_OK(raft);
    REQUIRE(raft.value().size() == 3);

    auto failed = store.list_runs(filter("", RunStatus::failed));
    REQUIRE_OK(failed);
    REQUIRE(failed.value().size() == 2);
    REQUIRE(failed.value()[0].scenario_name == "dynamo/sloppy");
    REQUIRE(failed.value()[1].seed == 101);

    auto raft_failed = store.list_runs(filter("raft", RunStatus::failed));
    REQUIRE_OK(raft_failed);
    REQUIRE(raft_failed.value().size() == 1);
    REQUIRE(raft_failed.value()[0].run_id == ids[1]);

    auto two = store.list_runs(filter("", std::nullopt, 2));
    REQUIRE_OK(two);
    REQUIRE(two.value().size() == 2);

    auto latest = store.latest_run();
    REQUIRE_OK(latest);
    REQUIRE(latest.value()->run_id == ids[3]);

    auto bad_limit = store.list_runs(filter("", std::nullopt, 0));
    REQUIRE_FALSE(bad_limit.ok());
    REQUIRE_THAT(bad_limit.error().describe(), Catch::Contains("limit 0"));
}

TEST_CASE("store: loading a run that does not exist, or saving a malformed record, is an error", "[store][errors]") {
    TempDir dir;
    RunStore store = open_store(dir.file("runs.db"));
    auto missing = store.load_run(42);
    REQUIRE_FALSE(missing.ok());
    REQUIRE(missing.error().describe() == "load_run 42: no such run");

    RunRecord bad = make_kernel_run(1);
    bad.events[5].index = 99;
    auto saved = store.save_run(bad);
    REQUIRE_FALSE(saved.ok());
    REQUIRE_THAT(saved.error().describe(), Catch::Contains("event at position 5 has index 99"));
    RunRecord partial = make_kernel_run(1);
    partial.events.resize(10);
    auto partial_saved = store.save_run(partial);
    REQUIRE_FALSE(partial_saved.ok());
    REQUIRE_THAT(partial_saved.error().describe(), Catch::Contains("holds 10 of its"));
    // Nothing of the rejected runs was written.
    auto runs = store.list_runs();
    REQUIRE_OK(runs);
    REQUIRE(runs.value().empty());
}
