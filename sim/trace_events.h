// TraceEvents: the events a stored trace keeps, in blocks that never move.
//
// A vector of events doubles and copies itself as it grows: at two million messages that is
// ~400 MB written twice, and the kernel zeroing the fresh pages was half of what tracing cost.
// Here block k holds 4096 * 2^k events and is allocated when the one before it is full, so an
// event is written once and never moved, and the memory asked for is at most twice what is kept.
// Blocks of 2 MiB and more are aligned to 2 MiB and advised for transparent huge pages. Memory
// layout only: nothing here can change a run.
//
// It reads like a const std::vector<TraceEvent>: size, empty, operator[], back, and iteration in
// order. to_vector() copies the events out, for whoever keeps them past the run.
#pragma once

#include "sim/trace_event.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>
#include <vector>

namespace faultline {

class TraceEvents {
public:
    TraceEvents() = default;
    TraceEvents(const TraceEvents&) = delete;
    TraceEvents& operator=(const TraceEvents&) = delete;
    ~TraceEvents() { clear(); }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    const TraceEvent& operator[](std::size_t i) const {
        std::size_t k = block_of(i);
        return blocks_[k][i - first_of(k)];
    }
    const TraceEvent& back() const { return (*this)[size_ - 1]; }

    // A fresh default event at the end, and a reference to it that stays valid.
    TraceEvent& emplace_back() {
        if (next_ == block_end_) add_block();
        ++size_;
        return *new (next_++) TraceEvent();
    }
    // Whether the next emplace_back needs a new block (Trace checks its bound only then).
    bool full() const { return next_ == block_end_; }

    // Destroys every event and gives the memory back.
    void clear();

    std::vector<TraceEvent> to_vector() const;

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = TraceEvent;
        using difference_type = std::ptrdiff_t;
        using pointer = const TraceEvent*;
        using reference = const TraceEvent&;

        const_iterator() = default;
        reference operator*() const { return *at_; }
        pointer operator->() const { return at_; }
        const_iterator& operator++() {
            if (++at_ == block_end_) {
                ++block_;
                at_ = events_->block_begin(block_);
                block_end_ = events_->block_end(block_);
            }
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.at_ == b.at_; }

    private:
        friend class TraceEvents;
        const_iterator(const TraceEvents* events, std::size_t block)
            : events_(events), block_(block), at_(events->block_begin(block)), block_end_(events->block_end(block)) {}
        const TraceEvents* events_ = nullptr;
        std::size_t block_ = 0;
        const TraceEvent* at_ = nullptr;
        const TraceEvent* block_end_ = nullptr;
    };

    const_iterator begin() const { return const_iterator(this, 0); }
    // Iteration ends past the last block, where an iterator's position is null.
    const_iterator end() const { return const_iterator(); }

private:
    static constexpr std::size_t first_block = 4096;
    // Block k holds events [first_block * (2^k - 1), first_block * (2^(k+1) - 1)).
    static std::size_t first_of(std::size_t k) { return first_block * ((std::size_t{1} << k) - 1); }
    static std::size_t block_of(std::size_t i) {
        return static_cast<std::size_t>(std::bit_width(i / first_block + 1)) - 1;
    }
    static std::size_t block_size(std::size_t k) { return first_block << k; }

    // The events of block k that exist, as a range (both null past the last block).
    const TraceEvent* block_begin(std::size_t k) const {
        return k < blocks_.size() && first_of(k) < size_ ? blocks_[k] : nullptr;
    }
    const TraceEvent* block_end(std::size_t k) const {
        if (k >= blocks_.size() || first_of(k) >= size_) return nullptr;
        std::size_t n = size_ - first_of(k);
        return blocks_[k] + (n < block_size(k) ? n : block_size(k));
    }
    void add_block();

    std::vector<TraceEvent*> blocks_;
    std::size_t size_ = 0;
    TraceEvent* next_ = nullptr;       // where the next event goes, in the last block
    TraceEvent* block_end_ = nullptr;  // the end of the last block
};

}  // namespace faultline
