// Opening anything that is not a healthy run store is an error value with a clear message, never
// a crash: a directory, a path in a missing directory, random bytes, somebody else's SQLite
// database, a store from a newer build, a truncated store and a store with a damaged page.
// Method: make each bad file by hand, open it, and require the message a user would need.
#include "store_test_support.h"

#include "store/run_store.h"
#include "store/schema.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

using namespace faultline;
using namespace faultline::store;
using namespace faultline::store::test;

namespace {

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

// A store with `runs` full runs, closed (so the WAL is checkpointed into the main file).
void make_store(const std::string& path, int runs) {
    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    const RunRecord r = make_kernel_run(2);
    for (int i = 0; i < runs; ++i) REQUIRE_OK(store.value().save_run(r));
}

// Overwrites the first 512 bytes of every fifth page from page 3 with a pattern: b-tree page
// headers become nonsense.
void damage_pages(const std::string& path) {
    const auto size = std::filesystem::file_size(path);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::string garbage(512, '\xA5');
    for (std::uintmax_t page = 2; page * 4096 < size; page += 5) {
        f.seekp(static_cast<std::streamoff>(page * 4096));
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
}

std::string open_error(const std::string& path, OpenOptions options = {}) {
    auto store = RunStore::open(path, options);
    if (store.ok()) return "(opened)";
    return store.error().describe();
}

}  // namespace

TEST_CASE("store errors: a directory is not a run store", "[store][errors]") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("sub"));
    REQUIRE(open_error(dir.file("sub")) == "open " + dir.file("sub") + ": is a directory, not a run store file");
}

TEST_CASE("store errors: a device is not a run store, and nothing is written to it", "[store][errors]") {
    REQUIRE(open_error("/dev/null") ==
            "open /dev/null: is not a regular file (a device, pipe or socket), not a run store file");
}

TEST_CASE("store errors: a path whose directory does not exist cannot be opened", "[store][errors]") {
    TempDir dir;
    auto message = open_error(dir.file("missing/dir/runs.db"));
    REQUIRE_THAT(message, Catch::StartsWith("open " + dir.file("missing/dir/runs.db") + ": unable to open database file"));
    REQUIRE_THAT(message, Catch::Contains("does the directory exist"));
    // A path through a regular file fails the same way (this holds even for root, unlike chmod).
    write_bytes(dir.file("plain"), "x");
    REQUIRE_THAT(open_error(dir.file("plain/runs.db")), Catch::Contains("unable to open database file"));
}

TEST_CASE("store errors: read-only open of a missing file is an error and creates nothing", "[store][errors]") {
    TempDir dir;
    REQUIRE(open_error(dir.file("none.db"), read_only_options()) == "open " + dir.file("none.db") + ": no such file");
    REQUIRE_FALSE(std::filesystem::exists(dir.file("none.db")));
}

TEST_CASE("store errors: random bytes are 'file is not a database', and the file is left alone", "[store][errors]") {
    TempDir dir;
    std::string junk;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 8192; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        junk.push_back(static_cast<char>(x & 0xff));
    }
    write_bytes(dir.file("junk.db"), junk);
    REQUIRE(open_error(dir.file("junk.db")) == "open " + dir.file("junk.db") + ": file is not a database");
    REQUIRE(std::filesystem::file_size(dir.file("junk.db")) == junk.size());
    // A short text file too (a user passing a scenario as --db).
    write_bytes(dir.file("scenario.toml"), "[scenario]\nversion = 1\n");
    REQUIRE_THAT(open_error(dir.file("scenario.toml")), Catch::EndsWith("file is not a database"));
}

TEST_CASE("store errors: somebody else's SQLite database is named as such, with its tables", "[store][errors]") {
    TempDir dir;
    exec_sql(dir.file("app.db"), "CREATE TABLE users (id INTEGER); CREATE TABLE orders (id INTEGER);");
    REQUIRE(open_error(dir.file("app.db")) == "open " + dir.file("app.db") + ": not a Faultline run store (tables: orders, users)");
    // A foreign `meta` table is not ours either.
    exec_sql(dir.file("other.db"), "CREATE TABLE meta (k TEXT, v TEXT);");
    REQUIRE_THAT(open_error(dir.file("other.db")), Catch::Contains("not a Faultline run store"));
    // Nothing was added to the foreign databases.
    exec_sql(dir.file("app.db"), "SELECT count(*) FROM orders;");
    REQUIRE_THAT(open_error(dir.file("app.db")), Catch::Contains("(tables: orders, users)"));
}

TEST_CASE("store errors: a store from a newer build is refused with both versions", "[store][errors]") {
    TempDir dir;
    make_store(dir.file("runs.db"), 1);
    exec_sql(dir.file("runs.db"), "UPDATE meta SET value = '99' WHERE key = 'schema_version';");
    REQUIRE(open_error(dir.file("runs.db")) ==
            fmt::format("open {}: run store schema version 99 is newer than this build understands ({}); open it with "
                        "a newer faultline",
                        dir.file("runs.db"), current_schema_version()));
    REQUIRE_THAT(open_error(dir.file("runs.db"), read_only_options()), Catch::Contains("schema version 99 is newer"));
}

TEST_CASE("store errors: a truncated store gives an error, not a crash", "[store][errors]") {
    TempDir dir;
    const std::string path = dir.file("runs.db");
    make_store(path, 8);
    REQUIRE_FALSE(std::filesystem::exists(path + "-wal"));  // checkpointed on close
    auto size = std::filesystem::file_size(path);
    REQUIRE(size > 64 * 1024);
    // Cut in the middle of a page: the header still promises the original page count.
    std::filesystem::resize_file(path, size / 2 + 1000);
    auto message = open_error(path);
    INFO(message);
    REQUIRE_THAT(message, Catch::StartsWith("open " + path + ": "));
    REQUIRE(message != "(opened)");
    bool clear = message.find("integrity check failed") != std::string::npos ||
                 message.find("malformed") != std::string::npos;
    REQUIRE(clear);
}

TEST_CASE("store errors: a damaged page is reported by quick_check on open", "[store][errors]") {
    TempDir dir;
    const std::string path = dir.file("runs.db");
    make_store(path, 8);
    damage_pages(path);
    auto message = open_error(path);
    INFO(message);
    REQUIRE(message != "(opened)");
    bool clear = message.find("integrity check failed") != std::string::npos ||
                 message.find("malformed") != std::string::npos;
    REQUIRE(clear);
}

TEST_CASE("store errors: a store over quick_check's size is opened unchecked, and its damage shows when read",
          "[store][errors]") {
    // quick_check reads the whole file, so a large store skips it (OpenOptions::quick_check_bytes_max,
    // here 1 byte to stand for a large file): the damage then shows as soon as a damaged page is
    // read, explained, never as a crash or as wrong runs.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    make_store(path, 8);
    damage_pages(path);
    OpenOptions large;
    large.quick_check_bytes_max = 1;
    large.read_only = true;
    auto store = RunStore::open(path, large);
    if (!store.ok()) {
        // The schema's own pages were hit: that too is an explained error.
        REQUIRE_THAT(store.error().describe(), Catch::Contains("malformed") || Catch::Contains("not a database"));
        return;
    }
    std::string problems;
    for (int64_t id = 1; id <= 8; ++id) {
        auto run = store.value().load_run(id);
        if (!run.ok()) problems += run.error().describe() + "\n";
    }
    INFO(problems);
    REQUIRE_FALSE(problems.empty());
    REQUIRE_THAT(problems, Catch::Contains("malformed") || Catch::Contains("damaged"));
}

TEST_CASE("store errors: a healthy store reopens, at the current schema version", "[store][errors]") {
    // The control for the tests above: the same steps without damage open fine.
    TempDir dir;
    make_store(dir.file("runs.db"), 8);
    auto store = RunStore::open(dir.file("runs.db"));
    REQUIRE_OK(store);
    REQUIRE(store.value().schema_version() == current_schema_version());
    auto runs = store.value().list_runs();
    REQUIRE_OK(runs);
    REQUIRE(runs.value().size() == 8);
    auto read_only = RunStore::open(dir.file("runs.db"), read_only_options());
    REQUIRE_OK(read_only);
}

TEST_CASE("store errors: a damaged event chunk makes load_run fail with the run and chunk named", "[store][errors]") {
    // quick_check sees a well-formed SQLite file; the damage is inside our own encoding. With no
    // checksum (a chunk written before schema version 3), the decoder is what notices.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    make_store(path, 1);
    exec_sql(path, "UPDATE events SET data = substr(data, 1, 40), checksum = NULL WHERE run_id = 1 AND chunk = 0;");
    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    auto run = store.value().load_run(1);
    REQUIRE_FALSE(run.ok());
    REQUIRE_THAT(run.error().describe(), Catch::StartsWith("load_run 1: damaged run: event chunk 0: event "));
    // Without events the rest of the run still loads.
    REQUIRE_OK(store.value().load_run(1, /*with_events=*/false));
}

TEST_CASE("store errors: one changed byte inside an event chunk fails its checksum, wherever it is", "[store][errors]") {
    // The damage the decoder cannot see: a byte that still decodes, to a different event. Every
    // position of the first chunk in turn; each one must be reported, never loaded.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    make_store(path, 1);
    int64_t bytes = 0;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT length(data), hex(data) FROM events WHERE run_id = 1 AND chunk = 0", -1, &st,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    bytes = sqlite3_column_int64(st, 0);
    const std::string original = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
    REQUIRE(bytes > 20);
    for (int64_t at = 1; at <= bytes; at += std::max<int64_t>(1, bytes / 40)) {
        INFO("byte " << at << " of " << bytes);
        const std::string flip = fmt::format(
            "UPDATE events SET data = substr(data, 1, {0}) || CASE WHEN substr(data, {1}, 1) = X'00' THEN X'01' ELSE X'00' "
            "END || substr(data, {2}) WHERE run_id = 1 AND chunk = 0;",
            at - 1, at, at + 1);
        exec_sql(path, flip);
        auto store = RunStore::open(path);
        REQUIRE_OK(store);
        auto run = store.value().load_run(1);
        REQUIRE_FALSE(run.ok());
        REQUIRE_THAT(run.error().describe(), Catch::Contains("event chunk 0 does not match its checksum"));
        exec_sql(path, "UPDATE events SET data = X'" + original + "' WHERE run_id = 1 AND chunk = 0;");
        REQUIRE_OK(RunStore::open(path).value().load_run(1));  // the bytes restored: it loads again
    }
}

TEST_CASE("store errors: a writer that holds the lock past the busy timeout gives 'database is locked'",
          "[store][errors][concurrency]") {
    // Another connection takes the write lock and keeps it; our save waits busy_timeout_ms, then
    // reports the lock instead of hanging or crashing. Once the lock is gone the save succeeds.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    OpenOptions quick;
    quick.busy_timeout_ms = 100;
    auto store = RunStore::open(path, quick);
    REQUIRE_OK(store);
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    RunRecord r = make_kernel_run(1);
    auto blocked = store.value().save_run(r);
    REQUIRE_FALSE(blocked.ok());
    REQUIRE_THAT(blocked.error().describe(), Catch::StartsWith("save_run (store/ping_crash seed 1): database is locked"));
    // Readers are not blocked by the writer (WAL).
    REQUIRE_OK(store.value().list_runs());
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    REQUIRE_OK(store.value().save_run(r));
}

TEST_CASE("store errors: writing through a read-only store is an error", "[store][errors]") {
    TempDir dir;
    make_store(dir.file("runs.db"), 1);
    auto store = RunStore::open(dir.file("runs.db"), read_only_options());
    REQUIRE_OK(store);
    REQUIRE_OK(store.value().load_run(1));
    auto saved = store.value().save_run(make_kernel_run(1));
    REQUIRE_FALSE(saved.ok());
    REQUIRE_THAT(saved.error().message, Catch::Contains("readonly database"));
}

TEST_CASE("store errors: two RunStore objects in one process see each other's commits", "[store][concurrency]") {
    TempDir dir;
    auto writer = RunStore::open(dir.file("runs.db"));
    REQUIRE_OK(writer);
    auto reader = RunStore::open(dir.file("runs.db"));
    REQUIRE_OK(reader);
    auto none = reader.value().latest_run();
    REQUIRE_OK(none);
    REQUIRE_FALSE(none.value().has_value());
    auto id = writer.value().save_run(make_kernel_run(3));
    REQUIRE_OK(id);
    auto latest = reader.value().latest_run();
    REQUIRE_OK(latest);
    REQUIRE(latest.value()->run_id == id.value());
    auto run = reader.value().load_run(id.value());
    REQUIRE_OK(run);
    REQUIRE(same_run(run.value(), make_kernel_run(3)));
}
