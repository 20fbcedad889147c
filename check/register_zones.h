// Register zones: an O(n log n) decision for one key that is a read/write register whose writes
// all put distinct values.
//
// Linearizability is NP-complete in general, and the Wing–Gong/Lowe search (key_search.h) is
// exponential in the number of overlapping operations: one register with 20–50 clients always
// busy defeats it. But for a register where every write puts a distinct value, a read names the
// write it saw, and the problem becomes polynomial (Gibbons & Korach 1997, "Testing shared
// memories"; the zone formulation is Golab, Li & Shah 2011, "Analyzing consistency properties for
// fun and profit"). We use it whenever it applies and keep the search for everything else.
//
// Method. A cluster is one write and the reads that returned its value (reads of `absent` belong
// to a virtual write before everything). With f = the earliest completion in the cluster and
// s = the latest invocation, the cluster's zone is
//   forward  [f, s]  when f < s: the value must be in the register throughout [f, s];
//   backward [s, f]  otherwise: the cluster can be linearized at one point inside [s, f].
// The history is linearizable iff
//   (a) every read returns a value some write put, and does not end before that write began;
//   (b) no two forward zones overlap (two values cannot both be current over one interval);
//   (c) no backward zone lies inside a forward zone (that cluster would have to overwrite and
//       then restore a value it cannot restore).
// Times are the history's event indices, all distinct. An info write has completion +infinity;
// an info write that nobody read should be dropped first (unobserved_writes.h).
//
// Applies when the key's operations are all gets and puts with known put values, every get
// completed ok, and no two puts share a value. Otherwise `applies` is false and the caller
// searches. On a violation `conflict` holds the operations of the failing clusters (a set that
// is not linearizable on its own), for the counterexample.
#pragma once

#include <vector>

#include "check/history.h"

namespace faultline::check {

struct ZoneDecision {
    bool applies = false;
    bool linearizable = false;
    // Only when !linearizable: positions in the input vector, ascending, of the operations of the
    // failing clusters (or the one read that failed (a)).
    std::vector<std::size_t> conflict;
};

ZoneDecision decide_by_register_zones(const std::vector<Operation>& ops);

}  // namespace faultline::check
