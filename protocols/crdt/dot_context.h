// Dots and causal contexts: the bookkeeping of the observed-remove CRDTs (OR-Set, MV-Register).
//
// A dot (replica, n) names the n-th update replica made to one key: unique, because a replica
// numbers its own updates and a replica id is never reused (the store gives every incarnation of
// a node a new one, server.h). A causal context is the set of dots a state has seen, whether or
// not it still holds what they added: that is what lets a join tell "never heard of it" (keep
// the other side's entry) from "saw it and removed it" (drop it) without tombstones.
//
// Representation (Almeida et al. 2018, §5, "compact causal context"): a version vector for the
// contiguous prefix of each replica's dots, plus a "cloud" of the dots seen above the prefix
// (a delta carries only the dots it created or removed, so contexts are not always contiguous).
// compact() folds cloud dots into the prefix as soon as they join it, so one set of dots has one
// representation, and == compares sets.
#pragma once

#include "protocols/crdt/text_codec.h"

#include <compare>
#include <iterator>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace faultline::crdt {

struct Dot {
    std::string replica;
    uint64_t counter = 0;  // >= 1
    auto operator<=>(const Dot&) const = default;
    // "<escaped replica>:<counter>"; parse() reads it back.
    std::string text() const;
    static std::optional<Dot> parse(std::string_view text);
};

class DotContext {
public:
    bool contains(const Dot& d) const;
    void insert(const Dot& d);
    // The union; returns whether this context gained a dot.
    bool merge(const DotContext& other);
    // The highest counter of `replica` seen (0: none), and the dot its next update takes.
    uint64_t max(const std::string& replica) const;
    Dot next(const std::string& replica) const { return {replica, max(replica) + 1}; }
    bool empty() const { return prefix_.empty() && cloud_.empty(); }

    // "<prefix counts>;<cloud dots, comma-separated>"; decode() rejects dots under the prefix
    // and clouds a compact() would fold (each set of dots has one text).
    std::string encode() const;
    static std::optional<DotContext> decode(std::string_view text);
    bool operator==(const DotContext&) const = default;

    static constexpr std::size_t cloud_max = 65'536;  // dots above the prefixes (a limit)

private:
    void compact();

    ReplicaCounts prefix_;  // every dot (r, 1..prefix_[r]) is in the context
    std::set<Dot> cloud_;   // the others, each above its replica's prefix + 1
};

}  // namespace faultline::crdt
