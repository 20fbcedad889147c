// Lost writes: acknowledged appends missing from the system's data at the end. Counted on keys
// that only ever saw appends and reads (a put or cas may legitimately overwrite an append, so
// such keys are not counted). The system's data is what the protocol's plug-in calls it
// (BuiltSystem::data: the leader's or primary's state, or the newest version of each key).
#include "runner/checkers/checker_entry.h"

#include <fmt/format.h>

#include <set>

namespace faultline::runner {

namespace {

CheckOutcome check(const SystemRun& run) {
    FL_ASSERT(run.built.data != nullptr, "protocol {} has no data function", run.protocol.spec.name);
    const std::map<std::string, std::string> final_state = run.built.data(run.cluster);
    std::set<std::string> overwritten;
    for (const check::Operation& op : run.ops)
        if (op.f == check::Function::put || op.f == check::Function::cas) overwritten.insert(op.key);
    CheckOutcome out;
    int64_t lost = 0;
    for (const check::Operation& op : run.ops) {
        if (op.f != check::Function::append || op.completion != check::Completion::ok) continue;
        if (overwritten.count(op.key)) continue;
        auto it = final_state.find(op.key);
        if (it != final_state.end() && it->second.find(*op.value) != std::string::npos) continue;
        ++lost;
        if (out.findings.size() < 100)
            out.findings.push_back({"lost_write",
                                    fmt::format("append {} {} was acknowledged but is not in the final state", op.key, *op.value),
                                    Instant::from_ns(op.complete_time_ns), no_event});
    }
    out.figures["lost_writes"] = static_cast<double>(lost);
    out.summary = fmt::format("{}", lost);
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry lost_writes_checker() {
    scenario::CheckerSpec s;
    s.name = "lost_writes";
    s.description = "acknowledged appends missing from the system's data at the end";
    s.reads = "history + the system's final data";
    s.switched_by = scenario::CheckerSwitch::always;
    s.figures = {scenario::figure("lost_writes", "acknowledged appends missing at the end (count)")};
    return {s, check};
}

}  // namespace faultline::runner
