// The registered checkers, in the order runs report them. A new checker is a file of this folder
// defining `CheckerEntry <name>_checker()` and one line below.
#include "runner/checkers/checker_entry.h"

#include "sim/assert.h"

#include <set>

namespace faultline::runner {

CheckerEntry operations_checker();
CheckerEntry linearizability_checker();
CheckerEntry invariants_checker();
CheckerEntry liveness_checker();
CheckerEntry lost_writes_checker();
CheckerEntry stale_reads_checker();
CheckerEntry session_guarantees_checker();
CheckerEntry unseen_overwrites_checker();
CheckerEntry convergence_checker();
CheckerEntry partition_availability_checker();
CheckerEntry crdt_correctness_checker();

namespace {

std::vector<CheckerEntry> checked(std::vector<CheckerEntry> all) {
    std::set<std::string> names;
    for (const CheckerEntry& c : all) {
        FL_ASSERT(names.insert(c.spec.name).second, "checker {} is registered twice", c.spec.name);
        FL_ASSERT(c.check != nullptr, "checker {} has no check function", c.spec.name);
    }
    return all;
}

}  // namespace

const std::vector<CheckerEntry>& checkers() {
    static const std::vector<CheckerEntry> all = checked({
        operations_checker(),
        linearizability_checker(),
        invariants_checker(),
        liveness_checker(),
        lost_writes_checker(),
        stale_reads_checker(),
        session_guarantees_checker(),
        unseen_overwrites_checker(),
        convergence_checker(),
        partition_availability_checker(),
        crdt_correctness_checker(),
    });
    return all;
}

const CheckerEntry* find_checker(std::string_view name) {
    for (const CheckerEntry& c : checkers())
        if (c.spec.name == name) return &c;
    return nullptr;
}

std::string CheckOutcome::verdict() const {
    std::string out;
    for (const auto& [name, v] : verdicts) {
        if (v == "violation") return v;
        if (v == "unknown" || out.empty()) out = v;
    }
    return out;
}

nlohmann::ordered_json findings_json(const std::vector<Finding>& findings) {
    auto out = nlohmann::ordered_json::array();
    for (const Finding& f : findings)
        out.push_back({{"what", f.what}, {"detail", f.detail}, {"time_ns", f.at.ns()},
                       {"event", f.event == no_event ? -1 : static_cast<int64_t>(f.event)}, {"op_invoke_ns", f.op_invoke_ns}});
    return out;
}

}  // namespace faultline::runner
