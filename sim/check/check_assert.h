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
#pragma once

#include <cstdio>
#include <cstdlib>

namespace faultline::check::detail {

[[noreturn]] inline void assertion_failed(const char* condition, const char* message, const char* file,
                                          int line) {
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
