// AppendOrder: the order appends must take, read off the values the history observed.
//
// An append-only value shows, in every read of it, the order of the appends before it (Elle's
// list-append analysis, Kingsbury & Alvaro 2020, rests on the same fact). KeySearch uses that to
// refuse, before trying them, linearizations no later read could agree with:
//
//   On a key without puts, counters or sets, the state changes only by an append (it grows) or a
//   cas that swaps (it becomes the cas's new value, and only if it equalled the cas's expected
//   value). Say an append or a swap leaves the state s. Until the next swap every state extends s,
//   and that swap must find a state equal to its expected value, which then extends s. So every
//   operation linearized after s that observes the state exactly (a get with a known output, a cas
//   that swapped) sees a string that starts with s, or comes after a swap whose expected value
//   starts with s. If no such value (a get's output, the expected value of a cas that swapped or
//   may have: ok or info) starts with s while an observing operation is still to be linearized,
//   s is a dead end: no continuation can satisfy that operation.
//
// So an append is tried only in the place the reads put it (its result is a prefix of something
// read), and an append nobody read (typically an `info` one: the client gave up) is tried only
// once no observer is left, where it is free. This turns the search over orders of concurrent and
// unknown appends, exponential in their number, into the one order the reads spell out.
//
// Prefixes are matched by the StateTable's polynomial hash and length: a collision can only make a
// state look observable (the prune then does nothing), never prune a live branch. Memory: one
// 64-bit word per byte of the observed values, reserved from the MemoryPool; if refused, or on a
// key the argument does not cover, the prune is off and the search is exactly as without it.
#pragma once

#include <cstdint>
#include <vector>

#include "check/history.h"
#include "check/memory_pool.h"
#include "check/state_table.h"

namespace faultline::check {

class AppendOrder {
  public:
    // `ops`: one key's operations, as the search gets them; `wanted` false: the prune is off.
    AppendOrder(const std::vector<Operation>& ops, MemoryPool* pool, bool wanted = true);
    ~AppendOrder();
    AppendOrder(const AppendOrder&) = delete;
    AppendOrder& operator=(const AppendOrder&) = delete;

    bool enabled() const { return enabled_; }
    // Whether `op` must see one exact state when it is linearized (an ok get, an ok cas that
    // swapped): the search counts how many of these are still to be linearized.
    static bool observes_exactly(const Operation& op);
    // Whether some observed value starts with the state `id`: if not, and an exact observer is
    // still to be linearized, the step that made `id` is a dead end.
    bool observable(const StateTable& states, std::uint32_t id) const;

  private:
    MemoryPool* pool_;
    bool enabled_ = false;
    std::uint64_t bytes_ = 0;
    std::vector<std::uint64_t> prefixes_;  // sorted: mix(hash, length) of every prefix of every observed value
};

}  // namespace faultline::check
