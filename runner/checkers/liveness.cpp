// Liveness after the faults: the run's liveness phase heals everything at heal_at (partitions,
// links, crashed servers, clocks, disks) and a probe client writes until a write completes; the
// system is live when one does within [liveness] within_ms. Switched by [liveness] enabled.
#include "runner/checkers/checker_entry.h"

#include <fmt/format.h>

#include <cmath>

namespace faultline::runner {

namespace {

Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }

CheckOutcome check(const SystemRun& run) {
    FL_ASSERT(run.heal_at.has_value(), "the liveness checker runs only with the liveness phase");
    const Instant deadline = *run.heal_at + ms(run.scenario.liveness.within_ms);
    const auto& progress = run.first_progress_after_heal;
    CheckOutcome out;
    const bool live = progress.has_value() && *progress <= deadline;
    out.verdicts.emplace_back("liveness", live ? "ok" : "violation");
    out.details["heal_at_ns"] = run.heal_at->ns();
    out.details["window_ns"] = {run.heal_at->ns(), deadline.ns()};
    if (progress) {
        out.details["progress_at_ns"] = progress->ns();
        out.figures["progress_after_heal_ms"] = (*progress - *run.heal_at).ms_f();
    }
    out.summary = fmt::format("{}{}", live ? "ok" : "NO PROGRESS",
                              progress ? fmt::format(" (a write {:.0f} ms after the heal)", (*progress - *run.heal_at).ms_f())
                                       : std::string());
    if (!live)
        out.findings.push_back({"no_progress",
                                fmt::format("no write completed within {} ms of the heal", run.scenario.liveness.within_ms),
                                deadline, no_event});
    return out;
}

}  // namespace

CheckerEntry liveness_checker() {
    scenario::CheckerSpec s;
    s.name = "liveness";
    s.description = "after the faults heal, a write completes within [liveness] within_ms";
    s.reads = "history (the liveness probe)";
    s.switched_by = scenario::CheckerSwitch::liveness_table;
    s.verdicts = {{"liveness", "live", "true: a write completed in time after the heal; false: none did"}};
    scenario::FigureSpec f = scenario::figure("progress_after_heal_ms", "from the heal to the first completed write (ms)",
                                              scenario::FigureType::real);
    s.figures = {f};
    // The probe is a client: a protocol that serves no operation (lab 04's election) has none.
    s.applies = scenario::serves_clients;
    return {s, check, {}};
}

}  // namespace faultline::runner
