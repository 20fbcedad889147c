#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace faultline::store {

// --- Statement ----------------------------------------------------------------------------------

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int i, int64_t v) {
    int rc = sqlite3_bind_int64(stmt_, i, v);
    if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Statement::bind(int i, double v) {
    int rc = sqlite3_bind_double(stmt_, i, v);
    if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Statement::bind_null(int i) {
    int rc = sqlite3_bind_null(stmt_, i);
    if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Statement::bind_text(int i, std::string_view v) {
    // A non-null pointer even for an empty view: SQLite binds NULL for a null pointer.
    const char* data = v.data() != nullptr ? v.data() : "";
    int rc = sqlite3_bind_text64(stmt_, i, data, v.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

void Statement::bind_optional_text(int i, const std::optional<std::string>& v) {
    if (v) {
        bind_text(i, *v);
    } else {
        bind_null(i);
    }
}

void Statement::bind_blob(int i, std::string_view bytes) {
    const char* data = bytes.data() != nullptr ? bytes.data() : "";
    int rc = sqlite3_bind_blob64(stmt_, i, data, bytes.size(), SQLITE_STATIC);
    if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

Result<bool> Statement::step() {
    if (bind_rc_ != 0) {
        int rc = bind_rc_;
        bind_rc_ = 0;
        return StoreError{op_, fmt::format("binding a value failed: {}", sqlite3_errstr(rc)), rc};
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // The statement's own error message (sqlite3_errmsg) is more specific than errstr(rc).
    StoreError e{op_, sqlite3_errmsg(db_), sqlite3_extended_errcode(db_)};
    sqlite3_reset(stmt_);
    return e;
}

Result<void> Statement::run() {
    auto r = step();
    reset();
    if (!r.ok()) return r.error();
    return {};
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = 0;
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::column_text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::string_view Statement::column_blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    if (p == nullptr) return {};
    return std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::optional<std::string> Statement::column_optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return column_text(col);
}

// --- Database -----------------------------------------------------------------------------------

Result<std::unique_ptr<Database>> Database::open(const std::string& path, bool read_only, bool create,
                                                 int busy_timeout_ms, bool immutable) {
    std::string op = fmt::format("open {}", path);
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
    std::string name = path;
    if (immutable && read_only) {
        // A URI: the path with '%', '?' and '#' escaped, then the parameter.
        name = "file:";
        for (char c : path) {
            if (c == '%' || c == '?' || c == '#') name += fmt::format("%{:02X}", static_cast<unsigned char>(c));
            else name += c;
        }
        name += "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
        sqlite3_close(db);  // a handle is returned even on most failures and must be closed
        return StoreError{op, message, code};
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() {
    statements_.clear();  // finalize every statement before closing, or close fails with BUSY
    sqlite3_close(db_);
}

Result<void> Database::exec(std::string_view operation, const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    StoreError e{std::string(operation), message != nullptr ? message : sqlite3_errstr(rc), sqlite3_extended_errcode(db_)};
    sqlite3_free(message);
    return e;
}

Result<Statement*> Database::cached(std::string_view operation, const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
        it->second->reset();
        it->second->set_operation(std::string(operation));
        return it->second.get();
    }
    auto prepared = prepare(operation, sql);
    if (!prepared.ok()) return prepared.error();
    Statement* s = prepared.value().get();
    statements_.emplace(sql, std::move(prepared).value());
    return s;
}

Result<std::unique_ptr<Statement>> Database::prepare(std::string_view operation, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(operation);
    FL_ASSERT(stmt != nullptr, "prepare of non-empty SQL gave no statement: {}", sql);
    return std::make_unique<Statement>(db_, stmt, std::string(operation));
}

StoreError Database::error(std::string_view operation) const {
    return StoreError{std::string(operation), sqlite3_errmsg(db_), sqlite3_extended_errcode(db_)};
}

StoreError Database::error(std::string_view operation, int rc) const {
    return StoreError{std::string(operation), sqlite3_errstr(rc), rc};
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Database::changes() const { return sqlite3_changes64(db_); }

// --- Transaction --------------------------------------------------------------------------------

Result<std::unique_ptr<Transaction>> Transaction::begin(Database& db, std::string_view operation) {
    auto r = db.exec(operation, "BEGIN IMMEDIATE");
    if (!r.ok()) return r.error();
    return std::unique_ptr<Transaction>(new Transaction(db, std::string(operation)));
}

Transaction::~Transaction() {
    if (open_) (void)db_.exec(op_, "ROLLBACK");
}

Result<void> Transaction::commit() {
    FL_ASSERT(open_, "commit of a transaction that is already finished ({})", op_);
    auto r = db_.exec(op_, "COMMIT");
    if (r.ok()) open_ = false;
    // On failure the destructor rolls back (a failed COMMIT leaves the transaction open).
    return r;
}

}  // namespace faultline::store
