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

#include "sim/choice.h"
#include "sim/faults/fault_args.h"
#include "sim/link_spec.h"
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

using faultline::LinkSpec;  // sim/link_spec.h

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
    std::optional<double> stop_at_ms;  // clients invoke nothing from then on: a quiet tail
    int keys = 3;
    std::string key_distribution = "uniform";  // "uniform" | "zipfian"
    double zipf_exponent = 1.0;
    double get = 0.4, put = 0.3, append = 0.2, cas = 0.1;  // the operation mix (weights)
    double incr = 0, add = 0, remove = 0;                   // counters and sets (CRDTs)
    // What an add adds: 0, a fresh element each time; N, an element drawn from the pool e1..eN,
    // so that adds and removes of one element can race (an OR-Set's add-wins rule shows then).
    int elements = 0;

    // The mix as (operation, weight) pairs, in this order.
    std::vector<std::pair<std::string_view, double>> mix() const {
        return {{"get", get}, {"put", put}, {"append", append}, {"cas", cas}, {"incr", incr}, {"add", add}, {"remove", remove}};
    }
    double timeout_ms = 500;          // per request attempt
    int attempts_max = 10;            // attempts per operation before it completes `info`
};

// One scripted fault: a kind of the fault kind table (sim/faults/fault_kind.h), when it strikes,
// when it is undone (until_ms: a crash's restart, a partition's heal, ...), and its fields as the
// file wrote them. The parser checks that exactly the fields the kind takes are present, each of
// its type and in its range, node names included.
struct FaultSpec {
    std::string kind;
    double at_ms = 0;
    std::optional<double> until_ms;
    faults::FaultArgs args;
    int line = 0;                         // where it was written, for messages
};

// How long a fault lasts (ms): until_ms - at_ms, or its kind's own length field (a pause's
// duration_ms); 0 for an instant fault. And the same, set (a shrink shortens faults).
double fault_length_ms(const FaultSpec& f);
void set_fault_length_ms(FaultSpec& f, double length_ms);
// The nodes a fault names (its node, link ends, a partition's sides or shape nodes).
std::vector<std::string> fault_nodes(const FaultSpec& f);

struct Nemesis {
    bool enabled = false;
    std::vector<std::string> kinds{"crash", "pause", "partition", "clock", "link", "disk"};
    std::vector<std::string> targets;     // server names and roles ("leader"): default every server
    double start_ms = 1'000;
    double end_ms = 0;                    // 0: 80% of the duration
    double interval_ms = 500;             // mean time between episodes
    double episode_ms = 300;              // mean episode length
    bool swarm = true;                    // draw the enabled kinds from the seed (swarm testing)
    int64_t clock_jump_ms_max = 2'000;    // clock episodes: jumps in [-max, +max] ms (0: none)
    double clock_drift_ppm_max = 500;     // ... or drifts in [-max, +max] ppm (0: none)
};

// [buggify]: the protocols' named rare paths (FoundationDB's BUGGIFY), fired on purpose. Off
// unless the file has the table. `sites` empty: every site of the systems' protocols, each
// switched on for a seed with probability 1/4 (different seeds try different sites); listed:
// exactly those, on in every seed. A site on fires at its call with the probability its code gives.
struct Buggify {
    bool enabled = false;
    std::vector<std::string> sites;
};

// [explored]: the choice points of a run that go another way (sim/choice.h), as `faultline
// explore` writes a schedule it found: "12 lost" is the run's choice point number 12 (counted
// from 0, messages and buggify sites alike) with the message lost. Every other point is as the
// seed draws it. Empty: the seeded run. Tied to the build, like a seed's run.
struct ExploredChoice {
    uint64_t index = 0;
    Choice choice = Choice::lost;
};
struct Explored {
    std::vector<ExploredChoice> choices;  // by index, increasing
    double late_ms = 100;                 // how much later a `late` message arrives
    double restart_ms = 200;              // how long a `crash` keeps the sender down
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
    Buggify buggify;
    Explored explored;
    Checkers checkers;
    Liveness liveness;
    Expect expect_all;                    // [expect]: for every system
    std::map<std::string, Expect> expect; // [expect.<system>]: for one system (overrides)
};

}  // namespace faultline::scenario
