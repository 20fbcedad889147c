// VisitedCache. See visited_cache.h.
#include "check/visited_cache.h"

#include <algorithm>
#include <cstring>

namespace faultline::check {
namespace {

constexpr std::size_t slots_initial = 16;
constexpr std::size_t chunk_words_first = 64;
constexpr std::size_t chunk_words_max = 1u << 18;  // 2 MiB

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
        if (slot.entry == nullptr) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].entry != nullptr) i = (i + 1) & mask;
        slots_[i] = slot;
    }
    pool_->release(old.size() * sizeof(Slot));
    bytes_ += bytes;
    bytes_ -= old.size() * sizeof(Slot);
    return true;
}

std::uint64_t* VisitedCache::allocate(std::size_t words) {
    if (chunk_words_capacity_ - chunk_words_used_ < words) {
        std::size_t capacity = chunks_.empty() ? chunk_words_first : std::min(chunk_words_capacity_ * 2, chunk_words_max);
        capacity = std::max(capacity, words);
        if (!pool_->try_reserve(capacity * sizeof(std::uint64_t))) return nullptr;
        bytes_ += capacity * sizeof(std::uint64_t);
        chunks_.push_back(std::make_unique<std::uint64_t[]>(capacity));
        chunk_words_capacity_ = capacity;
        chunk_words_used_ = 0;
    }
    std::uint64_t* out = chunks_.back().get() + chunk_words_used_;
    chunk_words_used_ += words;
    return out;
}

bool VisitedCache::insert_if_new(const std::uint64_t* bits, std::uint64_t set_hash, std::uint32_t state) {
    std::uint64_t hash = set_hash ^ mix(state + 0x9e3779b97f4a7c15ULL);
    std::size_t lead = 0;
    while (lead < words_per_set_ && bits[lead] == ~0ULL) ++lead;
    std::size_t end = words_per_set_;
    while (end > lead && bits[end - 1] == 0) --end;
    std::size_t mixed = end - lead;
    std::uint64_t header = (static_cast<std::uint64_t>(lead) << 32) | mixed;
    if (!slots_.empty()) {
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask; slots_[i].entry != nullptr; i = (i + 1) & mask) {
            const Slot& slot = slots_[i];
            if (slot.hash == hash && slot.state == state && slot.entry[0] == header &&
                std::memcmp(slot.entry + 1, bits + lead, mixed * sizeof(std::uint64_t)) == 0) {
                return false;
            }
        }
    }
    if (saturated_) return true;
    if ((entries_ + 1) * 2 > slots_.size() && !grow_slots()) {
        saturated_ = true;
        return true;
    }
    std::uint64_t* entry = allocate(1 + mixed);
    if (entry == nullptr) {
        saturated_ = true;
        return true;
    }
    entry[0] = header;
    std::memcpy(entry + 1, bits + lead, mixed * sizeof(std::uint64_t));
    std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].entry != nullptr) i = (i + 1) & mask;
    slots_[i] = Slot{hash, entry, state};
    ++entries_;
    CHECKER_ASSERT(entries_ * 2 <= slots_.size(), "VisitedCache load factor above 1/2");
    return true;
}

}  // namespace faultline::check
