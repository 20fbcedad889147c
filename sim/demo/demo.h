// The kernel demo: a small gossiping key-value store under every kind of fault.
//
// It exists to exercise the whole kernel in one run (handlers and fibers, disk sync, timers in
// local time, buggify, client histories) under a nemesis that uses every fault kind, so that the
// determinism tests and `faultline demo` have one workload that touches everything. It is not a
// protocol worth learning from: the real ones live in protocols/.
#pragma once

#include "sim/trace.h"
#include "sim/time.h"

#include <cstdint>
#include <string>

namespace faultline::demo {

struct DemoOptions {
    uint64_t seed = 1;
    int servers = 5;
    int clients = 2;
    Duration duration = seconds(10);
    TraceLevel trace_level = TraceLevel::events;
    bool faults = true;
};

struct DemoResult {
    uint64_t seed = 0;
    uint64_t trace_hash = 0;
    uint64_t events = 0;
    uint64_t messages_sent = 0;
    uint64_t messages_delivered = 0;
    uint64_t messages_dropped = 0;
    uint64_t ops_ok = 0;
    uint64_t ops_info = 0;
    uint64_t faults = 0;
    Instant end;
    std::string summary;  // a human-readable table
};

DemoResult run_demo(const DemoOptions& options);

}  // namespace faultline::demo
