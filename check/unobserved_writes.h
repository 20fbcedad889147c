// drop_unobserved_info_writes: remove info writes that no operation could have observed.
//
// An info put (or info cas) may have taken effect at any time after its invocation, or never. The
// search must try every place for it, which multiplies the configurations it explores by up to
// 2 per info write. Most info writes are never observed: no get returns their value and no cas
// compares against it. Such a write can be removed without changing the verdict, when the key has
// no append and no cas whose compare failed:
//
//   Take a linearization L that contains an unobserved info write W of value v, and remove from
//   it W and every info cas whose compare failed in L (an info operation may never happen, and a
//   failed cas changed nothing). After W, L can continue with neither a get (it would return v),
//   nor any cas that swapped (it would compare against v), nor an ok cas whose compare failed (the
//   key has none), nor an append (none). So W was last in L, or right before a put, which
//   overwrites v without looking at it: the shortened L is still legal. Conversely a
//   linearization without W is one in which W never took effect, which info allows.
//
// A failed compare observes "the value is not e", which v could satisfy where the value before W
// would not; an append reads the value it extends. Keys with either are returned unchanged.
// Input and output: one key's operations (fail operations and info gets already dropped).
#pragma once

#include <vector>

#include "check/history.h"

namespace faultline::check {

std::vector<Operation> drop_unobserved_info_writes(std::vector<Operation> ops);

}  // namespace faultline::check
