// The SimGrid side of faultline-bench: the same workloads on SimGrid's s4u engine (mailbox
// put/get between actors), for the side-by-side ratios. Compiled only when SimGrid is found
// (FAULTLINE_BENCH_SIMGRID); see bench/CMakeLists.txt.
//
// SimGrid's engine is a process-wide singleton that cannot be re-initialised, so every run forks
// a child process that builds an engine, runs one workload and writes its rate back over a pipe.
// The parent never initialises SimGrid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace faultline::bench {

enum class SimgridWorkload : uint8_t {
    pingpong,  // two actors: put to the other's mailbox, get from one's own
    ring,      // n actors, each starts one token; put_async to the successor, get, wait
};

// The fastest context factory that works in this SimGrid build ("raw", "ucontext", "thread"),
// or "" if none runs.
std::string simgrid_pick_factory();
std::string simgrid_version();
// Messages per second (wall clock, engine run only), or nullopt if the child failed.
std::optional<double> simgrid_run(const std::string& factory, SimgridWorkload workload, uint32_t nodes,
                                  uint64_t messages);

}  // namespace faultline::bench
