// Comparing a replayed trace with a stored one, event by event: what `faultline replay` reports
// as a determinism bug (cli/replay_command.cpp, docs/run_store.md "Replaying a run").
//
// What is compared: every structured field of each event (true and local time, Lamport time, id,
// cause, node, peer, kind, reason) and its name by text (name ids are per trace); the event's text
// too when both traces were recorded at level `full`. These are the fields the trace hash folds,
// so two traces that compare equal here have the same hash.
#pragma once

#include "sim/trace.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

struct TraceSide {
    const std::vector<TraceEvent>& events;
    const std::vector<std::string>& names;
    const std::vector<std::string>& node_names;
};

struct Divergence {
    uint64_t index = 0;  // the first event that differs, or where the shorter trace ends
    std::string text;    // "first divergent event #12: stored ... | replayed ..."
};

// nullopt when the first `stored_count` stored events equal the replayed ones and there are no
// more replayed events than that.
std::optional<Divergence> first_divergence(const TraceSide& stored, std::size_t stored_count, const TraceSide& replayed,
                                           bool compare_text);

// How many events of `events` happened at or before `until` (true time never decreases along a
// trace, so they are a prefix): what a replay that stops at `until` must reproduce.
std::size_t prefix_until(const std::vector<TraceEvent>& events, Instant until);

}  // namespace faultline::runner
