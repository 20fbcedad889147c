// Catalog: what the scenario parser needs to know about protocols and checkers to validate a
// file, as data: protocol names, the options each accepts, the figures it reports, the client
// operations it serves and the roles it gives its servers; checker names, their switches and
// options, the verdicts and figures they produce and which protocols they apply to.
//
// The real catalog is assembled by the runner (runner/catalog.h) from the registered protocol
// plug-ins (protocols/<name>/entry.cpp) and checker entries (runner/checkers/); the parser takes it
// as a value, so scenario/ depends on no protocol and no checker.
//
// From the catalog comes the one table of [expect] keys (expect_rows): every key is a row naming
// the verdict or figure it compares and how. An expectation on a figure a system does not report
// is therefore a parse error that lists what the system does report, never a run that cannot pass.
#pragma once

#include "scenario/scenario.h"

#include <functional>
#include <string>
#include <vector>

namespace faultline::scenario {

enum class OptionType : uint8_t { integer, real, boolean, string };
std::string_view to_string(OptionType t);

struct OptionSpec {
    std::string name;
    OptionType type = OptionType::integer;
    OptionValue default_value;
    std::string description;
    std::vector<std::string> choices;  // string options: the allowed values (empty: any)
    double min = -1e300, max = 1e300;  // numeric options: the allowed range
};

// Where a protocol sits in the CAP trade-off under a partition: a CP design refuses requests it
// cannot serve consistently; an AP design keeps answering and reconciles later.
enum class CapClass : uint8_t { cp, ap, unclassified };
std::string_view to_string(CapClass c);

// The type of a figure's value, which decides how an [expect] bound on it is read and printed.
enum class FigureType : uint8_t { count, fraction, real };

// A number a run reports (availability, lost writes, keys with sibling versions, ...).
struct FigureSpec {
    std::string name;          // "lost_writes"
    std::string description;   // one line: what it counts, with its unit
    FigureType type = FigureType::count;
    std::string min_key;       // the [expect] key of a lower bound ("" : none)
    std::string max_key;       // the [expect] key of an upper bound ("" : none)
};

// Both bounds under their conventional names: <name>_min and <name>_max.
FigureSpec figure(std::string name, std::string description, FigureType type = FigureType::count);

// A protocol option check that needs several options at once (e.g. min <= max), or the cluster's
// size (`servers`: a quorum larger than the cluster): returns an error message naming the option
// to blame, or nothing. Run after each option passed its own checks.
struct OptionError {
    std::string option;
    std::string message;
};
using OptionsCheck = std::function<std::vector<OptionError>(const OptionValues& given, int servers)>;

// A named rare path the protocol can take on purpose when a scenario turns it on ([buggify]):
// "raft.crash_after_vote". Named <protocol>.<what>; `what` says what it does in a line.
struct BuggifySiteSpec {
    std::string name;
    std::string what;
};

struct ProtocolSpec {
    std::string name;
    std::string description;
    CapClass cap = CapClass::unclassified;
    std::vector<OptionSpec> options;
    OptionsCheck check_options;               // may be empty
    std::vector<std::string> operations;      // client operations it serves: "get", "put", ...
    // When the operations served depend on the options (a CRDT store of counters serves incr, one
    // of sets add and remove): the operations a system with these options serves, a subset of
    // `operations`. Options not given in the file are absent from `given`. May be empty.
    std::function<std::vector<std::string>(const OptionValues& given)> operations_for;
    std::vector<FigureSpec> figures;          // what the protocol itself reports
    std::vector<std::string> invariants;      // names of the safety invariants its monitors check
    std::vector<std::string> roles;           // roles its servers take ("leader", "primary", ...)
    std::vector<BuggifySiteSpec> buggify_sites;  // its named rare paths, listed by `faultline list`
    bool reports_replica_states = false;      // exposes each replica's data (convergence checks)
    // Whether every live replica of a key is meant to end up holding the same value once writes
    // stop and faults heal (replication from a leader, anti-entropy, gossip). Quorum systems that
    // keep only a majority current (ABD, the tutorial's register) do not promise it, and the
    // convergence checker leaves them alone.
    bool replicas_converge = false;
    // The smallest cluster that still shows the protocol's behaviour, where a shrink stops
    // dropping servers (0: no rule; a shrink keeps the cluster as it is), and whether it keeps
    // sizes odd (majority protocols).
    int servers_min = 0;
    bool servers_odd = false;
};

// What a [[system]] of some protocol may say in [expect] about a verdict of a checker.
struct VerdictSpec {
    std::string name;         // the verdict's name in reports: "linearizability"
    std::string expect_key;   // its [expect] key: "linearizable" (true: ok, false: a violation)
    std::string description;
};

// How a checker is switched on and off.
enum class CheckerSwitch : uint8_t {
    checkers_table,  // [checkers] <name> = true/false, default `default_on`
    liveness_table,  // [liveness] enabled
    always,          // always on (e.g. the client-operation counts)
};

struct CheckerSpec {
    std::string name;
    std::string description;
    std::string reads;                        // "history", "history + trace", "replica states", ...
    CheckerSwitch switched_by = CheckerSwitch::checkers_table;
    bool default_on = true;
    std::vector<OptionSpec> options;          // [checkers] keys besides the switch
    std::vector<VerdictSpec> verdicts;
    std::vector<FigureSpec> figures;
    // Whether the checker has anything to check on a system of this protocol (empty: any).
    std::function<bool(const ProtocolSpec&)> applies;
};

struct Catalog {
    std::vector<ProtocolSpec> protocols;
    std::vector<CheckerSpec> checkers;
    const ProtocolSpec* protocol(std::string_view name) const;
    const CheckerSpec* checker(std::string_view name) const;
};

// Whether the protocol serves client operations at all (lab 04's election serves none): checkers
// of the client history apply only to those that do.
inline bool serves_clients(const ProtocolSpec& p) { return !p.operations.empty(); }

// Whether the scenario switches this checker on.
bool checker_enabled(const CheckerSpec& c, const Scenario& s);
// Whether it runs on a system of this protocol: switched on and applicable.
bool checker_runs(const CheckerSpec& c, const ProtocolSpec& p, const Scenario& s);

// One [expect] key: what it compares, and how.
enum class Comparison : uint8_t { verdict_is, at_least, at_most };
struct ExpectRow {
    std::string key;          // "linearizable", "lost_writes_max"
    Comparison comparison = Comparison::verdict_is;
    std::string verdict;      // verdict_is: the verdict's name
    std::string figure;       // at_least / at_most: the figure's name
    FigureType type = FigureType::count;  // of the bound; verdict_is takes a boolean
    std::string source;       // who provides it: a checker's name or "protocol <name>"
};

// Every [expect] key any system could use (the union over protocols and checkers, all switched
// on): for "unknown key; did you mean ..." messages.
std::vector<ExpectRow> all_expect_rows(const Catalog& catalog);
// The [expect] keys a system of protocol `p` can use in scenario `s`: its protocol's figures
// and those of the checkers that run on it, in catalog order.
std::vector<ExpectRow> expect_rows(const Catalog& catalog, const ProtocolSpec& p, const Scenario& s);
const ExpectRow* find_row(const std::vector<ExpectRow>& rows, std::string_view key);

}  // namespace faultline::scenario
