// Database and Statement: a thin RAII layer over SQLite's C API, for the run store only.
//
// What it guarantees
// - Every failing SQLite call becomes a StoreError naming the operation and carrying SQLite's
//   message and extended result code; nothing throws.
// - Statements are prepared once per Database and cached by their SQL text (cached()); a cached
//   statement is reset and its bindings cleared before it is handed out again.
// - Transaction rolls back on destruction unless commit() succeeded, so an early error return
//   never leaves a transaction open.
//
// Who owns what: a Database owns its sqlite3 handle and every statement it prepared; statements
// handed out by cached() stay valid until the Database is destroyed. A Database is used by one
// thread at a time.
#pragma once

#include "store/store_error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace faultline::store {

class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string operation) : db_(db), stmt_(stmt), op_(std::move(operation)) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding is 1-based, as in SQLite. A failed bind is remembered and returned by step().
    void bind(int i, int64_t v);
    void bind(int i, double v);
    void bind_null(int i);
    // The text must outlive the next step() (SQLITE_STATIC: no copy on the hot path).
    void bind_text(int i, std::string_view v);
    void bind_optional_text(int i, const std::optional<std::string>& v);
    // The bytes must outlive the next step() (SQLITE_STATIC).
    void bind_blob(int i, std::string_view bytes);

    // true: a row is ready; false: done. Errors name the operation this statement was prepared for.
    Result<bool> step();
    // step() for statements that return no rows, then reset().
    Result<void> run();
    void reset();

    bool is_null(int col) const;
    int64_t column_int64(int col) const;
    double column_double(int col) const;
    std::string column_text(int col) const;
    std::optional<std::string> column_optional_text(int col) const;
    // Valid until the next step() or reset() of this statement.
    std::string_view column_blob(int col) const;

    // Renames the operation named in errors (e.g. "save_run: events" for a shared statement).
    void set_operation(std::string op) { op_ = std::move(op); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string op_;
    int bind_rc_ = 0;  // first failing bind's result code, 0 if none
};

class Database {
public:
    // Opens (and with `create`, creates) a SQLite file. Does not read it yet: SQLite reads the
    // header at the first statement, which is where "file is not a database" shows up.
    // `immutable` (read-only only): the file is read as it is, without locks, WAL or shared memory
    // (SQLite's immutable=1): for a store in a folder this user cannot write, where SQLite cannot
    // make the shared-memory file a WAL database needs even to read.
    static Result<std::unique_ptr<Database>> open(const std::string& path, bool read_only, bool create, int busy_timeout_ms,
                                                  bool immutable = false);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that return no rows.
    Result<void> exec(std::string_view operation, const std::string& sql);
    // A prepared statement for `sql`, cached: prepared on first use, reset on every later use.
    Result<Statement*> cached(std::string_view operation, const std::string& sql);
    // A one-off statement (not cached), e.g. for schema inspection.
    Result<std::unique_ptr<Statement>> prepare(std::string_view operation, const std::string& sql);

    StoreError error(std::string_view operation) const;
    StoreError error(std::string_view operation, int rc) const;
    int64_t last_insert_rowid() const;
    int64_t changes() const;  // rows changed by the last INSERT, UPDATE or DELETE
    sqlite3* handle() { return db_; }

private:
    explicit Database(sqlite3* db) : db_(db) {}
    sqlite3* db_;
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

// BEGIN IMMEDIATE (take the write lock now, waiting up to the busy timeout) ... COMMIT.
class Transaction {
public:
    static Result<std::unique_ptr<Transaction>> begin(Database& db, std::string_view operation);
    ~Transaction();
    Result<void> commit();

private:
    Transaction(Database& db, std::string operation) : db_(db), op_(std::move(operation)) {}
    Database& db_;
    std::string op_;
    bool open_ = true;
};

}  // namespace faultline::store
