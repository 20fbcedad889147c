// Workload: a client fiber issuing key-value operations against any KvClient.
//
// Concurrency is the number of client fibers (one outstanding operation each, like a Jepsen
// process); rate comes from the think time between operations (exponential, mean
// think_time_mean, drawn in the client's local time); keys from a KeyChooser; the operation from
// the weighted mix (get, put, append, cas; and incr, add, remove for counters and sets). Values are
// unique per client ("c3-17"), which keeps the checker's search tractable and makes lost or
// duplicated writes visible; set elements too, unless `elements` asks for a small pool (e1..eN)
// so that adds and removes of one element race. A cas expects the value this client last saw for
// the key (often stale under contention, as in real code).
//
// Every operation is recorded in the HistoryRecorder and traced on the client's node
// (client_invoke / client_complete) by record_op; a KvClient never records.
#pragma once

#include "protocols/kv/history_recorder.h"
#include "protocols/kv/key_chooser.h"
#include "protocols/kv/kv_client.h"

#include "sim/node.h"

#include <optional>

namespace faultline::kv {

struct WorkloadOptions {
    int64_t ops_per_client = 50;           // 0: until the run ends
    Duration think_time_mean = milliseconds(20);
    Duration start_delay = Duration::zero();
    std::optional<Instant> stop_at;        // no operation is invoked at or after it (client clock)
    int key_count = 3;
    KeyDistribution key_distribution = KeyDistribution::uniform;
    double zipf_exponent = 1.0;
    double get_weight = 0.4;
    double put_weight = 0.3;
    double append_weight = 0.2;
    double cas_weight = 0.1;
    double incr_weight = 0;    // a counter increment by 1
    double add_weight = 0;     // a set add of a fresh element
    double remove_weight = 0;  // a set remove of an element this client added or read (else an add)
    // What an add adds: 0, a fresh element ("c3-17"); N > 0, one drawn from the pool e1..eN, so
    // that an add and a remove of the same element can be concurrent.
    int elements = 0;
};

// Runs inside a client fiber until ops_per_client operations are done (or forever for 0).
// `process` is the history's process id for this client fiber.
void run_workload(Context& ctx, KvClient& client, HistoryRecorder& recorder, int64_t process,
                  const WorkloadOptions& options);

// Issues one operation through the client, recording invoke and completion; returns the result.
KvResult record_op(Context& ctx, KvClient& client, HistoryRecorder& recorder, int64_t process, const KvOp& op);

}  // namespace faultline::kv
