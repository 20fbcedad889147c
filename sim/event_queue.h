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

    bool before(const QueuedEvent& o) const { return at < o.at || (at == o.at && seq < o.seq); }
};

class EventQueue {
public:
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    const QueuedEvent& top() const { return heap_.front(); }

    void push(const QueuedEvent& e) {
        heap_.push_back(e);
        std::size_t i = heap_.size() - 1;
        while (i > 0) {
            std::size_t parent = (i - 1) / 2;
            if (!heap_[i].before(heap_[parent])) break;
            std::swap(heap_[i], heap_[parent]);
            i = parent;
        }
    }

    QueuedEvent pop() {
        FL_ASSERT(!heap_.empty(), "pop from an empty event queue");
        QueuedEvent out = heap_.front();
        QueuedEvent last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) {
            // Hole sift-down: move children up until `last` fits.
            std::size_t i = 0, n = heap_.size();
            while (true) {
                std::size_t child = 2 * i + 1;
                if (child >= n) break;
                if (child + 1 < n && heap_[child + 1].before(heap_[child])) ++child;
                if (!heap_[child].before(last)) break;
                heap_[i] = heap_[child];
                i = child;
            }
            heap_[i] = last;
        }
        return out;
    }

    void clear() { heap_.clear(); }

private:
    std::vector<QueuedEvent> heap_;
};

}  // namespace faultline
