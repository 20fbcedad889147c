// run_scenario: each system of the scenario as a SystemSession run to its end (session.h), and
// the small types of run.h.
#include "runner/run.h"

#include "check/check_assert.h"
#include "runner/session.h"
#include "sim/assertion_failure.h"

#include <fmt/format.h>

#include <algorithm>

#ifndef FAULTLINE_BUILD_ID
#define FAULTLINE_BUILD_ID "unknown"
#endif

namespace faultline::runner {

std::string build_id() { return FAULTLINE_BUILD_ID; }

std::string RunError::describe() const {
    if (kind == "exception") return fmt::format("exception {}: {}", condition, message);
    return fmt::format("{} failed at {}:{}: {} ({})", kind == "assertion" ? "assertion" : "checker assertion", file, line,
                       message, condition);
}

std::string RunError::signature() const {
    if (kind == "exception") return fmt::format("exception {}: {}", condition, message);
    return fmt::format("{} {}:{}", kind == "assertion" ? "assertion" : "checker assertion", file, line);
}

const CheckOutcome* SystemOutcome::check(std::string_view checker) const {
    for (const CheckOutcome& c : checks)
        if (c.checker == checker) return &c;
    return nullptr;
}

std::string SystemOutcome::verdict(std::string_view name) const {
    for (const CheckOutcome& c : checks)
        for (const auto& [verdict, value] : c.verdicts)
            if (verdict == name) return value;
    return "skipped";
}

bool RunOutcome::internal_error() const {
    return std::any_of(systems.begin(), systems.end(), [](const SystemOutcome& o) { return o.error.has_value(); });
}

uint64_t RunOutcome::trace_hash() const {
    uint64_t h = 0;
    for (const auto& o : systems) h = h * 0x100000001b3ull ^ o.trace_hash;
    return h;
}

SystemOutcome run_system(const scenario::Scenario& s, const scenario::System& sys, const RunOptions& ro) {
    SystemSession session(s, sys, ro);
    session.run_to_end();
    return session.finish();
}

RunOutcome run_scenario(const scenario::Scenario& s, const RunOptions& ro) {
    FL_ASSERT(!s.systems.empty(), "a validated scenario has at least one system");
    RunOutcome out;
    out.scenario = s.name;
    out.seed = ro.seed;
    for (const auto& sys : s.systems) {
        out.systems.push_back(run_system(s, sys, ro));
        if (!out.systems.back().expectations_met) out.expectations_met = false;
    }
    return out;
}

}  // namespace faultline::runner
