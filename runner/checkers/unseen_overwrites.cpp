// Unseen overwrites: the rule of a multi-value register (DDIA's "capturing the happens-before
// relationship"): a write replaces only the versions its client had seen, and keeps the others as
// siblings. An acknowledged put that is gone at the end although no write that saw it replaced it
// was overwritten by a concurrent write, as last-writer-wins does (check/register_order.h says
// exactly what "saw" means). Off by default: a linearizable register breaks the rule by design.
#include "runner/checkers/checker_entry.h"

#include "check/register_order.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::runner {

namespace {

CheckOutcome check(const SystemRun& run) {
    const check::RegisterOrder& order = run.register_order();
    CheckOutcome out;
    const std::vector<check::RegisterAnomaly> found = check::unseen_overwrites(order, final_values(run));
    out.verdicts.emplace_back("unseen_overwrites", found.empty() ? "ok" : "violation");
    out.figures["unseen_overwrites"] = static_cast<double>(found.size());
    for (const auto& a : found) {
        if (out.findings.size() >= 100) break;
        const auto& op = run.ops.at(static_cast<std::size_t>(a.op));
        out.findings.push_back({a.kind, a.detail, Instant::from_ns(a.time_ns), no_event, op.invoke_time_ns});
    }
    out.summary = found.empty() ? std::string("ok") : fmt::format("{} acknowledged puts replaced unseen", found.size());
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry unseen_overwrites_checker() {
    scenario::CheckerSpec s;
    s.name = "unseen_overwrites";
    s.description = "acknowledged puts replaced by a write whose client had not seen them (multi-value registers)";
    s.reads = "history + final replica states";
    s.default_on = false;
    s.verdicts = {{"unseen_overwrites", "no_unseen_overwrites",
                   "true: every put gone at the end was replaced by a write that saw it; false: one was overwritten unseen"}};
    s.figures = {scenario::figure("unseen_overwrites", "acknowledged puts replaced by a write that had not seen them (count)")};
    s.applies = [](const scenario::ProtocolSpec& p) {
        return std::count(p.operations.begin(), p.operations.end(), "put") > 0;
    };
    return {s, check};
}

}  // namespace faultline::runner
