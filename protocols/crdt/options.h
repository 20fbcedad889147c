// The CRDT store's settings (the scenario's [[system]] options; entry.cpp lists them with their
// defaults and ranges).
#pragma once

#include "protocols/crdt/key_state.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace faultline::crdt {

// What the servers' gossip sent, for the gossip_bytes figure. A meter outside the simulation:
// servers add to it and never read it, so it cannot change a run; it outlives crashes, which a
// server's own counters would not.
struct GossipMeter {
    int64_t messages = 0;
    int64_t bytes = 0;  // keys plus encoded states
};

struct Options {
    std::vector<std::string> servers;  // every server's name
    CrdtType type = CrdtType::g_counter;
    int gossip_ms = 100;         // how often a server gossips (local time)
    int fanout = 2;              // peers per gossip round (capped at the other servers)
    bool delta_state = false;    // gossip deltas since the last exchange instead of full states
    // Planted bug (entry.cpp says what it does): OR-Set removes tombstone the element.
    bool orset_remove_loses_concurrent_adds = false;
    std::shared_ptr<GossipMeter> meter;  // may be null
};

}  // namespace faultline::crdt
