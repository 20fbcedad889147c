#include "sim/trace_events.h"

#include <algorithm>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace faultline {

namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;

// Blocks of a huge page or more start on one, so the advice below covers all of them.
std::align_val_t alignment_for(std::size_t bytes) {
    return std::align_val_t{bytes >= huge_page ? huge_page : alignof(TraceEvent)};
}
}  // namespace

void TraceEvents::add_block() {
    const std::size_t k = blocks_.size();
    const std::size_t bytes = block_size(k) * sizeof(TraceEvent);
    void* memory = ::operator new(bytes, alignment_for(bytes));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    // Touched 4 KiB at a time, a stored trace's first-touch page faults cost more than recording
    // its events; Linux honours this advice in its default "madvise" mode. Before the first
    // touch, so it applies to every page.
    if (bytes >= huge_page) madvise(memory, bytes & ~(huge_page - 1), MADV_HUGEPAGE);
#endif
    blocks_.push_back(static_cast<TraceEvent*>(memory));
    next_ = blocks_.back();
    block_end_ = next_ + block_size(k);
}

void TraceEvents::clear() {
    for (std::size_t k = 0; k < blocks_.size(); ++k) {
        const std::size_t n = size_ > first_of(k) ? std::min(size_ - first_of(k), block_size(k)) : 0;
        for (std::size_t i = 0; i < n; ++i) blocks_[k][i].~TraceEvent();
        const std::size_t bytes = block_size(k) * sizeof(TraceEvent);
        ::operator delete(blocks_[k], bytes, alignment_for(bytes));
    }
    blocks_.clear();
    blocks_.shrink_to_fit();
    size_ = 0;
    next_ = nullptr;
    block_end_ = nullptr;
}

std::vector<TraceEvent> TraceEvents::to_vector() const {
    std::vector<TraceEvent> out;
    out.reserve(size_);
    for (const TraceEvent& e : *this) out.push_back(e);
    return out;
}

}  // namespace faultline
