// Scenario: an experiment described in a file (scenarios/*.toml), validated, ready to run.
//
// A scenario says what it demonstrates and what it expects, and composes: the cluster (node
// names), one or more systems (a protocol and its options; several systems run side by side, each
// in its own World with the same seed and the same faults, e.g. a CP and an AP store under one
// partition), the network model, the client workload, scripted faults, a randomized nemesis, the
// checkers, the liveness phase, and expectations per system. Every quantity carries its unit in
// its name (`_ms`, `_ppm`) or is a probability in [0, 1]. The format is versioned
// (`[scenario] version = 1`) and documented in docs/scenarios.md.
//
// This header is the contract between the file format (scenario_parser.h: TOML in, a Scenario or
// a list of errors naming file, line and key out) and the runner (runner/: a Scenario in, worlds,
// checks and a run record out). Plain data: no behaviour, no protocol knowledge.
#pragma once

#include "sim/time.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faultline::scenario {

inline constexpr int format_version = 1;

// A protocol option's value as written in the file.
using OptionValue = std::variant<int64_t, double, bool, std::string>;
using OptionValues = std::map<std::string, OptionValue>;

struct System {
    std::string name;      // unique within the scenario ("cp", "ap", or the protocol name)
    std::string protocol;  // a name from the protocol catalog ("raft", "primary_backup", ...)
    OptionValues options;  // validated against the protocol's option specs
};

struct LinkSpec {
    // latency model: "constant" | "uniform" | "exponential" | "normal" | "long_tail"
    std::string latency = "constant";
    double latency_ms = 1.0;         // constant: the latency; uniform: low; exponential: base;
                                     // normal: mean; long_tail: base
    double latency_spread_ms = 0.0;  // uniform: high - low; exponential: mean extra; normal: stddev
    double latency_shape = 2.0;      // long_tail: Pareto alpha
    double latency_cap_ms = 10'000;  // long_tail: cap
    double loss = 0;
    double duplicate = 0;
    double reorder = 0;
    double reorder_window_ms = 10;
};

struct LinkOverride {
    std::string from;
    std::string to;
    LinkSpec link;
    bool both_ways = false;
};

struct Network {
    LinkSpec link;                        // every link
    std::vector<LinkOverride> overrides;  // per directed link (or both ways)
};

struct Workload {
    int clients = 3;                  // client nodes c1..cK
    int64_t ops_per_client = 100;     // 0: until the run ends
    double think_time_ms = 20;        // mean, exponential
    double start_delay_ms = 0;
    int keys = 3;
    std::string key_distribution = "uniform";  // "uniform" | "zipfian"
    double zipf_exponent = 1.0;
    double get = 0.4, put = 0.3, append = 0.2, cas = 0.1;  // the operation mix (weights)
    double timeout_ms = 500;          // per request attempt
    int attempts_max = 10;            // attempts per operation before it completes `info`
};

// One scripted fault. Which fields matter depends on `kind`; the parser checks that exactly the
// fields a kind needs are present. Kinds: crash, restart, pause, partition, heal, clock_jump,
// clock_drift, link, clear_links, disk, corrupt_block.
struct FaultSpec {
    std::string kind;
    double at_ms = 0;
    std::optional<double> until_ms;       // crash: restart at; partition: heal at; link: reset at;
                                          // clock_drift: back to 0 at; disk: faults off at
    std::string node;                     // crash, restart, pause, clock_*, disk, corrupt_block
    double duration_ms = 0;               // pause
    // partition: either explicit `sides` (groups of node names) or a named `shape` with its
    // nodes. Nodes named in no side (clients, the view service) keep every link: a client can
    // reach both halves, so the lesson is what each half does with requests, not who can talk.
    std::vector<std::vector<std::string>> sides;
    std::string shape;                    // "isolate" | "one_way" | "majority_minority" | "bridge"
                                          // | "majorities_ring"
    std::vector<std::string> shape_nodes; // isolate: [node]; one_way: [from, to]; others: the order
    double jump_ms = 0;                   // clock_jump (signed)
    double drift_ppm = 0;                 // clock_drift
    std::optional<LinkSpec> link;         // link: the new behaviour
    std::string from, to;                 // link: one directed link (both empty: every link)
    double lost_sync = 0, torn_write = 0, corrupt = 0, sync_latency_ms = 0;  // disk
    int line = 0;                         // where it was written, for messages
};

struct Nemesis {
    bool enabled = false;
    std::vector<std::string> kinds{"crash", "pause", "partition", "clock", "link", "disk"};
    std::vector<std::string> targets;     // node names (default: every server)
    double start_ms = 1'000;
    double end_ms = 0;                    // 0: 80% of the duration
    double interval_ms = 500;             // mean time between episodes
    double episode_ms = 300;              // mean episode length
    bool swarm = false;                   // draw the enabled kinds from the seed
    int64_t clock_jump_ms_max = 2'000;    // clock episodes: jumps in [-max, +max] ms (0: none)
    double clock_drift_ppm_max = 500;     // ... or drifts in [-max, +max] ppm (0: none)
};

// [checkers]: which checkers run and their options, as the file writes them. A checker the file
// does not mention is on or off by its catalog default (catalog.h, checker_enabled).
struct Checkers {
    std::map<std::string, bool> switches;  // <checker> = true / false
    OptionValues options;                  // checkers' options, e.g. linearizability_steps_max
};

// After the faults: heal everything, then require progress (a completed write) within a bound.
struct Liveness {
    bool enabled = true;
    std::optional<double> heal_at_ms;     // default: the end of the fault window
    double within_ms = 5'000;
};

// What must hold for a system: keys of the expectation table (catalog.h, expect_rows), each a
// verdict that must be ok (true) or a violation (false), or a bound on a figure.
using ExpectValue = std::variant<bool, int64_t, double>;
struct ExpectItem {
    std::string key;
    ExpectValue value;
};
struct Expect {
    std::vector<ExpectItem> items;  // in the order written; each key once

    const ExpectItem* find(std::string_view key) const;
    void set(std::string key, ExpectValue value);  // replaces the key's value, or appends it
    void erase(std::string_view key);
    bool empty() const { return items.empty(); }
    std::size_t size() const { return items.size(); }
};
double as_number(const ExpectValue& v);  // an int64 or double bound as a double

struct Scenario {
    int version = format_version;
    std::string name;                     // from [scenario] name, else the file's stem
    std::string description;              // what it demonstrates (first comment block or key)
    std::string file;                     // where it came from ("" for text)
    std::string text;                     // the file's full text (stored with runs, hashed)
    double duration_ms = 10'000;
    uint64_t seed = 1;                    // the default seed; --seed overrides
    std::vector<std::string> nodes;       // server names (default n1..nN)
    std::vector<System> systems;          // at least one
    Network network;
    Workload workload;
    std::vector<FaultSpec> faults;
    Nemesis nemesis;
    Checkers checkers;
    Liveness liveness;
    Expect expect_all;                    // [expect]: for every system
    std::map<std::string, Expect> expect; // [expect.<system>]: for one system (overrides)
};

}  // namespace faultline::scenario
