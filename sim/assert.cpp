#include "sim/assert.h"

#include <cstdio>
#include <cstdlib>

namespace faultline {
namespace {
// One per thread: a sweep may run several independent worlds on several threads, each
// single-threaded inside; the reporter only ever describes the world on the current thread.
thread_local const void* reporter_world = nullptr;
thread_local AssertReporter reporter = nullptr;
}  // namespace

void set_assert_reporter(const void* world, AssertReporter r) {
    reporter_world = world;
    reporter = r;
}

void assertion_failed(const char* condition, const std::string& message, const char* file,
                      int line) {
    std::fprintf(stderr, "\nfaultline: assertion failed: %s\n  %s\n  at %s:%d\n", condition,
                 message.c_str(), file, line);
    if (reporter != nullptr && reporter_world != nullptr) {
        std::string context = reporter(reporter_world);
        std::fprintf(stderr, "%s\n", context.c_str());
    }
    std::fflush(stderr);
    std::abort();
}

}  // namespace faultline
