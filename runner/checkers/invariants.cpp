// The protocol's own safety invariants (election safety, fencing, ...), watched by the monitor
// its plug-in attaches for the run (protocols/plugin/invariant_monitor.h). Applies to protocols
// that declare invariants.
#include "runner/checkers/checker_entry.h"

#include <fmt/format.h>

namespace faultline::runner {

namespace {

CheckOutcome check(const SystemRun& run) {
    FL_ASSERT(run.built.invariants != nullptr, "protocol {} declares invariants but built no monitor", run.protocol.spec.name);
    run.built.invariants->finish(run.cluster);
    CheckOutcome out;
    out.checked = run.protocol.spec.invariants;
    for (const plugin::Violation& v : run.built.invariants->violations())
        out.findings.push_back({v.invariant, v.detail, v.at, v.event});
    out.verdicts.emplace_back("invariants", out.findings.empty() ? "ok" : "violation");
    out.summary = out.findings.empty()
                      ? std::string("ok")
                      : fmt::format("{} violation(s): {}", out.findings.size(), out.findings.front().detail);
    out.details["checked"] = out.checked;
    out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry invariants_checker() {
    scenario::CheckerSpec s;
    s.name = "invariants";
    s.description = "the protocol's safety invariants, watched as the run goes and at its end";
    s.reads = "trace + final replica states";
    s.verdicts = {{"invariants", "invariants_hold", "true: no invariant was violated; false: at least one was"}};
    s.applies = [](const scenario::ProtocolSpec& p) { return !p.invariants.empty(); };
    return {s, check};
}

}  // namespace faultline::runner
