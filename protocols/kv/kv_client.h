// KvClient: the key-value interface every replicated store offers its clients, whatever the
// protocol behind it (Raft, primary-backup, Dynamo-style quorums, ...).
//
// A protocol supplies an implementation that runs inside a client fiber: execute() blocks the
// fiber, retries as the protocol sees fit (reusing the request's identity, so a retry is not a
// second operation), and says honestly what it knows:
//   ok   - the operation took effect (for get: `found`/`value`; for cas: `swapped`),
//   fail - it definitely did not take effect,
//   info - unknown: it may have taken effect, possibly later (a timeout, a crashed server).
// The workload (workload.h) records every operation in the history; implementations do not.
#pragma once

#include "check/history.h"
#include "sim/node.h"

#include <string>

namespace faultline::kv {

// The operations are the checker's own (one vocabulary from the client to the checker).
using check::Function;
using check::to_string;

struct KvOp {
    Function f = Function::get;
    std::string key;
    std::string value;     // put/append argument, cas new value
    std::string expected;  // cas only
    std::string describe() const;
};

struct KvResult {
    ClientOutcome outcome = ClientOutcome::info;
    bool found = false;    // get: whether the key exists
    std::string value;     // get: the value read
    bool swapped = false;  // cas: whether the compare succeeded
    // ok or fail: the server whose reply decided the outcome (no_node: not known). Figures such
    // as "writes acknowledged on the minority side" read it.
    NodeId served_by = no_node;
};

class KvClient {
public:
    virtual ~KvClient() = default;
    virtual KvResult execute(const KvOp& op) = 0;
};

}  // namespace faultline::kv
