// KeyState: one key's CRDT in a store configured with one type (entry.cpp's `type` option); each
// key is an independent instance. A value type: copy it, compare it, join it.
//
// The store dispatches client operations to the typed updates below; each returns the delta the
// state joins (and the store gossips). What each type serves, its value and its encoding:
//   g_counter     incr (amount >= 0), get: the sum as a decimal            g_counter.h
//   pn_counter    incr (any sign), get: the sum as a decimal               pn_counter.h
//   or_set        add, remove, get: check::set_value of the elements       or_set.h
//   lww_register  put, get: the value with the greatest stamp              lww_register.h
//   mv_register   put, get: every concurrent value (siblings), sorted      mv_register.h
// An empty state (nothing ever applied) reads as an absent key.
#pragma once

#include "check/history.h"
#include "protocols/crdt/g_counter.h"
#include "protocols/crdt/lww_register.h"
#include "protocols/crdt/mv_register.h"
#include "protocols/crdt/or_set.h"
#include "protocols/crdt/pn_counter.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faultline::crdt {

// In the order of KeyState's variant.
enum class CrdtType { g_counter, pn_counter, or_set, lww_register, mv_register };

std::string_view to_string(CrdtType type);
std::optional<CrdtType> parse_crdt_type(std::string_view name);
const std::vector<std::string>& crdt_type_names();
// The client operations a store of this type serves ("get" and its updates).
std::vector<std::string> operations_served(CrdtType type);
bool serves(CrdtType type, check::Function f);

class KeyState {
public:
    using Crdt = std::variant<GCounter, PnCounter, OrSet, LwwRegister, MvRegister>;

    explicit KeyState(CrdtType type);  // the empty state of the type
    CrdtType type() const { return static_cast<CrdtType>(crdt_.index()); }
    const Crdt& crdt() const { return crdt_; }

    // Deltas, for the types that serve the operation (asserted: the store checks serves() first).
    KeyState increment(const std::string& replica, int64_t amount) const;  // counters; g_counter: amount >= 0
    KeyState add(const std::string& replica, const std::string& element) const;
    // by_element: the planted bug's remove (OrSet::remove_by_element).
    KeyState remove(const std::string& replica, const std::string& element, bool by_element) const;
    KeyState put(const std::string& replica, int64_t clock_ns, const std::string& value) const;

    // Joins `other` (of the same type) in; returns whether this state changed.
    bool merge(const KeyState& other);
    // Whether `later` holds everything this state holds (this ⊑ later in the join order).
    bool covered_by(const KeyState& later) const;

    // The canonical value(s): one decimal or set value, the register's value (none before a put),
    // or an MV register's siblings.
    std::vector<std::string> values() const;
    bool empty() const;

    std::string encode() const;
    static std::optional<KeyState> decode(CrdtType type, std::string_view text);
    bool operator==(const KeyState&) const = default;

private:
    explicit KeyState(Crdt crdt) : crdt_(std::move(crdt)) {}
    Crdt crdt_;
};

}  // namespace faultline::crdt
