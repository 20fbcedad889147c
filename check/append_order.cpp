// AppendOrder. See append_order.h.
#include "check/append_order.h"

#include <algorithm>

namespace faultline::check {
namespace {

std::uint64_t mix(std::uint64_t hash, std::uint64_t length) {
    std::uint64_t z = hash ^ (length * 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The key's states change only by appends and swaps (append_order.h): no put, counter or set.
bool covered(const std::vector<Operation>& ops) {
    bool changes_by_append_or_cas = false;
    for (const Operation& op : ops) {
        if (op.f == Function::put || op.f == Function::incr || op.f == Function::add || op.f == Function::remove) return false;
        if (op.f == Function::append || op.f == Function::cas) changes_by_append_or_cas = true;
    }
    return changes_by_append_or_cas;
}

}  // namespace

bool AppendOrder::observes_exactly(const Operation& op) {
    if (!op.output_known()) return false;
    return op.f == Function::get || (op.f == Function::cas && op.cas_swapped);
}

AppendOrder::AppendOrder(const std::vector<Operation>& ops, MemoryPool* pool, bool wanted) : pool_(pool) {
    if (!wanted || !covered(ops)) return;
    std::vector<const std::string*> observed;
    std::uint64_t total = 0;
    for (const Operation& op : ops) {
        const Value* v = nullptr;
        if (op.f == Function::get && op.output_known()) v = &op.output;
        if (op.f == Function::cas && (!op.output_known() || op.cas_swapped)) v = &op.expected;
        if (v && *v) {
            observed.push_back(&**v);
            total += (*v)->size();
        }
    }
    bytes_ = total * sizeof(std::uint64_t);
    if (!pool_->try_reserve(bytes_)) {
        bytes_ = 0;
        return;
    }
    prefixes_.reserve(total);
    for (const std::string* text : observed) {
        std::uint64_t hash = 0;
        std::uint64_t length = 0;
        for (unsigned char c : *text) {
            hash = hash * StateTable::hash_base + c + 1;
            prefixes_.push_back(mix(hash, ++length));
        }
    }
    std::sort(prefixes_.begin(), prefixes_.end());
    prefixes_.erase(std::unique(prefixes_.begin(), prefixes_.end()), prefixes_.end());
    enabled_ = true;
}

AppendOrder::~AppendOrder() { pool_->release(bytes_); }

bool AppendOrder::observable(const StateTable& states, std::uint32_t id) const {
    if (!enabled_ || id == StateTable::absent) return true;
    std::uint64_t length = states.length_of(id);
    if (length == 0) return true;  // "" starts every value
    return std::binary_search(prefixes_.begin(), prefixes_.end(), mix(states.hash_of(id), length));
}

}  // namespace faultline::check
