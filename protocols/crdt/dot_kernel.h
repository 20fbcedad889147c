// DotKernel<T>: the state shared by the observed-remove CRDTs (Almeida et al. 2018, §7.1, the
// "dot store" with its causal context): entries, each a payload T under the dot of the update
// that created it, and the causal context of every dot seen.
//
// Invariant: every entry's dot is in the context. An update that removes entries (an OR-Set
// remove, an MV-Register put superseding what it saw) does not keep tombstones: its delta carries
// their dots in its context and no entries, and the join below drops them everywhere.
//
// Join of A and B: an entry survives if both hold it, or if one holds it and the other has never
// seen its dot; the contexts unite. A dot is created once, with one payload, so two states never
// hold one dot with different payloads (asserted). The join is commutative, associative and
// idempotent, and it never forgets a dot (the context only grows).
#pragma once

#include "protocols/crdt/dot_context.h"
#include "sim/assert.h"

#include <map>

namespace faultline::crdt {

template <typename T>
struct DotKernel {
    std::map<Dot, T> entries;
    DotContext context;

    bool empty() const { return entries.empty() && context.empty(); }

    // Returns whether this state changed.
    bool merge(const DotKernel& other) {
        bool changed = false;
        // Ours that the other side saw and no longer holds were removed there.
        for (auto it = entries.begin(); it != entries.end();) {
            if (!other.entries.count(it->first) && other.context.contains(it->first)) {
                it = entries.erase(it);
                changed = true;
            } else {
                ++it;
            }
        }
        // Theirs that we never saw are news; theirs that we saw and dropped stay dropped.
        for (const auto& [dot, payload] : other.entries) {
            auto mine = entries.find(dot);
            if (mine != entries.end()) {
                FL_ASSERT(mine->second == payload, "dot {} names two different updates: a replica id was reused", dot.text());
                continue;
            }
            if (context.contains(dot)) continue;
            entries.emplace(dot, payload);
            changed = true;
        }
        changed |= context.merge(other.context);
        return changed;
    }

    // Every entry's dot is in the context (decoders check it: a record could break it).
    bool consistent() const {
        for (const auto& [dot, payload] : entries)
            if (!context.contains(dot)) return false;
        return true;
    }

    bool operator==(const DotKernel&) const = default;
};

}  // namespace faultline::crdt
