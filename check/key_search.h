// KeySearch: the Wing–Gong / Lowe linearizability search for the operations of ONE key.
//
// Algorithm (Wing & Gong 1993; Lowe 2017 "Testing for linearisability" §3; as in Porcupine):
// every operation contributes a call entry and a return entry to a doubly linked list in
// real-time order (event index). The search scans calls from the head; a call whose operation is
// legal in the current state is `lifted` (both entries unlinked, pushed on a stack with the state
// before it) and the scan restarts at the head. Reaching a return entry means that operation had
// to be linearized by now and was not: pop the last lifted call, `unlift` it, and try the next
// candidate after it. Configurations (set of linearized ops, state) already explored are pruned
// through VisitedCache.
//
// Info operations (outcome unknown) have their return entry at the very end, after every ok
// return, so they never force anything. When the scan's first return entry is an info return,
// every remaining operation is info and may simply never have happened: the history is
// linearizable. Callers drop `fail` operations and info gets (no effect, no constraint) first.
//
// Read-only pruning: a get with a known output, or a cas whose compare failed, leaves the state
// unchanged. If such an op is legal in configuration C, any linearization from C can be rewritten
// to start with it (it changes no state, and being a candidate means no pending op had to precede
// it). So when the search backtracks over a read-only op, C itself has failed: it keeps
// backtracking instead of trying C's other candidates. This removes the interleavings of reads
// with each other and with writes that make highly concurrent histories expensive.
//
// Twin pruning (symmetry): two operations with the same effect on every state and the same
// observation (twins: puts or appends of one value, gets that read one value, cas with the same
// expected, new value and outcome) are interchangeable, except that the one whose return comes
// first has the tighter deadline. If both are candidates, lifting the later-returning twin is
// dominated: any continuation that works after it works, with the two swapped, after the earlier
// one (same state; the earlier one's deadline is met where the later one stood, and the later
// one's is looser). So among the unlinearized twins, only the one with the earliest return may be
// lifted while it is a candidate. With 50 clients writing 5 values this cuts the branching from
// the number of pending writes to the number of distinct values.
//
// Append-order pruning (append_order.h): on a key whose state changes only by appends and swaps,
// an append or swap whose result no observed value starts with is not tried while an operation
// that observes the state exactly is still to be linearized. Appends are thus tried in the order
// the reads spell out, and an append nobody read only once nothing is left to read it.
//
// The search is resumable: run(steps) continues where the previous call stopped, so the scheduler
// in checker.cpp can give keys growing slices round-robin without repeating work. A step is one
// iteration of the scan loop; counting steps (not time) keeps verdicts machine-independent.
//
// Invariants: the lifted stack holds ops in linearization order and its states replay the model
// from the initial state; `linearized_` has exactly the stacked ops' bits; `set_hash_` is the XOR of
// their Zobrist codes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "check/append_order.h"
#include "check/history.h"
#include "check/memory_pool.h"
#include "check/model.h"
#include "check/state_table.h"
#include "check/visited_cache.h"

namespace faultline::check {

class KeySearch {
  public:
    enum class Status { searching, linearizable, not_linearizable, out_of_memory };

    // `ops`: one key's operations, no fail operations. The model must support every one.
    // `shared_states`, when given, interns states across searches (the counterexample shrinker
    // asks hundreds of questions about the same key); it must outlive this search.
    // `order`: append-order pruning (off only to measure or test the search without it).
    enum class Pruning { append_order, none };
    KeySearch(const Model& model, std::vector<Operation> ops, MemoryPool* pool, StateTable* shared_states = nullptr,
              Pruning order = Pruning::append_order);
    KeySearch(const KeySearch&) = delete;
    KeySearch& operator=(const KeySearch&) = delete;

    // Runs at most `steps_max` more steps; returns the status afterwards.
    Status run(std::uint64_t steps_max);

    Status status() const { return status_; }
    std::uint64_t steps() const { return steps_; }
    std::size_t cache_entries() const { return cache_.entries(); }
    std::uint64_t memory_bytes() const { return cache_.bytes() + states_->bytes(); }
    bool cache_saturated() const { return cache_.saturated(); }
    const std::vector<Operation>& operations() const { return ops_; }

    // The longest sequence of operations linearized at any point so far, in linearization order
    // (OpIds of the input operations), and the model state after it.
    std::vector<OpId> longest_prefix() const;
    std::size_t longest_prefix_length() const { return best_.size(); }
    Value state_after_longest_prefix() const { return states_->value(best_state_); }

  private:
    struct Lifted {
        std::int32_t call_entry;
        std::uint32_t state_before;
    };
    void lift(std::int32_t call);
    void unlift(std::int32_t call);
    void record_prefix();
    // Twin pruning (see header comment): false if an earlier-returning twin of `op` is a candidate.
    bool may_lift(std::int32_t op) const;
    void find_first_return();
    // Pops lifted ops (see read-only pruning); false when the search has failed at the root.
    bool backtrack();

    std::vector<Operation> ops_;
    std::unique_ptr<StateTable> own_states_;
    StateTable* states_;
    VisitedCache cache_;
    std::vector<CompiledStep> steps_of_op_;
    std::vector<std::uint64_t> zobrist_;
    // Entry list. Entry 0 is the head sentinel; -1 ends the list.
    std::vector<std::int32_t> next_, prev_, match_, op_of_;
    std::vector<std::uint8_t> is_call_, is_info_return_;
    std::vector<std::uint8_t> read_only_;  // per op: legal => state unchanged (see header comment)
    AppendOrder order_;
    std::vector<std::uint8_t> observes_exactly_;  // per op: AppendOrder::observes_exactly
    std::size_t observers_pending_ = 0;           // of those, not linearized
    // Twins: per op its group and rank there; per group its members by return entry and the rank
    // of the first member not linearized (all members before it are linearized).
    std::vector<std::int32_t> twin_group_, twin_rank_, call_entry_;
    std::vector<std::vector<std::int32_t>> twins_;
    std::vector<std::uint32_t> twin_cursor_;
    std::int32_t first_return_ = 0;  // entry number of the first return entry in the list
    // Each configuration is scanned twice: read-only candidates first, then the others (see
    // read-only pruning in the header comment).
    bool reads_first_ = true;
    std::vector<std::uint64_t> linearized_;
    std::uint64_t set_hash_ = 0;
    std::vector<Lifted> stack_;
    std::uint32_t state_ = StateTable::absent;
    std::int32_t entry_ = 0;
    std::uint64_t steps_ = 0;
    Status status_ = Status::searching;
    // Longest prefix: best_ holds op indices; stack_[0..best_common_) equals best_[0..best_common_).
    std::vector<std::int32_t> best_;
    std::size_t best_common_ = 0;
    std::uint32_t best_state_ = StateTable::absent;
};

}  // namespace faultline::check
