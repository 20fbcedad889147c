#include "store/schema.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <vector>

namespace faultline::store {

namespace {

// Version 1. Conventions (docs/run_store.md): uint64 values that need not be read by humans
// (seed, Lamport time, ids) are stored as INTEGER bit-cast to int64; trace hashes are 16-digit
// lower-case hex TEXT, as the CLI prints them; enums a human filters on are TEXT. Trace events are
// packed chunks (event_codec.h), EventKind as its integer code (the `event_kinds` meta entry
// records the code -> name table they were written with). Small child tables key on
// (run_id, idx) WITHOUT ROWID, so a run's rows are stored together and in order.
constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
    run_id              INTEGER PRIMARY KEY AUTOINCREMENT,
    written_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    scenario_name       TEXT    NOT NULL,
    scenario_hash       TEXT    NOT NULL,
    scenario_text       TEXT    NOT NULL,
    seed                INTEGER NOT NULL,
    build_id            TEXT    NOT NULL,
    virtual_duration_ns INTEGER NOT NULL,
    wall_time_ms        INTEGER NOT NULL,
    trace_hash          TEXT    NOT NULL,
    trace_level         TEXT    NOT NULL,
    event_count         INTEGER NOT NULL,
    events_stored       INTEGER NOT NULL,
    node_names          TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('passed', 'failed'))
);
CREATE INDEX runs_by_scenario ON runs (scenario_name, run_id);
CREATE INDEX runs_by_status ON runs (status, run_id);

CREATE TABLE events (
    run_id      INTEGER NOT NULL,
    chunk       INTEGER NOT NULL,
    first_index INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    encoding    INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (run_id, chunk)
);

CREATE TABLE names (
    run_id INTEGER NOT NULL,
    id     INTEGER NOT NULL,
    name   TEXT    NOT NULL,
    PRIMARY KEY (run_id, id)
) WITHOUT ROWID;

CREATE TABLE history (
    run_id      INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    event_index INTEGER NOT NULL,
    time_ns     INTEGER NOT NULL,
    process     INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    f           TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    value       TEXT,
    expected    TEXT,
    cas_swapped INTEGER,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE faults (
    run_id      INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    time_ns     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE checks (
    run_id  INTEGER NOT NULL,
    idx     INTEGER NOT NULL,
    checker TEXT    NOT NULL,
    verdict TEXT    NOT NULL,
    details TEXT    NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE figures (
    run_id INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    name   TEXT    NOT NULL,
    value  REAL,                -- NULL is NaN (SQLite stores NaN as NULL)
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE expectations (
    run_id INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    name   TEXT    NOT NULL,
    met    INTEGER NOT NULL,
    detail TEXT    NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE sweeps (
    sweep_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    scenario_name TEXT    NOT NULL,
    scenario_hash TEXT    NOT NULL,
    build_id      TEXT    NOT NULL,
    seed_first    INTEGER NOT NULL,
    seed_last     INTEGER NOT NULL,
    shard_index   INTEGER NOT NULL,
    shard_count   INTEGER NOT NULL
);

CREATE TABLE sweep_results (
    sweep_id     INTEGER NOT NULL,
    seed         INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('passed', 'failed')),
    trace_hash   TEXT    NOT NULL,
    verdicts     TEXT    NOT NULL,
    wall_time_ms INTEGER NOT NULL,
    run_id       INTEGER,
    PRIMARY KEY (sweep_id, seed)
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('application', 'faultline');
INSERT INTO meta (key, value) VALUES ('schema_version', '0');
)sql";

// Version 2: the labs' gradings (`faultline lab grade` writes one row, `lab status` reads them).
// `report` is the grading as JSON (runner/labs/grade.h); `run_ids` the runs it stored, comma
// separated, so that pruning old gradings can remove their runs too.
constexpr std::string_view schema_v2 = R"sql(
CREATE TABLE lab_grades (
    grade_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    graded_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    lab       TEXT    NOT NULL,
    protocol  TEXT    NOT NULL,
    score     INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    build_id  TEXT    NOT NULL,
    report    TEXT    NOT NULL,
    run_ids   TEXT    NOT NULL
);
CREATE INDEX lab_grades_by_lab ON lab_grades (lab, grade_id);
)sql";

// Version 3: each event chunk's XXH64 of its `data`, checked when the chunk is read. SQLite's
// own checks see a well-formed page whatever bytes a blob holds: a flipped byte inside a chunk
// decoded to different events (88 of 200 one-byte flips exported altered text with exit 0).
// NULL in chunks written before version 3: they are read unchecked.
constexpr std::string_view schema_v3 = R"sql(
ALTER TABLE events ADD COLUMN checksum INTEGER;
)sql";

constexpr Migration all_migrations[] = {
    {1, "runs, events, names, history, faults, checks, figures, expectations, sweeps, sweep_results", schema_v1},
    {2, "lab_grades", schema_v2},
    {3, "events.checksum", schema_v3},
};

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}

}  // namespace

std::span<const Migration> migrations() { return all_migrations; }
int current_schema_version() { return all_migrations[std::size(all_migrations) - 1].version; }

Result<int> read_schema_version(Database& db, std::string_view operation) {
    // The first statement on a new handle reads the file header: a file that is not SQLite fails
    // here with "file is not a database".
    auto tables_stmt = db.prepare(operation,
                                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                  "ORDER BY name");
    if (!tables_stmt.ok()) return tables_stmt.error();
    std::vector<std::string> tables;
    bool has_meta = false;
    for (;;) {
        auto row = tables_stmt.value()->step();
        if (!row.ok()) return row.error();
        if (!row.value()) break;
        tables.push_back(tables_stmt.value()->column_text(0));
        if (tables.back() == "meta") has_meta = true;
    }
    if (tables.empty()) return 0;
    if (!has_meta) {
        return StoreError{std::string(operation), fmt::format("not a Faultline run store (tables: {})", join(tables))};
    }
    auto meta = db.prepare(operation, "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')");
    if (!meta.ok()) {
        return StoreError{std::string(operation),
                          fmt::format("not a Faultline run store (its meta table is unreadable: {}; tables: {})",
                                      meta.error().message, join(tables))};
    }
    std::string application;
    std::optional<std::string> version_text;
    for (;;) {
        auto row = meta.value()->step();
        if (!row.ok()) return row.error();
        if (!row.value()) break;
        std::string key = meta.value()->column_text(0);
        if (key == "application") application = meta.value()->column_text(1);
        if (key == "schema_version") version_text = meta.value()->column_text(1);
    }
    if (application != "faultline" || !version_text) {
        return StoreError{std::string(operation),
                          fmt::format("not a Faultline run store (meta has no application = faultline and "
                                      "schema_version; tables: {})",
                                      join(tables))};
    }
    int version = -1;
    auto [end, ec] = std::from_chars(version_text->data(), version_text->data() + version_text->size(), version);
    if (ec != std::errc() || end != version_text->data() + version_text->size() || version < 0) {
        return StoreError{std::string(operation),
                          fmt::format("run store has an unreadable schema_version '{}'", *version_text)};
    }
    return version;
}

Result<void> migrate(Database& db, std::span<const Migration> list, std::string_view operation) {
    FL_ASSERT(!list.empty(), "migrate needs at least one migration");
    for (std::size_t i = 0; i < list.size(); ++i) {
        FL_ASSERT(list[i].version == static_cast<int>(i) + 1, "migration {} is numbered {}: migrations are 1, 2, ...",
                  i, list[i].version);
    }
    const int target = list.back().version;
    for (;;) {
        auto tx = Transaction::begin(db, operation);
        if (!tx.ok()) return tx.error();
        // Re-read inside the write transaction: another process may have migrated meanwhile.
        auto version = read_schema_version(db, operation);
        if (!version.ok()) return version.error();
        if (version.value() > target) {
            return StoreError{std::string(operation),
                              fmt::format("run store schema version {} is newer than this build understands ({}); "
                                          "open it with a newer faultline",
                                          version.value(), target)};
        }
        if (version.value() == target) return {};  // nothing to do; the transaction rolls back
        const Migration& m = list[static_cast<std::size_t>(version.value())];
        FL_ASSERT(m.version == version.value() + 1, "migration order");
        std::string step = fmt::format("{}: migration to schema version {}", operation, m.version);
        auto applied = db.exec(step, std::string(m.sql));
        if (!applied.ok()) return applied.error();
        auto stmt = db.prepare(step, "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1), "
                                     "(?2, ?3 || ' (applied ' || strftime('%Y-%m-%dT%H:%M:%fZ', 'now') || ')')");
        if (!stmt.ok()) return stmt.error();
        std::string version_text = std::to_string(m.version);
        std::string log_key = fmt::format("migration_{}", m.version);
        stmt.value()->bind_text(1, version_text);
        stmt.value()->bind_text(2, log_key);
        stmt.value()->bind_text(3, m.description);
        if (auto r = stmt.value()->run(); !r.ok()) return r.error();
        if (auto r = tx.value()->commit(); !r.ok()) return r.error();
    }
}

}  // namespace faultline::store
