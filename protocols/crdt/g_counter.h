// GCounter: a grow-only counter (Shapiro et al., "A comprehensive study of Convergent and
// Commutative Replicated Data Types", 2011, §3.1.1), state-based.
//
// State: one count per replica, the sum of the increments that replica applied. Only the replica
// itself raises its own entry, so two states never disagree about an entry except by how much of
// it they have heard: the join takes each entry's maximum, which is commutative, associative and
// idempotent, and the value (the sum of the entries) only grows.
//
// Updates are delta-mutators (Almeida, Shoker and Baquero, "Delta state replicated data types",
// 2018): increment() returns the small state that, joined into this one, applies the increment
// (the replica's new entry alone); a store joins it here and ships it to its peers.
#pragma once

#include "protocols/crdt/text_codec.h"

#include <optional>
#include <string>
#include <string_view>

namespace faultline::crdt {

class GCounter {
public:
    // The delta of `replica` adding `amount` (its new entry; empty for 0).
    GCounter increment(const std::string& replica, uint64_t amount) const;
    // Joins `other` in (pointwise maximum); returns whether this state changed.
    bool merge(const GCounter& other);

    uint64_t total() const;
    std::string value() const { return std::to_string(total()); }  // check/model.h: decimal
    bool empty() const { return counts_.empty(); }
    const ReplicaCounts& counts() const { return counts_; }

    std::string encode() const { return encode_counts(counts_); }
    static std::optional<GCounter> decode(std::string_view text);
    bool operator==(const GCounter&) const = default;

private:
    ReplicaCounts counts_;  // no zero entries
};

}  // namespace faultline::crdt
