// Counterexample: why a key's operations are not linearizable, shrunk for a human or a GUI.
//
// Definitions (for one key, operations ordered by invocation):
//   cut(e)   the history as it stood at completion event e: operations invoked before e; those
//            still running at e become info (their outcome not yet known). Linearizability is
//            prefix-closed (Herlihy & Wing 1990 §3.4), so "cut(e) is not linearizable" is monotone
//            in e and binary search finds the FIRST failing completion event.
//   culprit  the operation whose ok completion is that first failing event: with it still
//            running the history is fine; once it completes with its output, it is not.
//   window   a contiguous range of operations (by invocation) of cut(culprit) that contains the
//            culprit, is not linearizable on its own, and becomes linearizable when the culprit
//            is turned back into info. Shrunk from both ends.
//   closed   a set of operations that, for every value one of them read (or a swapped cas
//            compared against), holds a window operation that wrote it, when the window has one:
//            a put of it, a cas to it that swapped (or whose outcome is unknown; a cas that failed
//            its comparison wrote nothing), or an append it ends with.
//   minimal  a closed subset of the window with the same property from which no single operation (and
//            no chunk tried by ddmin-style deletion) can be removed: the smallest story that
//            still fails because of the culprit (e.g. {put "1" ok, get -> absent} for a stale
//            read, not the misleading {get -> "1"} that dropping the put would give).
// Minimisation uses Budget::shrink_steps_max; if it runs out, `minimal` is false and the sets are
// just larger than necessary (still failing, still containing the culprit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check/history.h"

namespace faultline::check {

struct Counterexample {
    std::string key;
    std::vector<OpId> longest_prefix;  // linearization order, from the full search of the key
    Value state_after_prefix;
    OpId culprit = -1;
    std::vector<OpId> window;          // contiguous by invocation order
    std::vector<OpId> minimal;         // subset of window, invocation order, contains culprit
    bool minimal_complete = false;     // shrinking finished within budget
    // Bounds of `minimal` for highlighting: first invocation to the culprit's completion, or the
    // last completion among the minimal ops if later.
    std::int64_t begin_index = 0, end_index = 0;
    std::int64_t begin_time_ns = 0, end_time_ns = 0;
};

}  // namespace faultline::check
