#include "sim/assert.h"

#include "sim/assertion_failure.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#ifndef FAULTLINE_SOURCE_ROOT
#define FAULTLINE_SOURCE_ROOT ""
#endif

namespace faultline {
namespace {
// One per thread: a sweep may run several independent worlds on several threads, each
// single-threaded inside; the reporter only ever describes the world on the current thread.
thread_local const void* reporter_world = nullptr;
thread_local AssertReporter reporter = nullptr;
thread_local int contain_depth = 0;
}  // namespace

void set_assert_reporter(const void* world, AssertReporter r) {
    reporter_world = world;
    reporter = r;
}

ContainAssertions::ContainAssertions() { ++contain_depth; }
ContainAssertions::~ContainAssertions() { --contain_depth; }
bool assertions_contained() { return contain_depth > 0; }

std::string source_relative(const char* file) {
    std::string_view f(file);
    std::string_view root(FAULTLINE_SOURCE_ROOT);
    if (!root.empty() && f.size() > root.size() && f.substr(0, root.size()) == root && f[root.size()] == '/') {
        f.remove_prefix(root.size() + 1);
    }
    // A build directory inside the tree compiles sources by relative path ("../../runner/run.cpp").
    while (f.substr(0, 3) == "../" || f.substr(0, 2) == "./") f.remove_prefix(f[1] == '.' ? 3 : 2);
    return std::string(f);
}

std::string AssertionFailure::describe() const {
    return "assertion failed at " + file + ":" + std::to_string(line) + ": " + message + " (" + condition + ")";
}

void assertion_failed(const char* condition, const std::string& message, const char* file,
                      int line) {
    std::string context;
    if (reporter != nullptr && reporter_world != nullptr) context = reporter(reporter_world);
    if (contain_depth > 0 && std::uncaught_exceptions() == 0) {
        throw AssertionFailure{condition, message, source_relative(file), line, std::move(context)};
    }
    std::fprintf(stderr, "\nfaultline: assertion failed: %s\n  %s\n  at %s:%d\n", condition,
                 message.c_str(), source_relative(file).c_str(), line);
    if (!context.empty()) std::fprintf(stderr, "%s\n", context.c_str());
    std::fflush(stderr);
    std::abort();
}

}  // namespace faultline
