// Anomalies of weakly consistent registers, judged from a client history by real-time order
// alone (no search): stale reads, lost puts and the four session guarantees of Terry et al.,
// "Session Guarantees for Weakly Consistent Replicated Data" (1994).
//
// They are counted on register keys: keys the history only puts and gets (appends, cas, counters
// and sets have their own semantics). Every put writes a value no other put writes (the workload
// makes them "<client>-<n>"), so a value read names the put that wrote it.
//
// The order used throughout: put a *precedes* put b when a completed ok before b was invoked. Any
// linearizable store must then order a before b; a read that returns a after b was acknowledged
// returned something b had superseded. A read returning siblings (concurrent versions) is judged
// by its newest: it is stale only when every sibling is superseded. A put that completed `info`
// has no completion and precedes nothing; reads of values no put wrote are left to the
// linearizability checker.
#pragma once

#include "check/history.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::check {

struct RegisterAnomaly {
    std::string kind;       // "stale_read", "lost_put", "read_your_writes", ...
    OpId op = 0;            // the read (or the lost put)
    OpId because = -1;      // the put it should have reflected (-1: none)
    std::int64_t time_ns = 0;
    double behind_ms = 0;   // stale reads: how long the value read had been superseded
    int versions_behind = 0;  // stale reads: acknowledged puts, before the read began, that superseded it
    std::string detail;
};

class RegisterOrder {
public:
    // `siblings`: the reads that returned several values (op id -> every value).
    RegisterOrder(const std::vector<Operation>& ops, const std::map<OpId, std::vector<std::string>>& siblings);

    bool is_register_key(const std::string& key) const;
    // The ok puts and the ok gets of register keys, in invocation order.
    const std::vector<const Operation*>& puts() const { return puts_; }
    const std::vector<const Operation*>& gets() const { return gets_; }
    // The values a get returned: its siblings, its value, or nothing (absent).
    std::vector<std::string> values_read(const Operation& get) const;
    // The put that wrote `value` to `key` (ok or info), or null.
    const Operation* writer(const std::string& key, const std::string& value) const;
    // Every operation of the history, in invocation order.
    const std::vector<Operation>& ops() const { return ops_; }
    // Whether put a completed ok before put b was invoked.
    static bool precedes(const Operation& a, const Operation& b);

private:
    const std::vector<Operation>& ops_;
    const std::map<OpId, std::vector<std::string>>& siblings_;
    // Keys are views into ops_ (which the caller keeps alive, as for ops_ itself): no copies of
    // the long values an append workload reads.
    std::map<std::string_view, bool, std::less<>> register_key_;
    std::map<std::pair<std::string_view, std::string_view>, const Operation*> writer_;
    std::vector<const Operation*> puts_, gets_;
};

// Reads that returned only values superseded by a put acknowledged before the read began.
std::vector<RegisterAnomaly> stale_reads(const RegisterOrder& order);

// Acknowledged puts missing from `final_values` (key -> every value some replica holds at the
// end) while every value that survived was written by a put that completed before the lost put
// was invoked: the put was overwritten by something older (last-writer-wins under clock skew).
std::vector<RegisterAnomaly> lost_puts(const RegisterOrder& order, const std::map<std::string, std::vector<std::string>>& final_values);

// Session guarantee breaches, per client (process), kinds:
//   read_your_writes     a read returned only values that precede the client's own last put
//                        to the key (or nothing after it wrote);
//   monotonic_reads      a read returned only values that precede a value the client read
//                        before from the key;
//   monotonic_writes     a client's later put to a key is missing at the end while its earlier
//                        put to the key survived;
//   writes_follow_reads  a client read value v and then put w to the key: at the end v survived
//                        and w did not.
std::vector<RegisterAnomaly> session_anomalies(const RegisterOrder& order,
                                               const std::map<std::string, std::vector<std::string>>& final_values);

// Acknowledged puts missing at the end although no write that *saw* them replaced them: the rule
// of a multi-value register (a store that keeps concurrent writes as siblings, with version
// vectors or dotted versions): a write replaces only the versions its client had seen. A client
// saw put p when it made p, read a value set holding p, or read (or made) a put whose client had
// seen p: the closure of "made" and "read from", per key. A put that completed info may have
// happened: it can replace what its client saw, and it is never itself judged lost. A linearizable
// register breaks this rule as a matter of course (a later put replaces an earlier one its client
// never read), so only scenarios about causal stores switch it on.
std::vector<RegisterAnomaly> unseen_overwrites(const RegisterOrder& order,
                                               const std::map<std::string, std::vector<std::string>>& final_values);

}  // namespace faultline::check
