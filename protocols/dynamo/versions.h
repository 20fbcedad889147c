// The versions a replica holds for one key, and how a newly arrived version joins them, in the
// two conflict modes a Dynamo-style store offers:
//   lww  last writer wins: each version carries the coordinator's local clock reading (and its
//        id, to break ties); a replica keeps the single version with the highest stamp. Simple,
//        and wrong under clock skew: a write stamped by a slow clock loses to an older write
//        stamped by a fast one, even though it was acknowledged after it.
//   vv   version vectors: a replica keeps every version no other version it holds descends
//        from. Concurrent writes become siblings, returned together; the client merges them and
//        its next put (carrying the merged vector as its context) supersedes them all.
#pragma once

#include "protocols/dynamo/version_vector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::dynamo {

enum class ConflictMode { lww, vv };

struct Version {
    std::string value;
    VersionVector clock;  // vv mode
    int64_t stamp_ns = 0;  // lww mode: the coordinator's local clock when it took the write
    uint64_t stamp_node = 0;  // lww mode: the coordinator's id, the tie breaker
    bool operator==(const Version&) const = default;
};

// The versions of one key: in lww mode at most one, in vv mode the concurrent siblings, kept
// sorted by their encoding so that two replicas holding the same versions compare equal.
using Siblings = std::vector<Version>;

// Adds `incoming` to `held` by the mode's rule. Returns whether `held` changed.
bool reconcile(ConflictMode mode, Siblings& held, const Version& incoming);
// Every version of `from` joins `into`. Returns whether `into` changed.
bool reconcile_all(ConflictMode mode, Siblings& into, const Siblings& from);
// Whether `held` already contains or supersedes every version of `other` (a repair would change
// nothing).
bool covers(ConflictMode mode, const Siblings& held, const Siblings& other);
// The merged vector of every sibling: a client's context for its next put.
VersionVector context_of(const Siblings& s);
// The sibling values, sorted.
std::vector<std::string> values_of(const Siblings& s);

// One line per version, for the disk and for trace annotations; decode() returns nothing for a
// malformed text (a corrupt disk record).
std::string encode(const Siblings& s);
std::optional<Siblings> decode(std::string_view text);

}  // namespace faultline::dynamo
