// The schema's version and migrations: an empty file (version 0) becomes the current version; a
// hand-made version 1 store (tests/store/fixtures/store_v1.sql, frozen) still opens and reads;
// a future migration that adds a column applies once, in order, and keeps the data; a failing
// migration leaves the store at its previous version.
// Method: build the files with plain SQLite, then open them with the store or call migrate()
// with a migration list that includes a test-only version 2.
#include "store_test_support.h"

#include "store/run_store.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

using namespace faultline;
using namespace faultline::store;
using namespace faultline::store::test;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void exec_sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO((message != nullptr ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

std::unique_ptr<Database> raw_open(const std::string& path) {
    auto db = Database::open(path, false, true, 1000);
    REQUIRE_OK(db);
    return std::move(db).value();
}

int version_of(Database& db) {
    auto v = read_schema_version(db, "test");
    REQUIRE_OK(v);
    return v.value();
}

// A test-only next version (current + 1): what a real next migration looks like (a column with a
// default). The tests below call it "version 2" for short; `next` is its real number.
const int next = current_schema_version() + 1;
constexpr std::string_view v2_sql = "ALTER TABLE runs ADD COLUMN shrunk_from INTEGER;"
                                    "ALTER TABLE sweeps ADD COLUMN note TEXT NOT NULL DEFAULT '';";

std::vector<Migration> with_v2(std::string_view sql) {
    std::vector<Migration> list(migrations().begin(), migrations().end());
    list.push_back({next, "test: shrunk_from and sweep notes", sql});
    return list;
}

}  // namespace

TEST_CASE("migration: an empty file (version 0) becomes a store at the current version", "[store][migration]") {
    TempDir dir;
    store::test::write_bytes(dir.file("empty.db"), "");
    auto store = RunStore::open(dir.file("empty.db"));
    REQUIRE_OK(store);
    REQUIRE(store.value().schema_version() == current_schema_version());
    auto db = raw_open(dir.file("empty.db"));
    REQUIRE(version_of(*db) == current_schema_version());
}

TEST_CASE("migration: the frozen hand-made version 1 store opens and every part of its run reads back",
          "[store][migration]") {
    TempDir dir;
    const std::string path = dir.file("v1.db");
    exec_sql(path, read_text(std::string(FAULTLINE_SOURCE_DIR) + "/tests/store/fixtures/store_v1.sql"));
    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    REQUIRE(store.value().schema_version() == current_schema_version());

    auto run = store.value().load_run(1);
    REQUIRE_OK(run);
    const RunRecord& r = run.value();
    REQUIRE(r.scenario_name == "fixture/two_events");
    REQUIRE(r.seed == UINT64_MAX);  // stored as -1: int64 bit-cast
    REQUIRE(r.trace_hash == 0xdeadbeefULL);
    REQUIRE(r.node_names == std::vector<std::string>{"n1", "n2"});
    REQUIRE(r.events.size() == 2);
    REQUIRE(r.events[0].kind == EventKind::send);
    REQUIRE(r.events[0].cause == no_event);
    REQUIRE(r.events[1].kind == EventKind::deliver);
    REQUIRE(r.events[1].cause == 0);
    REQUIRE(r.events[1].local_time == Instant::from_ns(2990));
    REQUIRE(r.names[r.events[1].name] == "ping");
    REQUIRE(r.history.events.size() == 2);
    REQUIRE(r.history.events[0].value == std::optional<std::string>("1"));
    REQUIRE_FALSE(r.history.events[1].value.has_value());
    REQUIRE(r.faults[0].description == "crash n2");
    REQUIRE(r.checks[0].details["keys"][0] == "x");
    REQUIRE(r.figures[0].value == 0.5);
    REQUIRE_FALSE(r.expectations[0].met);
    REQUIRE(r.status == RunStatus::failed);

    auto seeds = store.value().finished_seeds(1);
    REQUIRE_OK(seeds);
    REQUIRE(seeds.value() == std::set<uint64_t>{3});
    // The store writes new runs next to the old ones.
    REQUIRE_OK(store.value().save_run(make_kernel_run(1)));
}

TEST_CASE("migration: a version 2 that adds columns applies once and keeps every run", "[store][migration]") {
    TempDir dir;
    const std::string path = dir.file("runs.db");
    const RunRecord original = make_kernel_run(9);
    int64_t run_id = 0;
    {
        auto store = RunStore::open(path);
        REQUIRE_OK(store);
        auto id = store.value().save_run(original);
        REQUIRE_OK(id);
        run_id = id.value();
    }
    const auto list = with_v2(v2_sql);
    {
        auto db = raw_open(path);
        REQUIRE(version_of(*db) == next - 1);
        REQUIRE_OK(migrate(*db, list, "test migrate"));
        REQUIRE(version_of(*db) == next);
        REQUIRE_OK(migrate(*db, list, "test migrate again"));  // a no-op at the target
        REQUIRE(version_of(*db) == next);
        auto col = db->prepare("test", "SELECT count(*), count(shrunk_from) FROM runs");
        REQUIRE_OK(col);
        REQUIRE_OK(col.value()->step());
        REQUIRE(col.value()->column_int64(0) == 1);  // the run is still there
        REQUIRE(col.value()->column_int64(1) == 0);  // and the new column is NULL for it
    }
    // This build does not know the next version: it refuses the migrated file instead of misreading it.
    auto refused = RunStore::open(path);
    REQUIRE_FALSE(refused.ok());
    REQUIRE_THAT(refused.error().message, Catch::Contains(fmt::format("schema version {} is newer than this build understands ({})",
                                                                      next, next - 1)));
    (void)run_id;
}

TEST_CASE("migration: a failing migration leaves the store at its previous version, still usable",
          "[store][migration]") {
    TempDir dir;
    const std::string path = dir.file("runs.db");
    {
        auto store = RunStore::open(path);
        REQUIRE_OK(store);
        REQUIRE_OK(store.value().save_run(make_kernel_run(4)));
    }
    // The first statement succeeds, the second fails: the whole step must roll back.
    const auto list = with_v2("ALTER TABLE runs ADD COLUMN half_done INTEGER; ALTER TABLE no_such_table ADD COLUMN x;");
    {
        auto db = raw_open(path);
        auto r = migrate(*db, list, "test migrate");
        REQUIRE_FALSE(r.ok());
        REQUIRE_THAT(r.error().describe(), Catch::Contains(fmt::format("migration to schema version {}", next)));
        REQUIRE_THAT(r.error().describe(), Catch::Contains("no_such_table"));
        REQUIRE(version_of(*db) == next - 1);
        auto col = db->prepare("test", "SELECT half_done FROM runs");
        REQUIRE_FALSE(col.ok());  // the first ALTER was rolled back too
    }
    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    auto runs = store.value().list_runs();
    REQUIRE_OK(runs);
    REQUIRE(runs.value().size() == 1);
}

TEST_CASE("migration: a store whose EventKind codes this build names differently is refused", "[store][migration]") {
    // EventKind is stored as its integer code; a kernel change that renumbers kinds must come with
    // a migration, or old traces would be read as the wrong kinds.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    { REQUIRE_OK(RunStore::open(path)); }
    exec_sql(path, "UPDATE meta SET value = 'send,receive' WHERE key = 'event_kinds';");
    auto store = RunStore::open(path);
    REQUIRE_FALSE(store.ok());
    REQUIRE_THAT(store.error().message, Catch::Contains("event kind code 1 was 'receive'"));
}
