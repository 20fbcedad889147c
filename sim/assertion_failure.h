// AssertionFailure: a failed FL_ASSERT inside a contained run, as a value the runner can report.
//
// What it is: outside a run, a failed FL_ASSERT prints its report and aborts (sim/assert.h). While
// a ContainAssertions scope is open on the thread (World::run opens one; so does
// runner::run_scenario), it throws an AssertionFailure instead. The exception unwinds the kernel
// to World::run (a fiber's body hands it over at the fiber boundary, see sim/coroutine.h), which
// leaves the World fit only for destruction; run_scenario turns it into a per-run result
// (runner::RunError), so one asserting seed does not take a whole sweep or shrink down with it.
//
// Guarantees
// - `file` is relative to the source root ("protocols/<name>/node.cpp"), so the same assertion
//   reads the same on every machine; (file, line, condition) is its identity, the message may
//   carry values.
// - Deliberately not a std::exception: protocol code that catches std::exception must not
//   swallow a failed assertion.
// - An assertion that fails while another exception is already unwinding the stack (in a
//   destructor) still aborts: throwing there would terminate without a report.
#pragma once

#include <string>

namespace faultline {

struct AssertionFailure {
    std::string condition;
    std::string message;
    std::string file;  // relative to the source root
    int line = 0;
    std::string context;  // seed, event number and trace tail of the World running, if any

    // "assertion failed at protocols/<name>/node.cpp:170: <message> (<condition>)"
    std::string describe() const;
};

// While at least one is alive on this thread, a failed FL_ASSERT throws AssertionFailure.
class ContainAssertions {
public:
    ContainAssertions();
    ~ContainAssertions();
    ContainAssertions(const ContainAssertions&) = delete;
    ContainAssertions& operator=(const ContainAssertions&) = delete;
};

bool assertions_contained();

// `file` relative to the source root: without the root prefix the build compiled in, or without
// the leading "../" of a build directory inside the tree.
std::string source_relative(const char* file);

}  // namespace faultline
