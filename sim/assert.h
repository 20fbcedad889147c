// Assertions that are the specification: they stay on in release builds (TigerBeetle, FoundationDB).
//
// FL_ASSERT(cond, msg...) checks an invariant that only a bug can break. On failure it prints the
// condition, the formatted message, the source location and, when a simulation is running on this
// thread, the run's seed, event number and the tail of its trace (see World), then aborts.
// Inside a contained run (World::run, runner::run_scenario) it throws an AssertionFailure instead
// (sim/assertion_failure.h), which the runner turns into that run's result.
// Bad input is never asserted on: it returns an error (CONTRIBUTING.md rule 7).
#pragma once

#include <fmt/format.h>

#include <string>

namespace faultline {

// Called by a failed assertion with a ready message; never returns (aborts, or throws an
// AssertionFailure inside a contained run).
[[noreturn]] void assertion_failed(const char* condition, const std::string& message,
                                   const char* file, int line);

// A World that is running on this thread registers a reporter so that a failed assertion anywhere
// (kernel or protocol code) can print the seed, the event number and the trace tail.
using AssertReporter = std::string (*)(const void* world);
void set_assert_reporter(const void* world, AssertReporter reporter);

}  // namespace faultline

// The failure path is a cold lambda of its own: formatting the message (a std::string on the
// stack, fmt's arguments) then stays out of the checking function, whose hot path keeps only the
// test and a call (the kernel's send path paid a larger stack frame for each assert before).
#define FL_ASSERT(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) [[unlikely]] {                                                                \
            [&]() __attribute__((cold, noinline, noreturn)) {                                     \
                ::faultline::assertion_failed(#cond, ::fmt::format("" __VA_ARGS__), __FILE__,    \
                                              __LINE__);                                           \
            }();                                                                                   \
        }                                                                                          \
    } while (0)
