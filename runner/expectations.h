// A system's expectations, judged: [expect] overlaid with [expect.<system>], each key a row of
// the expectation table (scenario/catalog.h) that compares a verdict or a figure of the outcome.
#pragma once

#include "runner/run.h"
#include "scenario/catalog.h"

namespace faultline::runner {

// [expect] overlaid with [expect.<system>] (a per-system key replaces the shared one).
scenario::Expect expectations_for(const scenario::Scenario& s, const std::string& system);

// Whether the system's expectations ask for a violation (a planted bug: `invariants_hold = false`).
bool expects_violation(const scenario::Scenario& s, const std::string& system);

// Fills o.expectations and o.expectations_met from o.checks and o.figures.
void evaluate_expectations(const scenario::Scenario& s, const scenario::ProtocolSpec& protocol, SystemOutcome& o);

}  // namespace faultline::runner
