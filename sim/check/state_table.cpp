// StateTable. See state_table.h.
#include "sim/check/state_table.h"

namespace faultline::check {
namespace {
// Rough per-entry overhead of the vectors and hash maps, so accounting tracks real growth.
constexpr std::uint64_t entry_overhead_bytes = 96;
}  // namespace

StateTable::StateTable(MemoryPool* pool) : pool_(pool) {
    CHECKER_ASSERT(pool != nullptr, "StateTable needs a MemoryPool");
    values_.push_back(std::nullopt);  // id 0: absent
}

StateTable::~StateTable() { pool_->release(bytes_); }

bool StateTable::intern(const Value& value, std::uint32_t* id) {
    if (!value) {
        *id = absent;
        return true;
    }
    auto found = ids_.find(*value);
    if (found != ids_.end()) {
        *id = found->second;
        return true;
    }
    std::uint64_t bytes = 2 * value->size() + entry_overhead_bytes;
    if (!pool_->try_reserve(bytes)) return false;
    bytes_ += bytes;
    CHECKER_ASSERT(values_.size() < UINT32_MAX, "StateTable: more than 2^32 distinct states");
    *id = static_cast<std::uint32_t>(values_.size());
    values_.push_back(value);
    ids_.emplace(*value, *id);
    return true;
}

bool StateTable::compile(const Operation& op, CompiledStep* step) {
    CHECKER_ASSERT(op.completion != Completion::fail, "failed operations are dropped before the search");
    step->f = op.f;
    step->output_known = op.output_known();
    step->cas_swapped = op.cas_swapped;
    return intern(op.value, &step->value) && intern(op.expected, &step->expected) && intern(op.output, &step->output);
}

StateTable::Outcome StateTable::append(std::uint32_t state, std::uint32_t suffix, std::uint32_t* next) {
    std::uint64_t memo_key = (static_cast<std::uint64_t>(state) << 32) | suffix;
    auto found = appended_.find(memo_key);
    if (found != appended_.end()) {
        *next = found->second;
        return Outcome::legal;
    }
    const Value& head = values_[state];
    const Value& tail = values_[suffix];
    Value joined = head.value_or(std::string()) + tail.value_or(std::string());
    if (!intern(joined, next)) return Outcome::out_of_memory;
    if (!pool_->try_reserve(entry_overhead_bytes)) return Outcome::out_of_memory;
    bytes_ += entry_overhead_bytes;
    appended_.emplace(memo_key, *next);
    return Outcome::legal;
}

}  // namespace faultline::check
