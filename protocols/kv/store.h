// Store: a key-value state machine with client sessions, for replicated stores to apply.
//
// apply(op, client, sequence) applies each (client, sequence) at most once and remembers the
// last result per client, so a retried request (same sequence) returns the original result
// instead of applying twice (Raft thesis §6.3; the same idea serves primary-backup). A client has
// one outstanding request at a time, so sequences of one client only grow; a request older than
// the client's latest (a stale copy a protocol replayed) is refused with outcome fail, never
// applied.
// Semantics: get reads (absent: found=false); put sets; append concatenates (absent = ""); cas
// sets `value` iff the key is present and equals `expected`.
// Iteration order is key order (std::map), so snapshots are deterministic.
#pragma once

#include "protocols/kv/kv_client.h"

#include <map>
#include <string>

namespace faultline::kv {

class Store {
public:
    KvResult apply(const KvOp& op, uint64_t client, uint64_t sequence);
    // Whether (client, sequence) was already applied; if so, its result.
    const KvResult* applied(uint64_t client, uint64_t sequence) const;
    // Whether the client has since moved past `sequence`: a delayed retry of an operation whose
    // client gave up on it. It is not applied (apply refuses it).
    bool superseded(uint64_t client, uint64_t sequence) const;

    const std::map<std::string, std::string>& data() const { return data_; }
    bool operator==(const Store&) const = default;

    // A whole-state copy for state transfer (sessions included, so exactly-once survives it).
    struct Session {
        uint64_t sequence = 0;
        KvResult result;
        bool operator==(const Session& o) const {
            return sequence == o.sequence && result.outcome == o.result.outcome && result.found == o.result.found &&
                   result.value == o.result.value && result.swapped == o.result.swapped;
        }
    };
    std::map<std::string, std::string> data_;
    std::map<uint64_t, Session> sessions_;
};

}  // namespace faultline::kv
