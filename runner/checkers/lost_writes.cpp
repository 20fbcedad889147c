// Lost writes: acknowledged writes the system no longer holds at the end.
//   appends  on keys that only ever saw appends and reads (a put or cas may legitimately
//            overwrite an append), an acknowledged append missing from the system's data
//            (BuiltSystem::data: the leader's or primary's state, or the newest version of each key);
//   puts     on register keys (only puts and gets), an acknowledged put whose value no live replica
//            holds, while every value that did survive was written by a put that completed before
//            it began (check/register_order.h, lost_puts): it was overwritten by something older,
//            as last-writer-wins does under clock skew. A put overwritten by a later or
//            concurrent put is not lost.
#include "runner/checkers/checker_entry.h"

#include "check/register_order.h"

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
    const check::RegisterOrder& order = run.register_order();
    const std::vector<check::RegisterAnomaly> lost_puts = check::lost_puts(order, final_values(run));
    for (const auto& a : lost_puts) {
        if (out.findings.size() < 100) out.findings.push_back({"lost_write", a.detail, Instant::from_ns(a.time_ns), no_event});
    }
    lost += static_cast<int64_t>(lost_puts.size());
    out.figures["lost_writes"] = static_cast<double>(lost);
    out.summary = fmt::format("{}", lost);
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry lost_writes_checker() {
    scenario::CheckerSpec s;
    s.name = "lost_writes";
    s.description = "acknowledged appends and puts missing from the system's data at the end";
    s.reads = "history + the system's final data (replica states)";
    s.switched_by = scenario::CheckerSwitch::always;
    s.figures = {scenario::figure("lost_writes", "acknowledged appends and puts missing at the end (count)")};
    s.applies = scenario::serves_clients;
    return {s, check, {}};
}

}  // namespace faultline::runner
