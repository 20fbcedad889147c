// OrSet: an add-wins observed-remove set (Shapiro et al. 2011, §3.3.5; the tombstone-free
// "optimized OR-Set" of Bieniusa et al. 2012, as a delta CRDT in Almeida et al. 2018, §7.2).
//
// State: a DotKernel whose entries are the elements, each under the dot (replica, n) of the add
// that put it there (a unique tag), plus the causal context of every dot seen.
//   add(e)     a fresh dot for e; the delta also drops the dots of e this replica holds (they are
//              in the delta's context), so a replica holds e under one dot of its own;
//   remove(e)  drops exactly the dots of e this replica holds (observed): the delta is their dots
//              as context, no entries. An add this replica has not seen keeps its dot, which no
//              context covers, so after the join e is there: a concurrent add wins.
// The value is the set of elements holding at least one dot.
//
// The planted bug (orset_remove_loses_concurrent_adds, remove_by_element): the remove records a
// tombstone for the element itself, under a dot of its own, and an element with a live tombstone
// is absent whatever its adds. A later add that has seen the tombstone drops it (its context
// covers it), but an add concurrent with the remove cannot have: the tombstone hides it, so the
// add is lost after the join (the remove wins). The state still joins like the real one
// (replicas converge); what goes wrong is the value.
#pragma once

#include "protocols/crdt/dot_kernel.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::crdt {

class OrSet {
public:
    struct Entry {
        std::string element;
        bool tombstone = false;  // only with the planted bug
        auto operator<=>(const Entry&) const = default;
    };

    // Deltas (join them into this state to apply the update).
    OrSet add(const std::string& replica, const std::string& element) const;
    OrSet remove(const std::string& element) const;
    OrSet remove_by_element(const std::string& replica, const std::string& element) const;  // the bug
    bool merge(const OrSet& other) { return kernel_.merge(other.kernel_); }

    std::vector<std::string> elements() const;  // sorted
    std::string value() const;                  // check::set_value(elements())
    bool empty() const { return kernel_.empty(); }
    const DotKernel<Entry>& kernel() const { return kernel_; }

    // "<dot>=+<element>,<dot>=-<tombstoned element>,...|<context>" (DotContext::encode).
    std::string encode() const;
    static std::optional<OrSet> decode(std::string_view text);
    bool operator==(const OrSet&) const = default;

private:
    // The delta dropping every dot of `element` this replica holds (adds and tombstones).
    OrSet observed(const std::string& element) const;

    DotKernel<Entry> kernel_;
};

}  // namespace faultline::crdt
