// StateTable: interned model states, so the search compares and hashes integers, not strings.
//
// Every Value the search meets (the initial absent state, each put/append/cas argument, each value
// read, each appended result) gets a dense id; id 0 is `absent`. Two states are equal iff their
// ids are equal. CompiledStep is an Operation with its values replaced by ids, and step() is
// Model::step (model.h) on ids: integer comparisons for get/put/cas, a memoised concatenation for
// append. The brute-force oracle uses Model::step directly, so the two are checked against each
// other by tests/check/search_vs_oracle_test.cpp.
//
// Appended states are not stored as strings: an id made by append is a node (state, suffix), with
// a polynomial hash and length combined from its parts in O(1). A concatenation is looked up by
// that hash and recognised by its parts, so a history of thousands of appends (states kilobytes
// long) never copies or rehashes a long string; text is built only to compare with a value read
// or to report a state. Ids stay canonical: one string, one id, however it was reached.
//
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "check/history.h"
#include "check/memory_pool.h"

namespace faultline::check {

struct CompiledStep {
    Function f = Function::get;
    bool output_known = false;
    bool cas_swapped = false;
    std::uint32_t value = 0;     // put/append argument, cas new value
    std::uint32_t expected = 0;  // cas
    std::uint32_t output = 0;    // get
};

class StateTable {
  public:
    static constexpr std::uint32_t absent = 0;

    explicit StateTable(MemoryPool* pool);
    ~StateTable();
    StateTable(const StateTable&) = delete;
    StateTable& operator=(const StateTable&) = delete;

    // Interns `value`; false if the pool refused the bytes.
    bool intern(const Value& value, std::uint32_t* id);
    bool compile(const Operation& op, CompiledStep* step);
    Value value(std::uint32_t id) const;

    enum class Outcome { illegal, legal, out_of_memory };
    // Model::step on interned states. Unordered containers are used only for lookup here; nothing
    // iterates them, so their order cannot reach a result.
    Outcome step(std::uint32_t state, const CompiledStep& op, std::uint32_t* next) {
        switch (op.f) {
            case Function::get:
                *next = state;
                return !op.output_known || op.output == state ? Outcome::legal : Outcome::illegal;
            case Function::put: *next = op.value; return Outcome::legal;
            case Function::cas: {
                bool matches = state == op.expected;
                *next = matches ? op.value : state;
                if (!op.output_known) return Outcome::legal;
                return matches == op.cas_swapped ? Outcome::legal : Outcome::illegal;
            }
            case Function::append: return append(state, op.value, next);
            case Function::incr:
            case Function::add:
            case Function::remove: return update(state, op, next);
        }
        return Outcome::illegal;
    }

    std::uint64_t bytes() const { return bytes_; }

    // The polynomial hash and length of a state's text (absent: 0, 0): a string's hash is
    // h = h * hash_base + byte + 1 over its bytes, so a prefix's hash can be matched without text.
    static constexpr std::uint64_t hash_base = 0x100000001b3ULL;  // odd; equal hashes are then compared exactly
    std::uint64_t hash_of(std::uint32_t id) const { return entries_[id].hash; }
    std::uint64_t length_of(std::uint32_t id) const { return entries_[id].length; }

  private:
    Outcome append(std::uint32_t state, std::uint32_t suffix, std::uint32_t* next);
    // incr, add, remove: through the model's rule on the materialized values (step_update).
    Outcome update(std::uint32_t state, const CompiledStep& op, std::uint32_t* next);

    // One interned state. A leaf holds its text; a node is the concatenation of two ids. Hash and
    // power (base^length) let a concatenation's hash come from its parts.
    struct Entry {
        std::uint64_t hash = 0;
        std::uint64_t power = 1;
        std::uint64_t length = 0;
        std::uint32_t head = 0, tail = 0;  // node parts; both 0 for a leaf
        bool node = false;
        Value text;                         // leaf only; std::nullopt for absent
    };
    void append_text(std::uint32_t id, std::string* out) const;
    bool same_text(std::uint32_t id, const std::string& text) const;
    std::uint32_t add(Entry entry);

    MemoryPool* pool_;
    std::vector<Entry> entries_;
    std::unordered_multimap<std::uint64_t, std::uint32_t> by_hash_;  // hash -> ids (never absent)
    std::unordered_map<std::uint64_t, std::uint32_t> appended_;  // (state << 32 | suffix) -> result
    std::uint64_t bytes_ = 0;
};

}  // namespace faultline::check
