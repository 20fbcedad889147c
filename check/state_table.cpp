// StateTable. See state_table.h.
#include "check/state_table.h"

#include "check/model.h"

namespace faultline::check {
namespace {
// Rough per-entry overhead of the vectors and hash maps, so accounting tracks real growth.
constexpr std::uint64_t entry_overhead_bytes = 96;
constexpr std::uint64_t base = StateTable::hash_base;
}  // namespace

StateTable::StateTable(MemoryPool* pool) : pool_(pool) {
    CHECKER_ASSERT(pool != nullptr, "StateTable needs a MemoryPool");
    entries_.push_back({});  // id 0: absent (appends treat it as "", but it is not the value "")
}

StateTable::~StateTable() { pool_->release(bytes_); }

void StateTable::append_text(std::uint32_t id, std::string* out) const {
    // Iterative over the left spine (appends nest to the left); tails are short.
    std::vector<std::uint32_t> tails;
    while (entries_[id].node) {
        tails.push_back(entries_[id].tail);
        id = entries_[id].head;
    }
    if (entries_[id].text) *out += *entries_[id].text;
    for (auto it = tails.rbegin(); it != tails.rend(); ++it) append_text(*it, out);
}

Value StateTable::value(std::uint32_t id) const {
    if (id == absent) return std::nullopt;
    std::string out;
    append_text(id, &out);
    return out;
}

bool StateTable::same_text(std::uint32_t id, const std::string& text) const {
    if (entries_[id].length != text.size()) return false;
    if (!entries_[id].node) return *entries_[id].text == text;
    std::string mine;
    append_text(id, &mine);
    return mine == text;
}

std::uint32_t StateTable::add(Entry entry) {
    CHECKER_ASSERT(entries_.size() < UINT32_MAX, "StateTable: more than 2^32 distinct states");
    auto id = static_cast<std::uint32_t>(entries_.size());
    by_hash_.emplace(entry.hash, id);
    entries_.push_back(std::move(entry));
    return id;
}

bool StateTable::intern(const Value& value, std::uint32_t* id) {
    if (!value) {
        *id = absent;
        return true;
    }
    Entry entry;
    for (unsigned char c : *value) {
        entry.hash = entry.hash * base + c + 1;
        entry.power *= base;
    }
    entry.length = value->size();
    auto [begin, end] = by_hash_.equal_range(entry.hash);
    for (auto it = begin; it != end; ++it) {
        if (same_text(it->second, *value)) {
            *id = it->second;
            return true;
        }
    }
    std::uint64_t bytes = value->size() + entry_overhead_bytes;
    if (!pool_->try_reserve(bytes)) return false;
    bytes_ += bytes;
    entry.text = value;
    *id = add(std::move(entry));
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
    if (auto memo = appended_.find(memo_key); memo != appended_.end()) {
        *next = memo->second;
        return Outcome::legal;
    }
    const Entry& head = entries_[state];
    const Entry& tail = entries_[suffix];
    Entry joined;
    joined.hash = head.hash * tail.power + tail.hash;
    joined.power = head.power * tail.power;
    joined.length = head.length + tail.length;
    joined.node = true;
    joined.head = state;
    joined.tail = suffix;
    // The same string may already exist: as a leaf (a value read), or as a node with other parts.
    std::optional<std::uint32_t> found;
    auto [begin, end] = by_hash_.equal_range(joined.hash);
    for (auto it = begin; it != end && !found; ++it) {
        const Entry& other = entries_[it->second];
        if (other.length != joined.length) continue;
        if (other.node && other.head == state && other.tail == suffix) {
            found = it->second;
        } else {
            std::string text;
            append_text(state, &text);
            append_text(suffix, &text);
            if (same_text(it->second, text)) found = it->second;
        }
    }
    std::uint64_t bytes = 2 * entry_overhead_bytes;
    if (!pool_->try_reserve(bytes)) return Outcome::out_of_memory;
    bytes_ += bytes;
    *next = found ? *found : add(std::move(joined));
    appended_.emplace(memo_key, *next);
    return Outcome::legal;
}

StateTable::Outcome StateTable::update(std::uint32_t state, const CompiledStep& op, std::uint32_t* next) {
    const StepResult r = step_update(op.f, value(state), value(op.value));
    if (!r.legal) return Outcome::illegal;
    return intern(r.next, next) ? Outcome::legal : Outcome::out_of_memory;
}

}  // namespace faultline::check
