// EventQueue: the kernel's single queue, a binary min-heap ordered by (time, sequence).
//
// The sequence number is assigned by the kernel at push and is unique, so the order is total:
// two events at the same instant run in the order they were scheduled. Nothing else (addresses,
// hash order) can influence the order. Push and pop are O(log n).
#pragma once

#include "sim/assert.h"
#include "sim/time.h"

#include <cstdint>
#include <vector>

namespace faultline {

struct QueuedEvent {
    Instant at;
    uint64_t seq = 0;
    uint64_t a = 0;            // meaning depends on type (message slot, timer slot, action slot)
    uint64_t b = 0;            // (timer serial, pause generation, ...)
    uint32_t node = 0;
    uint32_t incarnation = 0;  // the node's incarnation the event belongs to
    uint8_t type = 0;
    uint8_t flags = 0;

    bool before(const QueuedEvent& o) const { return earlier(at, seq, o); }
    static bool earlier(Instant at, uint64_t seq, const QueuedEvent& o) { return at < o.at || (at == o.at && seq < o.seq); }
};

class EventQueue {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    const QueuedEvent& top() const { return heap_[0]; }

    // Hole sift-up: parents move down until `e` fits, then `e` is written once.
    void push(const QueuedEvent& e) { push(e, e.seq); }
    // The same with the sequence number given apart from the event. Always inlined (as is
    // World::push), so the event its caller builds reaches the heap without a round trip
    // through the stack: reloading it with wide loads across the caller's narrow stores stalled
    // on store forwarding, half the time of a send.
    [[gnu::always_inline]] void push(const QueuedEvent& e, uint64_t seq) {
        if (size_ == heap_.size()) grow();
        std::size_t i = size_++;
        while (i > 0) {
            std::size_t parent = (i - 1) / 2;
            if (!QueuedEvent::earlier(e.at, seq, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
        heap_[i].seq = seq;
    }

    QueuedEvent pop() {
        FL_ASSERT(size_ > 0, "pop from an empty event queue");
        QueuedEvent out = heap_[0];
        const std::size_t n = --size_;
        if (n > 0) {
            // Floyd: move the hole at the root down to a leaf along the earlier children (one
            // comparison a level), then sift the last event up from there (it belongs near the
            // bottom, so this is usually no step at all).
            std::size_t i = 0;
            while (true) {
                std::size_t child = 2 * i + 1;
                if (child + 1 < n) {
                    child += heap_[child + 1].before(heap_[child]);
                } else if (child >= n) {
                    break;
                }
                heap_[i] = heap_[child];
                i = child;
            }
            const QueuedEvent& last = heap_[n];
            while (i > 0) {
                std::size_t parent = (i - 1) / 2;
                if (!last.before(heap_[parent])) break;
                heap_[i] = heap_[parent];
                i = parent;
            }
            heap_[i] = heap_[n];
        }
        return out;
    }

    void clear() { size_ = 0; }

private:
    // Out of line and rare: the slots are made once, so a push only writes into one.
    [[gnu::noinline]] void grow() { heap_.resize(heap_.empty() ? 64 : 2 * heap_.size()); }

    std::vector<QueuedEvent> heap_;  // every slot exists; the first size_ are the heap
    std::size_t size_ = 0;
};

}  // namespace faultline
