// RunStore. Sections: [helpers] [open] [save_run] [load_run] [list] [sweeps].
#include "store/run_store.h"

#include "store/event_codec.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <thread>

namespace faultline::store {

// ============================================================================================
// [helpers]
// ============================================================================================

namespace {

// Events per stored chunk (event_codec.h). docs/run_store.md has the measurements: larger chunks
// stop paying off around a few thousand events; a chunk of 4096 events is ~50 KB.
#ifndef FAULTLINE_STORE_EVENTS_PER_CHUNK
#define FAULTLINE_STORE_EVENTS_PER_CHUNK 4096
#endif
constexpr std::size_t events_per_chunk = FAULTLINE_STORE_EVENTS_PER_CHUNK;
static_assert(events_per_chunk >= 1 && events_per_chunk <= 1'000'000);

// The limits a record must respect (CONTRIBUTING.md rule 8): far above any real run, low enough that a
// corrupted record cannot make the store allocate without bound.
constexpr uint64_t max_events_per_run = uint64_t{1} << 32;

int64_t to_db(uint64_t v) { return static_cast<int64_t>(v); }  // bit-cast (C++20: modular)
uint64_t from_db(int64_t v) { return static_cast<uint64_t>(v); }

template <class F>
auto guarded(const std::string& operation, F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return StoreError{operation, fmt::format("internal error: {}", e.what())};
    } catch (...) {
        return StoreError{operation, "internal error: unknown exception"};
    }
}

std::string event_kind_list() {
    std::string out;
    for (int k = 0; k < event_kind_count; ++k) {
        if (k > 0) out += ',';
        out += to_string(static_cast<EventKind>(k));
    }
    return out;
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

#define STORE_TRY(expr)                          \
    do {                                         \
        auto store_try_result_ = (expr);         \
        if (!store_try_result_.ok()) return store_try_result_.error(); \
    } while (0)

// Runs `sql` (one statement, no rows) with the given text/int bindings applied by `bind`.
template <class Bind>
Result<void> run_cached(Database& db, const std::string& op, const std::string& sql, Bind&& bind) {
    auto s = db.cached(op, sql);
    if (!s.ok()) return s.error();
    bind(*s.value());
    return s.value()->run();
}

}  // namespace

std::string hash_to_hex(uint64_t h) { return fmt::format("{:016x}", h); }

namespace {

// An event chunk's checksum (schema version 3): XXH64 of its bytes, stored as SQLite's signed
// 64-bit integer.
int64_t chunk_checksum(std::string_view bytes) {
    return static_cast<int64_t>(XXH64(bytes.data(), bytes.size(), 0));
}

}  // namespace

std::optional<uint64_t> hex_to_hash(std::string_view text) {
    if (text.size() != 16) return std::nullopt;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}

// ============================================================================================
// [open]
// ============================================================================================

RunStore::RunStore(std::string path, std::unique_ptr<Database> db, int schema_version)
    : path_(std::move(path)), db_(std::move(db)), schema_version_(schema_version) {}
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;
RunStore::~RunStore() = default;

int RunStore::schema_version() const { return schema_version_; }

namespace {

// PRAGMA quick_check: "ok", or up to `max_lines` problems joined.
Result<void> quick_check(Database& db, const std::string& op) {
    auto s = db.prepare(op, "PRAGMA quick_check(5)");
    if (!s.ok()) return StoreError{op, fmt::format("integrity check failed: {}", s.error().message), s.error().sqlite_code};
    std::vector<std::string> lines;
    for (;;) {
        auto row = s.value()->step();
        if (!row.ok()) {
            return StoreError{op, fmt::format("integrity check failed: {}", row.error().message), row.error().sqlite_code};
        }
        if (!row.value()) break;
        lines.push_back(s.value()->column_text(0));
    }
    if (lines.size() == 1 && lines[0] == "ok") return {};
    std::string joined;
    for (const auto& l : lines) joined += (joined.empty() ? "" : "; ") + l;
    for (char& c : joined) {
        if (c == '\n') c = ' ';
    }
    return StoreError{op, fmt::format("integrity check failed (PRAGMA quick_check): {}", joined)};
}

Result<std::optional<std::string>> read_meta(Database& db, const std::string& op, const std::string& key) {
    auto s = db.cached(op, "SELECT value FROM meta WHERE key = ?1");
    if (!s.ok()) return s.error();
    s.value()->bind_text(1, key);
    auto row = s.value()->step();
    if (!row.ok()) return row.error();
    std::optional<std::string> v;
    if (row.value()) v = s.value()->column_text(0);
    s.value()->reset();
    return v;
}

// EventKind codes are stored as integers; the store records the code -> name table it was
// written with and refuses to read events whose codes this build names differently.
Result<void> check_event_kinds(Database& db, const std::string& op, bool read_only) {
    auto stored = read_meta(db, op, "event_kinds");
    if (!stored.ok()) return stored.error();
    const std::string current = event_kind_list();
    if (stored.value()) {
        auto old_names = split_commas(*stored.value());
        auto new_names = split_commas(current);
        std::size_t common = std::min(old_names.size(), new_names.size());
        for (std::size_t i = 0; i < common; ++i) {
            if (old_names[i] != new_names[i]) {
                return StoreError{op, fmt::format("event kind code {} was '{}' when this store was written; this build "
                                                  "calls it '{}' (EventKind codes are append-only: add a migration)",
                                                  i, old_names[i], new_names[i])};
            }
        }
        if (new_names.size() <= old_names.size()) return {};
    }
    if (read_only) return {};
    return run_cached(db, op, "INSERT OR REPLACE INTO meta (key, value) VALUES ('event_kinds', ?1)",
                      [&](Statement& s) { s.bind_text(1, current); });
}

struct OpenedDatabase {
    std::unique_ptr<Database> db;
    int schema_version = 0;
};

Result<OpenedDatabase> open_unguarded(const std::string& path, const OpenOptions& options) {
    const std::string op = fmt::format("open {}", path);
    if (path.empty()) return StoreError{op, "no path given"};
    FL_ASSERT(options.busy_timeout_ms >= 0, "busy_timeout_ms must not be negative");
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return StoreError{op, "is a directory, not a run store file"};
    bool exists = std::filesystem::exists(path, ec);
    if (exists && !std::filesystem::is_regular_file(path, ec)) {
        return StoreError{op, "is not a regular file (a device, pipe or socket), not a run store file"};
    }
    if (!exists && (options.read_only || !options.create)) return StoreError{op, "no such file"};

    auto db_result = Database::open(path, options.read_only, options.create, options.busy_timeout_ms);
    if (!db_result.ok()) {
        StoreError e = db_result.error();
        e.message += " (does the directory exist, and may this user write there?)";
        return e;
    }
    std::unique_ptr<Database> db = std::move(db_result).value();

    // The first read: "file is not a database" for a file that is not SQLite, "not a Faultline
    // run store (tables: ...)" for somebody else's database.
    auto version = read_schema_version(*db, op);
    const int first_read = version.ok() ? 0 : version.error().sqlite_code & 0xff;
    if (options.read_only && (first_read == SQLITE_READONLY || first_read == SQLITE_CANTOPEN)) {
        // A store in a folder this user cannot write: SQLite cannot make the shared-memory file
        // that reading a WAL database takes. Read the file as it is instead (a writer, if any,
        // checkpoints on close: what it is still writing is not seen).
        auto again = Database::open(path, true, false, options.busy_timeout_ms, /*immutable=*/true);
        if (!again.ok()) return again.error();
        db = std::move(again).value();
        version = read_schema_version(*db, op);
    }
    if (!version.ok()) return version.error();
    if (options.quick_check && (!exists || std::filesystem::file_size(path, ec) <= options.quick_check_bytes_max))
        STORE_TRY(quick_check(*db, op));
    const int current = current_schema_version();
    if (version.value() > current) {
        return StoreError{op, fmt::format("run store schema version {} is newer than this build understands ({}); "
                                          "open it with a newer faultline",
                                          version.value(), current)};
    }
    if (options.read_only) {
        if (version.value() < current) {
            return StoreError{op, fmt::format("run store schema version {} is older than this build's ({}); open it "
                                              "once writable to migrate it",
                                              version.value(), current)};
        }
    } else {
        // WAL: readers do not block the writer and a commit is one append to the log.
        // synchronous=NORMAL: a commit survives a process crash (kill -9); an OS crash may lose
        // the last commits but never corrupts the file.
        auto wal = db->prepare(op, "PRAGMA journal_mode = WAL");
        if (!wal.ok()) return wal.error();
        auto row = wal.value()->step();
        if (!row.ok()) return row.error();
        wal.value().reset();
        STORE_TRY(db->exec(op, "PRAGMA synchronous = NORMAL"));
        STORE_TRY(migrate(*db, migrations(), op));
    }
    STORE_TRY(check_event_kinds(*db, op, options.read_only));
    auto final_version = read_schema_version(*db, op);
    if (!final_version.ok()) return final_version.error();
    FL_ASSERT(final_version.value() == current, "after migration the store is at version {}, expected {}",
              final_version.value(), current);
    return OpenedDatabase{std::move(db), final_version.value()};
}

// SQLite says "database disk image is malformed" for a damaged or truncated file; say what to do.
StoreError explain_corruption(StoreError e) {
    if ((e.sqlite_code & 0xff) == SQLITE_CORRUPT && e.message.find("integrity check") == std::string::npos) {
        e.message += " (the file is damaged or truncated: restore a copy, or move it aside to start a new store)";
    }
    if ((e.sqlite_code & 0xff) == SQLITE_READONLY)
        e.message += " (this user may read but not write the file or its folder: name another with --db)";
    return e;
}

}  // namespace

Result<RunStore> RunStore::open(const std::string& path, const OpenOptions& options) {
    return guarded(fmt::format("open {}", path), [&]() -> Result<RunStore> {
        // Opening a store that another process is creating or migrating at the same moment can
        // meet SQLITE_BUSY that SQLite reports at once, without waiting out the busy timeout
        // (switching a new file to WAL, reading a schema being written): seen on 1 of 30
        // three-process races. The whole open is retried, within the busy timeout, from the
        // start: nothing of a failed attempt is kept. (Wall time is fine here: the store is
        // outside every simulated run.)
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
        for (int attempt = 1;; ++attempt) {
            auto opened = open_unguarded(path, options);
            if (opened.ok()) return RunStore(path, std::move(opened.value().db), opened.value().schema_version);
            const int code = opened.error().sqlite_code & 0xff;
            const bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
            if (!busy || std::chrono::steady_clock::now() >= deadline) return explain_corruption(opened.error());
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
        }
    });
}

// ============================================================================================
// [save_run]
// ============================================================================================

namespace {

Result<void> validate(const RunRecord& r, const std::string& op) {
    if (r.events.size() > r.event_count) {
        return StoreError{op, fmt::format("record has {} events but event_count {}", r.events.size(), r.event_count)};
    }
    if (!r.events.empty() && r.events.size() != r.event_count) {
        return StoreError{op, fmt::format("record holds {} of its {} events: a stored trace holds every event or none",
                                          r.events.size(), r.event_count)};
    }
    if (r.event_count > max_events_per_run) {
        return StoreError{op, fmt::format("event_count {} is over the limit {}", r.event_count, max_events_per_run)};
    }
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const TraceEvent& e = r.events[i];
        if (e.index != i) return StoreError{op, fmt::format("event at position {} has index {}", i, e.index)};
        if (e.name != 0 && e.name >= r.names.size()) {
            return StoreError{op, fmt::format("event {} names name id {} but the record has {} names", i, e.name,
                                              r.names.size())};
        }
    }
    return {};
}

}  // namespace

Result<int64_t> RunStore::save_run(const RunRecord& record, SaveMode mode) {
    return guarded("save_run", [&] { return save_run_unguarded(record, mode); });
}

Result<int64_t> RunStore::save_run_unguarded(const RunRecord& r, SaveMode mode) {
    const std::string op = fmt::format("save_run ({} seed {})", r.scenario_name, r.seed);
    STORE_TRY(validate(r, op));
    const bool store_events = mode == SaveMode::full_trace && r.events.size() == r.event_count;
    Database& db = *db_;

    auto tx = Transaction::begin(db, op);
    if (!tx.ok()) return tx.error();

    const std::string node_names = nlohmann::json(r.node_names).dump();
    const std::string trace_hash = hash_to_hex(r.trace_hash);
    STORE_TRY(run_cached(db, op,
                         "INSERT INTO runs (scenario_name, scenario_hash, scenario_text, seed, build_id, "
                         "virtual_duration_ns, wall_time_ms, trace_hash, trace_level, event_count, events_stored, "
                         "node_names, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                         [&](Statement& s) {
                             s.bind_text(1, r.scenario_name);
                             s.bind_text(2, r.scenario_hash);
                             s.bind_text(3, r.scenario_text);
                             s.bind(4, to_db(r.seed));
                             s.bind_text(5, r.build_id);
                             s.bind(6, r.virtual_duration_ns);
                             s.bind(7, r.wall_time_ms);
                             s.bind_text(8, trace_hash);
                             s.bind_text(9, to_string(r.trace_level));
                             s.bind(10, to_db(r.event_count));
                             s.bind(11, int64_t{store_events ? 1 : 0});
                             s.bind_text(12, node_names);
                             s.bind_text(13, to_string(r.status));
                         }));
    const int64_t run_id = db.last_insert_rowid();
    FL_ASSERT(run_id > 0, "SQLite assigned run id {}", run_id);

    if (store_events) {
        // Names, then the events in packed chunks. All in this run's one transaction.
        for (std::size_t i = 0; i < r.names.size(); ++i) {
            STORE_TRY(run_cached(db, op, "INSERT INTO names (run_id, id, name) VALUES (?1, ?2, ?3)", [&](Statement& s) {
                s.bind(1, run_id);
                s.bind(2, static_cast<int64_t>(i));
                s.bind_text(3, r.names[i]);
            }));
        }
        std::string chunk_bytes;
        const std::size_t n = r.events.size();
        for (std::size_t first = 0, chunk = 0; first < n; first += events_per_chunk, ++chunk) {
            const std::size_t count = std::min(events_per_chunk, n - first);
            chunk_bytes.clear();
            encode_events(std::span<const TraceEvent>(r.events).subspan(first, count), chunk_bytes);
            STORE_TRY(run_cached(db, op,
                                 "INSERT INTO events (run_id, chunk, first_index, event_count, encoding, data, "
                                 "checksum) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 [&](Statement& s) {
                                     s.bind(1, run_id);
                                     s.bind(2, static_cast<int64_t>(chunk));
                                     s.bind(3, static_cast<int64_t>(first));
                                     s.bind(4, static_cast<int64_t>(count));
                                     s.bind(5, int64_t{event_encoding_version});
                                     s.bind_blob(6, chunk_bytes);
                                     s.bind(7, chunk_checksum(chunk_bytes));
                                 }));
        }
    }

    for (std::size_t i = 0; i < r.history.events.size(); ++i) {
        const check::Event& e = r.history.events[i];
        STORE_TRY(run_cached(db, op,
                             "INSERT INTO history (run_id, idx, event_index, time_ns, process, type, f, key, value, "
                             "expected, cas_swapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             [&](Statement& s) {
                                 s.bind(1, run_id);
                                 s.bind(2, static_cast<int64_t>(i));
                                 s.bind(3, e.index);
                                 s.bind(4, e.time_ns);
                                 s.bind(5, int64_t{e.process});
                                 s.bind_text(6, check::to_string(e.type));
                                 s.bind_text(7, check::to_string(e.f));
                                 s.bind_text(8, e.key);
                                 s.bind_optional_text(9, e.value);
                                 s.bind_optional_text(10, e.expected);
                                 if (e.cas_swapped) s.bind(11, int64_t{*e.cas_swapped ? 1 : 0}); else s.bind_null(11);
                             }));
    }
    for (std::size_t i = 0; i < r.faults.size(); ++i) {
        STORE_TRY(run_cached(db, op,
                             "INSERT INTO faults (run_id, idx, time_ns, kind, description) VALUES (?1, ?2, ?3, ?4, ?5)",
                             [&](Statement& s) {
                                 s.bind(1, run_id);
                                 s.bind(2, static_cast<int64_t>(i));
                                 s.bind(3, r.faults[i].time_ns);
                                 s.bind_text(4, r.faults[i].kind);
                                 s.bind_text(5, r.faults[i].description);
                             }));
    }
    for (std::size_t i = 0; i < r.checks.size(); ++i) {
        const std::string details = r.checks[i].details.dump();
        STORE_TRY(run_cached(db, op,
                             "INSERT INTO checks (run_id, idx, checker, verdict, details) VALUES (?1, ?2, ?3, ?4, ?5)",
                             [&](Statement& s) {
                                 s.bind(1, run_id);
                                 s.bind(2, static_cast<int64_t>(i));
                                 s.bind_text(3, r.checks[i].checker);
                                 s.bind_text(4, r.checks[i].verdict);
                                 s.bind_text(5, details);
                             }));
    }
    for (std::size_t i = 0; i < r.figures.size(); ++i) {
        // SQLite turns a NaN into NULL; NULL is read back as NaN.
        STORE_TRY(run_cached(db, op, "INSERT INTO figures (run_id, idx, name, value) VALUES (?1, ?2, ?3, ?4)",
                             [&](Statement& s) {
                                 s.bind(1, run_id);
                                 s.bind(2, static_cast<int64_t>(i));
                                 s.bind_text(3, r.figures[i].name);
                                 if (std::isnan(r.figures[i].value)) s.bind_null(4); else s.bind(4, r.figures[i].value);
                             }));
    }
    for (std::size_t i = 0; i < r.expectations.size(); ++i) {
        STORE_TRY(run_cached(db, op,
                             "INSERT INTO expectations (run_id, idx, name, met, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                             [&](Statement& s) {
                                 s.bind(1, run_id);
                                 s.bind(2, static_cast<int64_t>(i));
                                 s.bind_text(3, r.expectations[i].name);
                                 s.bind(4, int64_t{r.expectations[i].met ? 1 : 0});
                                 s.bind_text(5, r.expectations[i].detail);
                             }));
    }
    STORE_TRY(tx.value()->commit());
    return run_id;
}

// ============================================================================================
// [load_run]
// ============================================================================================

Result<RunRecord> RunStore::load_run(int64_t run_id, bool with_events) {
    return guarded(fmt::format("load_run {}", run_id), [&] { return load_run_unguarded(run_id, with_events); });
}

namespace {

// Reads every row of a cached statement bound to run_id, calling `row` for each; `row` returns
// an error to stop. Rows come in idx order and must be numbered 0, 1, 2 ...
template <class Row>
Result<void> for_each_row(Database& db, const std::string& op, const std::string& sql, int64_t run_id, Row&& row) {
    auto s = db.cached(op, sql);
    if (!s.ok()) return s.error();
    s.value()->bind(1, run_id);
    for (int64_t expected_idx = 0;; ++expected_idx) {
        auto next = s.value()->step();
        if (!next.ok()) return next.error();
        if (!next.value()) break;
        int64_t idx = s.value()->column_int64(0);
        if (idx != expected_idx) {
            s.value()->reset();
            return StoreError{op, fmt::format("damaged run: row {} where row {} was expected ({})", idx, expected_idx, sql)};
        }
        auto r = row(*s.value());
        if (!r.ok()) {
            s.value()->reset();
            return r.error();
        }
    }
    s.value()->reset();
    return {};
}

}  // namespace

Result<RunRecord> RunStore::load_run_unguarded(int64_t run_id, bool with_events) {
    const std::string op = fmt::format("load_run {}", run_id);
    Database& db = *db_;
    RunRecord r;
    {
        auto s = db.cached(op, "SELECT run_id, written_at, scenario_name, scenario_hash, scenario_text, seed, build_id, "
                               "virtual_duration_ns, wall_time_ms, trace_hash, trace_level, event_count, events_stored, "
                               "node_names, status FROM runs WHERE run_id = ?1");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind(1, run_id);
        auto row = q.step();
        if (!row.ok()) return row.error();
        if (!row.value()) return StoreError{op, "no such run"};
        r.run_id = q.column_int64(0);
        r.written_at = q.column_text(1);
        r.scenario_name = q.column_text(2);
        r.scenario_hash = q.column_text(3);
        r.scenario_text = q.column_text(4);
        r.seed = from_db(q.column_int64(5));
        r.build_id = q.column_text(6);
        r.virtual_duration_ns = q.column_int64(7);
        r.wall_time_ms = q.column_int64(8);
        auto hash = hex_to_hash(q.column_text(9));
        auto level = parse_trace_level(q.column_text(10));
        r.event_count = from_db(q.column_int64(11));
        r.events_stored = q.column_int64(12) != 0;
        auto nodes = nlohmann::json::parse(q.column_text(13), nullptr, /*allow_exceptions=*/false);
        auto status = parse_run_status(q.column_text(14));
        const std::string trace_hash_text = q.column_text(9);
        q.reset();
        if (!hash) return StoreError{op, fmt::format("damaged run: trace_hash '{}' is not 16 hex digits", trace_hash_text)};
        if (!level) return StoreError{op, "damaged run: unknown trace_level"};
        if (!status) return StoreError{op, "damaged run: unknown status"};
        if (nodes.is_discarded() || !nodes.is_array()) return StoreError{op, "damaged run: node_names is not a JSON array"};
        r.trace_hash = *hash;
        r.trace_level = *level;
        r.status = *status;
        for (const auto& n : nodes) {
            if (!n.is_string()) return StoreError{op, "damaged run: node_names holds a non-string"};
            r.node_names.push_back(n.get<std::string>());
        }
        if (r.event_count > max_events_per_run) return StoreError{op, "damaged run: event_count over the limit"};
    }

    if (with_events && r.events_stored) {
        STORE_TRY(for_each_row(db, op, "SELECT id, name FROM names WHERE run_id = ?1 ORDER BY id", run_id,
                               [&](Statement& s) -> Result<void> {
                                   r.names.push_back(s.column_text(1));
                                   return {};
                               }));
        r.events.reserve(r.event_count);
        STORE_TRY(for_each_row(db, op,
                               "SELECT chunk, first_index, event_count, encoding, data, checksum FROM events WHERE "
                               "run_id = ?1 ORDER BY chunk",
                               run_id, [&](Statement& s) -> Result<void> {
                                   const int64_t chunk = s.column_int64(0);
                                   const int64_t first = s.column_int64(1);
                                   const int64_t count = s.column_int64(2);
                                   const int64_t encoding = s.column_int64(3);
                                   if (encoding != event_encoding_version) {
                                       return StoreError{op, fmt::format("event chunk {} has encoding {}, unknown to "
                                                                         "this build", chunk, encoding)};
                                   }
                                   if (!s.is_null(5) && s.column_int64(5) != chunk_checksum(s.column_blob(4))) {
                                       return StoreError{op, fmt::format("damaged run: event chunk {} does not match "
                                                                         "its checksum (the file was altered or "
                                                                         "damaged; its events are not shown)",
                                                                         chunk)};
                                   }
                                   if (first != static_cast<int64_t>(r.events.size()) || count < 0 ||
                                       static_cast<uint64_t>(count) > r.event_count - r.events.size()) {
                                       return StoreError{op, fmt::format("damaged run: event chunk {} holds events "
                                                                         "{}+{}, expected to start at {} of {}",
                                                                         chunk, first, count, r.events.size(),
                                                                         r.event_count)};
                                   }
                                   auto problem = decode_events(s.column_blob(4), static_cast<uint64_t>(first),
                                                                static_cast<uint64_t>(count), r.events);
                                   if (problem) {
                                       return StoreError{op, fmt::format("damaged run: event chunk {}: {}", chunk,
                                                                         *problem)};
                                   }
                                   return {};
                               }));
        if (r.events.size() != r.event_count) {
            return StoreError{op, fmt::format("damaged run: {} events stored, event_count says {}", r.events.size(),
                                              r.event_count)};
        }
    }

    STORE_TRY(for_each_row(
        db, op,
        "SELECT idx, event_index, time_ns, process, type, f, key, value, expected, cas_swapped FROM history "
        "WHERE run_id = ?1 ORDER BY idx",
        run_id, [&](Statement& s) -> Result<void> {
            check::Event e;
            e.index = s.column_int64(1);
            e.time_ns = s.column_int64(2);
            e.process = static_cast<int>(s.column_int64(3));
            auto type = check::parse_event_type(s.column_text(4));
            auto f = check::parse_function(s.column_text(5));
            if (!type || !f) {
                return StoreError{op, fmt::format("damaged run: history row {} has type '{}' and function '{}'",
                                                  r.history.events.size(), s.column_text(4), s.column_text(5))};
            }
            e.type = *type;
            e.f = *f;
            e.key = s.column_text(6);
            e.value = s.column_optional_text(7);
            e.expected = s.column_optional_text(8);
            if (!s.is_null(9)) e.cas_swapped = s.column_int64(9) != 0;
            r.history.events.push_back(std::move(e));
            return {};
        }));
    STORE_TRY(for_each_row(db, op,
                           "SELECT idx, time_ns, kind, description FROM faults WHERE run_id = ?1 ORDER BY idx", run_id,
                           [&](Statement& s) -> Result<void> {
                               r.faults.push_back({s.column_int64(1), s.column_text(2), s.column_text(3)});
                               return {};
                           }));
    STORE_TRY(for_each_row(db, op, "SELECT idx, checker, verdict, details FROM checks WHERE run_id = ?1 ORDER BY idx",
                           run_id, [&](Statement& s) -> Result<void> {
                               auto details = nlohmann::ordered_json::parse(s.column_text(3), nullptr, false);
                               if (details.is_discarded()) {
                                   return StoreError{op, fmt::format("damaged run: details of check {} are not JSON",
                                                                     r.checks.size())};
                               }
                               r.checks.push_back({s.column_text(1), s.column_text(2), std::move(details)});
                               return {};
                           }));
    STORE_TRY(for_each_row(db, op, "SELECT idx, name, value FROM figures WHERE run_id = ?1 ORDER BY idx", run_id,
                           [&](Statement& s) -> Result<void> {
                               double v = s.is_null(2) ? std::numeric_limits<double>::quiet_NaN() : s.column_double(2);
                               r.figures.push_back({s.column_text(1), v});
                               return {};
                           }));
    STORE_TRY(for_each_row(db, op, "SELECT idx, name, met, detail FROM expectations WHERE run_id = ?1 ORDER BY idx",
                           run_id, [&](Statement& s) -> Result<void> {
                               r.expectations.push_back({s.column_text(1), s.column_int64(2) != 0, s.column_text(3)});
                               return {};
                           }));
    return r;
}

// ============================================================================================
// [list]
// ============================================================================================

Result<std::vector<RunSummary>> RunStore::list_runs(const RunFilter& filter) {
    return guarded("list_runs", [&]() -> Result<std::vector<RunSummary>> {
        const std::string op = "list_runs";
        if (filter.limit < 1 || filter.limit > max_list_limit) {
            return StoreError{op, fmt::format("limit {} is outside 1..{}", filter.limit, max_list_limit)};
        }
        auto s = db_->cached(op, "SELECT run_id, written_at, scenario_name, scenario_hash, seed, build_id, status, "
                                 "trace_hash, event_count, events_stored, virtual_duration_ns, wall_time_ms FROM runs "
                                 "WHERE (?1 = '' OR instr(scenario_name, ?1) > 0) AND (?2 IS NULL OR status = ?2) "
                                 "ORDER BY run_id DESC LIMIT ?3");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind_text(1, filter.scenario_contains);
        if (filter.status) q.bind_text(2, to_string(*filter.status)); else q.bind_null(2);
        q.bind(3, int64_t{filter.limit});
        std::vector<RunSummary> out;
        for (;;) {
            auto row = q.step();
            if (!row.ok()) return row.error();
            if (!row.value()) break;
            RunSummary sum;
            sum.run_id = q.column_int64(0);
            sum.written_at = q.column_text(1);
            sum.scenario_name = q.column_text(2);
            sum.scenario_hash = q.column_text(3);
            sum.seed = from_db(q.column_int64(4));
            sum.build_id = q.column_text(5);
            auto status = parse_run_status(q.column_text(6));
            auto hash = hex_to_hash(q.column_text(7));
            if (!status || !hash) {
                q.reset();
                return StoreError{op, fmt::format("damaged run {}: bad status or trace_hash", sum.run_id)};
            }
            sum.status = *status;
            sum.trace_hash = *hash;
            sum.event_count = from_db(q.column_int64(8));
            sum.events_stored = q.column_int64(9) != 0;
            sum.virtual_duration_ns = q.column_int64(10);
            sum.wall_time_ms = q.column_int64(11);
            out.push_back(std::move(sum));
        }
        q.reset();
        FL_ASSERT(out.size() <= static_cast<std::size_t>(filter.limit), "list_runs returned more than its limit");
        return out;
    });
}

Result<std::optional<RunSummary>> RunStore::latest_run() {
    RunFilter newest;
    newest.limit = 1;
    auto runs = list_runs(newest);
    if (!runs.ok()) return StoreError{"latest_run", runs.error().message, runs.error().sqlite_code};
    if (runs.value().empty()) return std::optional<RunSummary>{};
    return std::optional<RunSummary>{runs.value().front()};
}

// ============================================================================================
// [sweeps]
// ============================================================================================

namespace {

Result<void> validate(const SweepSpec& spec, const std::string& op) {
    if (spec.seed_last < spec.seed_first) {
        return StoreError{op, fmt::format("seed range {}..{} is empty", spec.seed_first, spec.seed_last)};
    }
    if (spec.shard_count < 1 || spec.shard_index < 0 || spec.shard_index >= spec.shard_count) {
        return StoreError{op, fmt::format("shard {}/{} is not one of 0..{} of {}", spec.shard_index, spec.shard_count,
                                          spec.shard_count - 1, spec.shard_count)};
    }
    return {};
}

}  // namespace

Result<int64_t> RunStore::begin_sweep(const SweepSpec& spec) {
    return guarded("begin_sweep", [&]() -> Result<int64_t> {
        const std::string op = fmt::format("begin_sweep ({} seeds {}..{})", spec.scenario_name, spec.seed_first, spec.seed_last);
        STORE_TRY(validate(spec, op));
        STORE_TRY(run_cached(*db_, op,
                             "INSERT INTO sweeps (scenario_name, scenario_hash, build_id, seed_first, seed_last, "
                             "shard_index, shard_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             [&](Statement& s) {
                                 s.bind_text(1, spec.scenario_name);
                                 s.bind_text(2, spec.scenario_hash);
                                 s.bind_text(3, spec.build_id);
                                 s.bind(4, to_db(spec.seed_first));
                                 s.bind(5, to_db(spec.seed_last));
                                 s.bind(6, int64_t{spec.shard_index});
                                 s.bind(7, int64_t{spec.shard_count});
                             }));
        int64_t id = db_->last_insert_rowid();
        FL_ASSERT(id > 0, "SQLite assigned sweep id {}", id);
        return id;
    });
}

Result<std::optional<int64_t>> RunStore::find_sweep(const SweepSpec& spec) {
    return guarded("find_sweep", [&]() -> Result<std::optional<int64_t>> {
        const std::string op = "find_sweep";
        auto s = db_->cached(op, "SELECT sweep_id FROM sweeps WHERE scenario_hash = ?1 AND seed_first = ?2 AND "
                                 "seed_last = ?3 AND shard_index = ?4 AND shard_count = ?5 ORDER BY sweep_id DESC LIMIT 1");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind_text(1, spec.scenario_hash);
        q.bind(2, to_db(spec.seed_first));
        q.bind(3, to_db(spec.seed_last));
        q.bind(4, int64_t{spec.shard_index});
        q.bind(5, int64_t{spec.shard_count});
        auto row = q.step();
        if (!row.ok()) return row.error();
        std::optional<int64_t> id;
        if (row.value()) id = q.column_int64(0);
        q.reset();
        return id;
    });
}

Result<SweepInfo> RunStore::sweep(int64_t sweep_id) {
    return guarded(fmt::format("sweep {}", sweep_id), [&]() -> Result<SweepInfo> {
        const std::string op = fmt::format("sweep {}", sweep_id);
        auto s = db_->cached(op, "SELECT created_at, scenario_name, scenario_hash, build_id, seed_first, seed_last, "
                                 "shard_index, shard_count FROM sweeps WHERE sweep_id = ?1");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind(1, sweep_id);
        auto row = q.step();
        if (!row.ok()) return row.error();
        if (!row.value()) return StoreError{op, "no such sweep"};
        SweepInfo info;
        info.sweep_id = sweep_id;
        info.created_at = q.column_text(0);
        info.spec.scenario_name = q.column_text(1);
        info.spec.scenario_hash = q.column_text(2);
        info.spec.build_id = q.column_text(3);
        info.spec.seed_first = from_db(q.column_int64(4));
        info.spec.seed_last = from_db(q.column_int64(5));
        info.spec.shard_index = static_cast<int>(q.column_int64(6));
        info.spec.shard_count = static_cast<int>(q.column_int64(7));
        q.reset();
        return info;
    });
}

Result<std::vector<int64_t>> RunStore::list_sweeps() {
    return guarded("list_sweeps", [&]() -> Result<std::vector<int64_t>> {
        auto s = db_->cached("list_sweeps", "SELECT sweep_id FROM sweeps ORDER BY sweep_id");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        std::vector<int64_t> out;
        while (true) {
            auto row = q.step();
            if (!row.ok()) return row.error();
            if (!row.value()) break;
            out.push_back(q.column_int64(0));
        }
        q.reset();
        return out;
    });
}

Result<void> RunStore::record_sweep_result(int64_t sweep_id, const SweepResult& result) {
    const std::string op = fmt::format("record_sweep_result (sweep {} seed {})", sweep_id, result.seed);
    return guarded(op, [&]() -> Result<void> {
        const std::string verdicts = result.verdicts.dump();
        const std::string trace_hash = hash_to_hex(result.trace_hash);
        // Outside any explicit transaction this statement commits on its own: once it returns,
        // the row survives a kill -9 of this process.
        auto inserted = run_cached(*db_, op,
                          "INSERT OR REPLACE INTO sweep_results (sweep_id, seed, status, trace_hash, verdicts, "
                          "wall_time_ms, run_id) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 "
                          "WHERE EXISTS (SELECT 1 FROM sweeps WHERE sweep_id = ?1)",
                          [&](Statement& s) {
                              s.bind(1, sweep_id);
                              s.bind(2, to_db(result.seed));
                              s.bind_text(3, to_string(result.status));
                              s.bind_text(4, trace_hash);
                              s.bind_text(5, verdicts);
                              s.bind(6, result.wall_time_ms);
                              if (result.run_id) s.bind(7, *result.run_id); else s.bind_null(7);
                          });
        if (!inserted.ok()) return inserted;
        if (db_->changes() == 0) return StoreError{op, "no such sweep"};
        return {};
    });
}

Result<std::set<uint64_t>> RunStore::finished_seeds(int64_t sweep_id) {
    const std::string op = fmt::format("finished_seeds (sweep {})", sweep_id);
    return guarded(op, [&]() -> Result<std::set<uint64_t>> {
        auto s = db_->cached(op, "SELECT seed FROM sweep_results WHERE sweep_id = ?1");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind(1, sweep_id);
        std::set<uint64_t> seeds;
        for (;;) {
            auto row = q.step();
            if (!row.ok()) return row.error();
            if (!row.value()) break;
            seeds.insert(from_db(q.column_int64(0)));
        }
        q.reset();
        return seeds;
    });
}

Result<std::vector<SweepResult>> RunStore::sweep_results(int64_t sweep_id) {
    const std::string op = fmt::format("sweep_results (sweep {})", sweep_id);
    return guarded(op, [&]() -> Result<std::vector<SweepResult>> {
        auto s = db_->cached(op, "SELECT seed, status, trace_hash, verdicts, wall_time_ms, run_id FROM sweep_results "
                                 "WHERE sweep_id = ?1");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind(1, sweep_id);
        std::vector<SweepResult> out;
        for (;;) {
            auto row = q.step();
            if (!row.ok()) return row.error();
            if (!row.value()) break;
            SweepResult r;
            r.seed = from_db(q.column_int64(0));
            auto status = parse_run_status(q.column_text(1));
            auto hash = hex_to_hash(q.column_text(2));
            auto verdicts = nlohmann::ordered_json::parse(q.column_text(3), nullptr, false);
            if (!status || !hash || verdicts.is_discarded()) {
                q.reset();
                return StoreError{op, fmt::format("damaged sweep result for seed {}", r.seed)};
            }
            r.status = *status;
            r.trace_hash = *hash;
            r.verdicts = std::move(verdicts);
            r.wall_time_ms = q.column_int64(4);
            if (!q.is_null(5)) r.run_id = q.column_int64(5);
            out.push_back(std::move(r));
        }
        q.reset();
        // Seed order as unsigned numbers (SQLite would order seeds >= 2^63 first: they are
        // stored bit-cast to negative integers).
        std::sort(out.begin(), out.end(), [](const SweepResult& a, const SweepResult& b) { return a.seed < b.seed; });
        return out;
    });
}

// ============================================================================================
// [removing runs]
// ============================================================================================

Result<void> RunStore::delete_runs(const std::vector<int64_t>& run_ids) {
    const std::string op = fmt::format("delete_runs ({} runs)", run_ids.size());
    return guarded(op, [&]() -> Result<void> {
        if (run_ids.empty()) return {};
        auto tx = Transaction::begin(*db_, op);
        if (!tx.ok()) return tx.error();
        static constexpr const char* tables[] = {"events", "names",   "history",      "faults",
                                                 "checks", "figures", "expectations", "runs"};
        for (int64_t id : run_ids) {
            for (const char* table : tables) {
                STORE_TRY(run_cached(*db_, op, fmt::format("DELETE FROM {} WHERE run_id = ?1", table),
                                     [&](Statement& s) { s.bind(1, id); }));
            }
            STORE_TRY(run_cached(*db_, op, "UPDATE sweep_results SET run_id = NULL WHERE run_id = ?1",
                                 [&](Statement& s) { s.bind(1, id); }));
        }
        return tx.value()->commit();
    });
}

Result<void> RunStore::vacuum() {
    const std::string op = "vacuum";
    return guarded(op, [&]() -> Result<void> {
        STORE_TRY(db_->exec(op, "VACUUM"));
        // In WAL mode the rewritten file goes through the log first: fold it back, and empty it.
        return db_->exec(op, "PRAGMA wal_checkpoint(TRUNCATE)");
    });
}

// ============================================================================================
// [labs]
// ============================================================================================

namespace {

std::string join_ids(const std::vector<int64_t>& ids) {
    std::string out;
    for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

std::vector<int64_t> parse_ids(const std::string& text) {
    std::vector<int64_t> out;
    if (text.empty()) return out;
    for (const auto& part : split_commas(text)) {
        int64_t v = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec == std::errc() && end == part.data() + part.size()) out.push_back(v);
    }
    return out;
}

}  // namespace

Result<int64_t> RunStore::save_lab_grade(const LabGrade& g) {
    const std::string op = fmt::format("save_lab_grade ({})", g.lab);
    return guarded(op, [&]() -> Result<int64_t> {
        const std::string report = g.report.dump();
        const std::string ids = join_ids(g.run_ids);
        STORE_TRY(run_cached(*db_, op,
                             "INSERT INTO lab_grades (lab, protocol, score, points, build_id, report, run_ids) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             [&](Statement& s) {
                                 s.bind_text(1, g.lab);
                                 s.bind_text(2, g.protocol);
                                 s.bind(3, int64_t{g.score});
                                 s.bind(4, int64_t{g.points});
                                 s.bind_text(5, g.build_id);
                                 s.bind_text(6, report);
                                 s.bind_text(7, ids);
                             }));
        return db_->last_insert_rowid();
    });
}

Result<std::vector<LabGrade>> RunStore::lab_grades(const std::string& lab) {
    const std::string op = fmt::format("lab_grades ({})", lab.empty() ? "all" : lab);
    return guarded(op, [&]() -> Result<std::vector<LabGrade>> {
        auto s = db_->cached(op,
                             "SELECT grade_id, graded_at, lab, protocol, score, points, build_id, report, run_ids "
                             "FROM lab_grades WHERE ?1 = '' OR lab = ?1 ORDER BY grade_id DESC");
        if (!s.ok()) return s.error();
        Statement& q = *s.value();
        q.bind_text(1, lab);
        std::vector<LabGrade> out;
        for (;;) {
            auto row = q.step();
            if (!row.ok()) return row.error();
            if (!row.value()) break;
            LabGrade g;
            g.grade_id = q.column_int64(0);
            g.graded_at = q.column_text(1);
            g.lab = q.column_text(2);
            g.protocol = q.column_text(3);
            g.score = static_cast<int>(q.column_int64(4));
            g.points = static_cast<int>(q.column_int64(5));
            g.build_id = q.column_text(6);
            g.report = nlohmann::ordered_json::parse(q.column_text(7), nullptr, /*allow_exceptions=*/false);
            if (g.report.is_discarded()) {
                q.reset();
                return StoreError{op, fmt::format("lab grading {} has an unreadable report (damaged store?)", g.grade_id)};
            }
            g.run_ids = parse_ids(q.column_text(8));
            out.push_back(std::move(g));
        }
        q.reset();
        return out;
    });
}

Result<void> RunStore::prune_lab_grades(const std::string& lab, int keep) {
    auto grades = lab_grades(lab);
    if (!grades.ok()) return grades.error();
    const std::string op = fmt::format("prune_lab_grades ({})", lab);
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < grades.value().size(); ++i) {
        const LabGrade& old = grades.value()[i];
        auto removed = delete_runs(old.run_ids);
        if (!removed.ok()) return removed;
        auto done = guarded(op, [&]() -> Result<void> {
            return run_cached(*db_, op, "DELETE FROM lab_grades WHERE grade_id = ?1",
                              [&](Statement& s) { s.bind(1, old.grade_id); });
        });
        if (!done.ok()) return done;
    }
    return {};
}

}  // namespace faultline::store
