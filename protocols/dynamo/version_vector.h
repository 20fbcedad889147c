// VersionVector: one counter per coordinating server, the causal history of a version (Dynamo's
// "vector clock"). Version a happened before b when every counter of a is <= b's and one is
// smaller; when neither happened before the other they are concurrent, and a store that keeps
// both returns them as siblings for the client to merge.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::dynamo {

enum class Causality { equal, before, after, concurrent };

struct VersionVector {
    std::map<std::string, uint64_t> counters;  // by server name; absent = 0

    uint64_t at(const std::string& server) const;
    // How *this relates to `other`: before means *this happened before `other`.
    Causality compare(const VersionVector& other) const;
    // Pointwise maximum: the history of both.
    void merge(const VersionVector& other);
    bool empty() const { return counters.empty(); }
    // "n1:2,n3:1" (sorted by server), "" when empty; parse() reads it back.
    std::string text() const;
    static std::optional<VersionVector> parse(std::string_view text);
    bool operator==(const VersionVector&) const = default;
};

}  // namespace faultline::dynamo
