// From a run's outcome to what the run store keeps, and the text a person reads.
#pragma once

#include "runner/run.h"
#include "store/run_record.h"

#include <nlohmann/json.hpp>

#include <string>

namespace faultline::runner {

// The scenario's identity in the store: a 64-bit hash of its text, as 16 hex digits.
std::string scenario_hash(const scenario::Scenario& s);

// The stored name of one system's run: the scenario's name, plus "/system" when the scenario
// has several systems.
std::string run_name(const scenario::Scenario& s, const SystemOutcome& o);

// The label to parse a stored run's scenario text with: the file name the scenario had when it
// ran ("split_brain.toml" for the run "split_brain" or "split_brain/cp"), so that a scenario
// without a [scenario] name gets back the name its runs were stored under.
std::string stored_scenario_label(const std::string& run_name);
// The system a stored run is of: "cp" for "split_brain/cp", "" for a one-system scenario's run.
std::string stored_system_name(const std::string& run_name);

// A run that ended in an assertion or exception, for scripts and the store: kind, description,
// signature, file, line, condition, message, event, time_ns.
nlohmann::ordered_json error_json(const RunError& e);
// The same as the stored check "internal_error" (verdict = the kind), which `show` lists.
store::CheckRecord error_check(const RunError& e);

store::RunRecord to_record(const scenario::Scenario& s, const RunOutcome& run, const SystemOutcome& o,
                           int64_t wall_time_ms);

// The summary table of a run, one block per system (verdicts, op counts, figures, faults,
// expectations, trace hash). `wall_time_ms` < 0 leaves the wall time out (golden tests).
std::string format_summary(const scenario::Scenario& s, const RunOutcome& run, int64_t wall_time_ms);

// Every verdict of a system's run, by name: {"linearizability": "ok", "invariants": "violation"}.
nlohmann::ordered_json verdicts_json(const SystemOutcome& o);

// The same, for scripts: {"scenario", "seed", "expectations_met", "internal_error" (bool),
// "systems": [{"run_id"?, ..., "internal_error": error_json or null}]}.
nlohmann::ordered_json summary_json(const scenario::Scenario& s, const RunOutcome& run, int64_t wall_time_ms,
                                    const std::vector<int64_t>& run_ids);

}  // namespace faultline::runner
