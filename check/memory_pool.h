// MemoryPool: the byte budget shared by every search of one check.
//
// Budgets count bytes, never wall-clock time, so a check gives the same verdict on every machine.
// Each cache and state table reserves bytes before it allocates them; when a reservation is
// refused the owner degrades (a cache stops memoising) or stops (the key's verdict is unknown),
// so a check never runs the machine out of memory. Accounting is approximate by design (container
// headers are ignored) but counts every payload that grows with the search.
#pragma once

#include <cstdint>

#include "check/check_assert.h"

namespace faultline::check {

class MemoryPool {
  public:
    explicit MemoryPool(std::uint64_t bytes_max) : bytes_max_(bytes_max) {}
    MemoryPool(const MemoryPool&) = delete;
    MemoryPool& operator=(const MemoryPool&) = delete;
    ~MemoryPool() { CHECKER_ASSERT(bytes_used_ == 0, "MemoryPool destroyed while searches still hold bytes"); }

    bool try_reserve(std::uint64_t bytes) {
        if (bytes > bytes_max_ - bytes_used_) return false;
        bytes_used_ += bytes;
        if (bytes_used_ > bytes_used_max_) bytes_used_max_ = bytes_used_;
        return true;
    }
    void release(std::uint64_t bytes) {
        CHECKER_ASSERT(bytes <= bytes_used_, "MemoryPool: releasing more bytes than reserved");
        bytes_used_ -= bytes;
    }
    std::uint64_t bytes_used() const { return bytes_used_; }
    std::uint64_t bytes_used_max() const { return bytes_used_max_; }
    std::uint64_t bytes_max() const { return bytes_max_; }

  private:
    std::uint64_t bytes_max_;
    std::uint64_t bytes_used_ = 0;
    std::uint64_t bytes_used_max_ = 0;
};

}  // namespace faultline::check
