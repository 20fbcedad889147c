// VisitedCache: the memo of configurations the linearizability search has already explored.
//
// A configuration is (set of linearized operations, model state), Lowe 2017 §3 ("Testing for
// linearisability"): if the search reaches the same configuration twice, the second visit cannot
// succeed where the first failed, so it is pruned. Sets are bitsets of `words_per_set` uint64
// words; the caller supplies the set's hash (maintained incrementally, Zobrist style) and the
// state id. Lookups compare the full set, so a hash collision never prunes wrongly.
//
// Storage: open addressing with linear probing over 24-byte slots (load factor <= 1/2). Sets are
// stored compressed: the search linearizes roughly in invocation order, so a set is a run of
// all-ones words, a few mixed words, then zeros; an entry keeps one header word (count of leading
// all-ones words, count of mixed words) and the mixed words only. That keeps a 10,000-operation key
// at a few words per entry instead of 157. Entries live in geometrically growing chunks that are
// never moved. Every byte is reserved from a MemoryPool
// first. When a reservation is refused the cache becomes `saturated`: it keeps what it holds and
// stops recording; the search stays correct, it just prunes less.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "check/memory_pool.h"

namespace faultline::check {

class VisitedCache {
  public:
    VisitedCache(std::size_t words_per_set, MemoryPool* pool);
    ~VisitedCache();
    VisitedCache(const VisitedCache&) = delete;
    VisitedCache& operator=(const VisitedCache&) = delete;

    // True if (bits, state) had not been seen: it is now recorded, or, when memory ran out, not
    // recorded (saturated() turns true). False if it was seen before.
    bool insert_if_new(const std::uint64_t* bits, std::uint64_t set_hash, std::uint32_t state);

    std::size_t entries() const { return entries_; }
    std::uint64_t bytes() const { return bytes_; }
    bool saturated() const { return saturated_; }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        const std::uint64_t* entry = nullptr;  // header word, then the mixed words; nullptr = empty
        std::uint32_t state = 0;
    };
    bool grow_slots();
    std::uint64_t* allocate(std::size_t words);

    std::size_t words_per_set_;
    MemoryPool* pool_;
    std::vector<Slot> slots_;
    std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
    std::size_t chunk_words_capacity_ = 0;  // words the newest chunk holds
    std::size_t chunk_words_used_ = 0;      // words used in the newest chunk
    std::size_t entries_ = 0;
    std::uint64_t bytes_ = 0;              // reserved from pool_
    bool saturated_ = false;
};

}  // namespace faultline::check
