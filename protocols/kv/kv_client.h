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
#include <vector>

namespace faultline::kv {

// The operations are the checker's own (one vocabulary from the client to the checker).
using check::Function;
using check::to_string;

struct KvOp {
    Function f = Function::get;
    std::string key;
    std::string value;     // put/append argument, cas new value, incr delta (decimal), add/remove element
    std::string expected;  // cas only
    std::string describe() const;
};

struct KvResult {
    ClientOutcome outcome = ClientOutcome::info;
    bool found = false;    // get: whether the key exists
    // get: the value read (a counter's decimal, a set in check::set_value's form). When a store
    // returns concurrent versions (siblings), `value` is the client's merge of them and
    // `siblings` holds them all (empty when there was one version).
    std::string value;
    std::vector<std::string> siblings;
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
