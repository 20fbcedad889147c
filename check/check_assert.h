// CHECKER_ASSERT: the linearizability checker's always-on assertion.
//
// What it is: a bug check that stays enabled in release builds (RelWithDebInfo defines NDEBUG, so
// <cassert> would vanish). A failed assertion means the checker itself is wrong, or a caller broke
// a documented precondition; it prints the condition, the place and a message saying what to do,
// then aborts. Bad input (a malformed history file) never reaches an assertion: the readers in
// history_io.h return an InputError instead.
//
// The checker depends on nothing of the simulation kernel, so it carries its own macro rather than
// the kernel's.
//
// Containment: while a ContainCheckerAssertions scope is open on the thread (runner::run_scenario
// opens one around each run and its checks), a failed CHECKER_ASSERT throws a
// CheckerAssertionFailure instead of aborting, so that one bad seed does not end a whole sweep.
// Like the kernel's AssertionFailure it is deliberately not a std::exception.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace faultline::check {

struct CheckerAssertionFailure {
    std::string condition;
    std::string message;
    std::string file;
    int line = 0;
};

namespace detail {
inline thread_local int contain_depth = 0;
}  // namespace detail

class ContainCheckerAssertions {
public:
    ContainCheckerAssertions() { ++detail::contain_depth; }
    ~ContainCheckerAssertions() { --detail::contain_depth; }
    ContainCheckerAssertions(const ContainCheckerAssertions&) = delete;
    ContainCheckerAssertions& operator=(const ContainCheckerAssertions&) = delete;
};

}  // namespace faultline::check

namespace faultline::check::detail {

[[noreturn]] inline void assertion_failed(const char* condition, const char* message, const char* file,
                                          int line) {
    if (contain_depth > 0 && std::uncaught_exceptions() == 0) throw CheckerAssertionFailure{condition, message, file, line};
    std::fprintf(stderr, "%s:%d: checker assertion failed: %s\n  %s\n", file, line, condition, message);
    std::fflush(stderr);
    std::abort();
}

}  // namespace faultline::check::detail

#define CHECKER_ASSERT(condition, message)                                                           \
    do {                                                                                             \
        if (!(condition)) {                                                                          \
            ::faultline::check::detail::assertion_failed(#condition, message, __FILE__, __LINE__);   \
        }                                                                                            \
    } while (false)
