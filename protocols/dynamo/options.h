// A Dynamo-style store's settings (the scenario's [[system]] options; entry.cpp lists them with
// their defaults and ranges).
#pragma once

#include "protocols/dynamo/versions.h"

#include <string>
#include <vector>

namespace faultline::dynamo {

struct Options {
    std::vector<std::string> servers;  // every server's name, in the order the ring was built from
    int n = 3;                         // replicas per key (capped at the number of servers)
    int r = 2;                         // replies a read waits for
    int w = 2;                         // acknowledgements a write waits for
    bool sloppy_quorum = false;        // stand-ins from further along the ring count toward R and W
    ConflictMode conflicts = ConflictMode::vv;
    int vnodes = 8;                    // tokens per server on the ring
    bool read_repair = true;
    int anti_entropy_ms = 200;         // 0: no anti-entropy
    int merkle_depth = 6;              // 64 leaves
    int handoff_ms = 100;              // how often a stand-in tries to hand its hints back
    int hint_after_ms = 40;            // a replica silent this long is skipped (sloppy quorum)
    int suspect_ms = 300;              // how long a silent replica is skipped by later requests
    int request_timeout_ms = 300;      // a coordinator gives up on a request after this long
    // Planted bugs (docs in entry.cpp).
    bool read_repair_overwrites_newer = false;
    bool hints_never_handed_off = false;
};

}  // namespace faultline::dynamo
