// VisitedCache. See visited_cache.h.
#include "sim/check/visited_cache.h"

#include <algorithm>
#include <cstring>

namespace faultline::check {
namespace {

constexpr std::size_t slots_initial = 16;
constexpr std::size_t chunk_sets_first = 16;
constexpr std::size_t chunk_sets_max = 4096;

std::uint64_t mix(std::uint64_t x) {
    // splitmix64 finaliser: spreads the state id into all bits before it meets the set hash.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace

VisitedCache::VisitedCache(std::size_t words_per_set, MemoryPool* pool) : words_per_set_(words_per_set), pool_(pool) {
    CHECKER_ASSERT(words_per_set >= 1, "VisitedCache needs at least one word per set");
    CHECKER_ASSERT(pool != nullptr, "VisitedCache needs a MemoryPool");
}

VisitedCache::~VisitedCache() { pool_->release(bytes_); }

bool VisitedCache::grow_slots() {
    std::size_t capacity = slots_.empty() ? slots_initial : slots_.size() * 2;
    std::uint64_t bytes = capacity * sizeof(Slot);
    if (!pool_->try_reserve(bytes)) return false;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    std::size_t mask = capacity - 1;
    for (const Slot& slot : old) {
        if (slot.bits == nullptr) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].bits != nullptr) i = (i + 1) & mask;
        slots_[i] = slot;
    }
    pool_->release(old.size() * sizeof(Slot));
    bytes_ += bytes;
    bytes_ -= old.size() * sizeof(Slot);
    return true;
}

std::uint64_t* VisitedCache::allocate_set() {
    if (chunk_sets_used_ == chunk_sets_capacity_) {
        std::size_t sets = chunks_.empty() ? chunk_sets_first : std::min(chunk_sets_capacity_ * 2, chunk_sets_max);
        std::uint64_t bytes = sets * words_per_set_ * sizeof(std::uint64_t);
        if (!pool_->try_reserve(bytes)) return nullptr;
        bytes_ += bytes;
        chunks_.push_back(std::make_unique<std::uint64_t[]>(sets * words_per_set_));
        chunk_sets_capacity_ = sets;
        chunk_sets_used_ = 0;
    }
    std::uint64_t* set = chunks_.back().get() + chunk_sets_used_ * words_per_set_;
    ++chunk_sets_used_;
    return set;
}

bool VisitedCache::insert_if_new(const std::uint64_t* bits, std::uint64_t set_hash, std::uint32_t state) {
    std::uint64_t hash = set_hash ^ mix(state + 0x9e3779b97f4a7c15ULL);
    if (!slots_.empty()) {
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask; slots_[i].bits != nullptr; i = (i + 1) & mask) {
            const Slot& slot = slots_[i];
            if (slot.hash == hash && slot.state == state &&
                std::memcmp(slot.bits, bits, words_per_set_ * sizeof(std::uint64_t)) == 0) {
                return false;
            }
        }
    }
    if (saturated_) return true;
    if ((entries_ + 1) * 2 > slots_.size() && !grow_slots()) {
        saturated_ = true;
        return true;
    }
    std::uint64_t* set = allocate_set();
    if (set == nullptr) {
        saturated_ = true;
        return true;
    }
    std::memcpy(set, bits, words_per_set_ * sizeof(std::uint64_t));
    std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].bits != nullptr) i = (i + 1) & mask;
    slots_[i] = Slot{hash, set, state};
    ++entries_;
    CHECKER_ASSERT(entries_ * 2 <= slots_.size(), "VisitedCache load factor above 1/2");
    return true;
}

}  // namespace faultline::check
