// CheckerEntry: a checker as the runner plugs it in. Each checker is one file of runner/checkers/
// plus one line in registry.cpp; the algorithms they call live in check/ (which knows nothing of
// the kernel) or in the file itself when they are small.
//
// An entry declares (spec, scenario/catalog.h) its name, what it reads, its switch and options,
// the verdicts and figures it returns and the protocols it applies to; from that the parser
// builds the [expect] keys and `faultline list` its table. Its `check` reads one system's
// finished run (SystemRun) and returns a CheckOutcome: a verdict (or none), the figures, what it
// found (each finding with its time and trace event, for the viewer), a one-line summary and
// details kept with the stored run.
#pragma once

#include "check/history.h"
#include "check/register_order.h"
#include "protocols/plugin/protocol_entry.h"
#include "scenario/catalog.h"
#include "sim/faults/fault.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

// A checker that must watch the run as it goes (to time something, say) makes one of these
// before the run starts; it observes the trace through the ClusterView (reads only, never changes
// the run) and its check() finds it again with SystemRun::watcher<T>().
class RunWatcher {
public:
    virtual ~RunWatcher() = default;
};

struct WatchSetup {
    const scenario::Scenario& scenario;
    const plugin::BuiltSystem& built;
    const plugin::ClusterView& cluster;
    const plugin::Options& checker_options;
};

// What one system's run left for its checkers to read.
struct SystemRun {
    const scenario::Scenario& scenario;
    const scenario::System& system;
    const plugin::ProtocolEntry& protocol;
    const plugin::BuiltSystem& built;
    const plugin::ClusterView& cluster;          // the world in its final state
    const check::History& history;                // every client operation, the liveness probe's too
    const std::vector<check::Operation>& ops;     // the workload's operations, paired (no probe)
    const std::vector<NodeId>& served_by;         // per OpId of `history`: the server that answered
    const plugin::PartitionTimeline& partitions;
    const faults::FaultSchedule& faults;          // every fault applied, in time order
    std::optional<Instant> heal_at;               // the liveness phase's heal (when enabled)
    std::optional<Instant> first_progress_after_heal;
    const plugin::Options& checker_options;       // [checkers] options, with the specs' defaults
    // Client reads that returned concurrent versions: op id -> every sibling value.
    const std::map<check::OpId, std::vector<std::string>>& siblings;
    // The watchers checkers made before the run, by checker name.
    const std::map<std::string, std::unique_ptr<RunWatcher>>& watchers;

    template <typename T>
    const T* watcher(const std::string& checker) const {
        auto it = watchers.find(checker);
        return it == watchers.end() ? nullptr : dynamic_cast<const T*>(it->second.get());
    }

    // The register order of `ops` and `siblings` (check/register_order.h), built on first use and
    // shared by the checkers that read it (stale reads, lost writes, session guarantees, unseen
    // overwrites) instead of each building its own.
    const check::RegisterOrder& register_order() const;
    mutable std::unique_ptr<const check::RegisterOrder> register_order_built = nullptr;
};

// One thing a checker found: a violated invariant, a stale read, a lost write.
struct Finding {
    std::string what;    // "election_safety", "stale_read", ...
    std::string detail;  // one sentence, with node names and values
    Instant at;
    EventIndex event = no_event;
    // The client operation it is about, by its invocation time (the viewer highlights it); -1: none.
    int64_t op_invoke_ns = -1;
};

struct CheckOutcome {
    std::string checker;
    // (verdict name, ok | violation | unknown), in the spec's order; a checker may return several
    // (one per session guarantee, say) and a checker that reports figures only returns none.
    std::vector<std::pair<std::string, std::string>> verdicts;
    std::string summary;                 // one line for the run summary
    std::vector<std::string> checked;    // what it checked, e.g. invariant names
    std::vector<Finding> findings;       // bounded by the checker
    std::map<std::string, double> figures;
    nlohmann::ordered_json details = nlohmann::ordered_json::object();  // stored with the run

    // The verdicts combined: violation if any is, else unknown if any is, else ok; "" when none.
    std::string verdict() const;
};

struct CheckerEntry {
    scenario::CheckerSpec spec;
    std::function<CheckOutcome(const SystemRun&)> check;
    std::function<std::unique_ptr<RunWatcher>(const WatchSetup&)> watch;  // empty for most checkers
};

// Every registered checker, in registry order (runner/checkers/registry.cpp).
const std::vector<CheckerEntry>& checkers();
const CheckerEntry* find_checker(std::string_view name);

// Shared by checker files: every value some live replica of each key holds at the end (the
// union of the replica states of the key's replicas, BuiltSystem::replicas_of, when the
// protocol reports them; else its data()).
std::map<std::string, std::vector<std::string>> final_values(const SystemRun& run);

// Shared by checker files: the details' "findings" array.
nlohmann::ordered_json findings_json(const std::vector<Finding>& findings);

}  // namespace faultline::runner
