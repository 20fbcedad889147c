// Scenario writer: a Scenario in, canonical scenario TOML (docs/scenarios.md) out.
//
// What it guarantees
// - Round trip: parse_scenario_text(write_scenario_toml(s)) gives back a Scenario equal to `s`
//   in every field the format carries (everything but `file`, `text` and FaultSpec::line, which
//   describe where a scenario was read from, not what it is), provided `s` is valid (it came from
//   the parser, or is a parsed scenario edited within the format's rules, as `faultline shrink`
//   does). tests/scenario/scenario_writer_test.cpp round-trips every file in scenarios/.
// - Canonical: equal Scenarios give the same text, so two texts can be compared with diff.
//   Sections come in the order of docs/scenarios.md; system options in name order; reals are
//   written in their shortest exact form (integral ones as integers, large ones with `_`).
// - The description is the file's leading comment block. When the block could not carry it
//   exactly (a first line that looks like a path, blank lines at either end, a carriage return),
//   it is also written as `[scenario] description`, which the parser prefers.
// - Keys equal to the format's defaults are left out, except the ones a reader of a small
//   scenario wants to see (version, name, duration, seed, the cluster and the workload's size).
//
// Pure: no I/O, no shared state; any number of threads may write at once.
#pragma once

#include "scenario/scenario.h"

#include <string>

namespace faultline::scenario {

std::string write_scenario_toml(const Scenario& s);
// One [[fault]] table, as write_scenario_toml writes it (the viewer appends live edits this way).
std::string write_fault_toml(const FaultSpec& f);

}  // namespace faultline::scenario
