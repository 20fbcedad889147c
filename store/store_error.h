// StoreError and Result<T>: how the run store reports failure without throwing or crashing.
//
// Every public RunStore function returns a Result. A failure names the operation that failed
// ("open /tmp/x.db", "save_run", "load_run 7") and says what went wrong, with SQLite's own message
// and result code where SQLite produced it ("file is not a database", "database is locked").
// Bad files, foreign databases, newer schemas, full disks and busy databases are errors, never
// assertions (CONTRIBUTING.md rule 7); only a misuse of this API by a caller
// (reading value() of an error) asserts.
#pragma once

#include "sim/assert.h"

#include <string>
#include <utility>
#include <variant>

namespace faultline::store {

struct StoreError {
    std::string operation;  // what was being done: "open /path", "save_run", "load_run 7"
    std::string message;    // what went wrong, e.g. SQLite's "file is not a database"
    int sqlite_code = 0;    // SQLite's extended result code, 0 when the error is not SQLite's

    // "open /tmp/x.db: file is not a database"
    std::string describe() const { return operation.empty() ? message : operation + ": " + message; }
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : storage_(std::move(value)) {}
    Result(StoreError error) : storage_(std::move(error)) {}

    bool ok() const { return storage_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        FL_ASSERT(ok(), "Result::value() on an error ({}): test ok() first", std::get<1>(storage_).describe());
        return std::get<0>(storage_);
    }
    const T& value() const& {
        FL_ASSERT(ok(), "Result::value() on an error ({}): test ok() first", std::get<1>(storage_).describe());
        return std::get<0>(storage_);
    }
    T&& value() && {
        FL_ASSERT(ok(), "Result::value() on an error ({}): test ok() first", std::get<1>(storage_).describe());
        return std::get<0>(std::move(storage_));
    }
    const StoreError& error() const {
        FL_ASSERT(!ok(), "Result::error() on a value: test ok() first");
        return std::get<1>(storage_);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, StoreError> storage_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(StoreError error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const StoreError& error() const {
        FL_ASSERT(!ok_, "Result::error() on success: test ok() first");
        return error_;
    }

private:
    StoreError error_;
    bool ok_ = true;
};

}  // namespace faultline::store
