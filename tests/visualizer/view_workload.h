// The viewer tests' workload: a scenario, run through the runner like every run the viewer shows.
// Five servers and two clients under a nemesis of every kind on every seed (swarm off, so the timeline has elections,
// crashes, partitions, clock faults, drops and duplicates to draw), no liveness phase (the lanes
// are exactly n1..n5, c1, c2), messages of a few milliseconds (arrows long enough to click). Two
// systems: "raft" (leaders, terms; linearizable) and "naive" (naive primary-backup: two primaries
// under a partition, and a history the checker refutes on most seeds, seed 1 among them). A
// scripted partition isolates n1 from 30% to 50% of the run. `nemesis = false` leaves out the
// nemesis and the partition: a run without faults.
#pragma once

#include "visualizer/view_run.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <variant>

namespace faultline::test {

inline view::ViewRunSpec workload_spec(uint64_t seed = 1, int64_t duration_ms = 10'000, bool nemesis = true,
                                       std::string system = "raft") {
    view::ViewRunSpec spec;
    spec.scenario_text = fmt::format(R"(# The viewer tests' workload (tests/visualizer/view_workload.h).
[scenario]
version = 1
name = "view-workload"
duration_ms = {}

[[system]]
name = "raft"
protocol = "raft"

[[system]]
name = "naive"
protocol = "primary_backup"
mode = "naive"

[workload]
clients = 2
ops_per_client = 0
think_time_ms = 20
keys = 3
mix = {{ get = 0.4, put = 0.3, append = 0.3 }}
timeout_ms = 50
attempts_max = 2

[network]
latency = "exponential"
latency_ms = 2
latency_spread_ms = 6

[nemesis]
enabled = {}
swarm = false
start_ms = {}
interval_ms = 300
episode_ms = 250

[liveness]
enabled = false
{}
)",
                                     duration_ms, nemesis, duration_ms / 10,
                                     nemesis ? fmt::format("\n[[fault]]\nkind = \"partition\"\nat_ms = {}\nuntil_ms = {}\n"
                                                           "sides = [[\"n1\"], [\"n2\", \"n3\", \"n4\", \"n5\"]]\n",
                                                           duration_ms * 3 / 10, duration_ms / 2)
                                             : std::string());
    spec.scenario_label = "view-workload.toml";
    spec.seed = seed;
    spec.system = std::move(system);
    return spec;
}

// The run of a spec, which must succeed.
inline view::ViewRun must_run(const view::ViewRunSpec& spec) {
    auto made = view::run_view(spec);
    if (auto* error = std::get_if<std::string>(&made)) FAIL("run_view: " << *error);
    return std::move(std::get<view::ViewRun>(made));
}

}  // namespace faultline::test
