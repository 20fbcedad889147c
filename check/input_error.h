// InputError and Expected<T>: how the checker reports bad input without crashing.
//
// Bad input (a malformed history file, an unknown model name, a history the model cannot
// interpret) is an ordinary value, never an assertion: functions that read input return
// Expected<T>, holding either the value or an InputError naming the file, line and column
// (0 when not applicable) and saying what was wrong. std::expected is C++23; this is the subset we
// need.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "check/check_assert.h"

namespace faultline::check {

struct InputError {
    InputError() = default;
    InputError(std::string file_name, int line_number, int column_number, std::string what,
               std::optional<std::size_t> event_position = std::nullopt)
        : file(std::move(file_name)), line(line_number), column(column_number), message(std::move(what)),
          event(event_position) {}

    std::string file;   // empty when the input did not come from a file
    int line = 0;       // 1-based; 0 when unknown
    int column = 0;     // 1-based; 0 when unknown
    std::string message;
    // Position (0-based) of the offending event in History::events, when the error is about one
    // event of an in-memory history; readers translate it to a line.
    std::optional<std::size_t> event;

    // "file:line:column: message", leaving out the parts that are unknown.
    std::string describe() const;
};

template <class T>
class Expected {
  public:
    Expected(T value) : storage_(std::move(value)) {}
    Expected(InputError error) : storage_(std::move(error)) {}

    bool ok() const { return storage_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() {
        CHECKER_ASSERT(ok(), "Expected::value() on an error: test ok() first and report error()");
        return std::get<0>(storage_);
    }
    const T& value() const {
        CHECKER_ASSERT(ok(), "Expected::value() on an error: test ok() first and report error()");
        return std::get<0>(storage_);
    }
    const InputError& error() const {
        CHECKER_ASSERT(!ok(), "Expected::error() on a value: test ok() first");
        return std::get<1>(storage_);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, InputError> storage_;
};

}  // namespace faultline::check
