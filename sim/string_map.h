// StringMap: a hash map keyed by std::string, looked up by std::string_view.
//
// What it changes against std::unordered_map<std::string, V>:
// - a lookup by a string_view or a literal does not build a std::string first (the hasher and
//   the comparison are transparent);
// - every lookup hashes: libstdc++ counts std::hash<std::string> as slow and searches a map of up
//   to 20 such keys by comparing the wanted key with each; a hasher of our own counts as fast.
//   Measured on a consensus sweep (a node's disk holds about that many keys) this was a wash with
//   std::hash's Murmur (BENCHMARKS.md, "Ping-pong, round 4");
// - the hash is XXH3 (xxhash), about a third of Murmur's instructions on the 10-30 byte keys the
//   disk and the trace's names hold (BENCHMARKS.md, "Sweep seeds, round 5").
// The hasher is deliberately not noexcept: libstdc++ then keeps each key's hash in its node, so a
// bucket's chain is walked by comparing hashes, not strings, and a rehash or an erase does not
// hash the keys again (with a noexcept hasher it keeps none: 2.3% more instructions a seed).
//
// Iterating it gives hash order, which must not reach a run: code that iterates sorts first.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace faultline {

// XXH3 of the bytes (sim/string_map.cpp, where xxhash is compiled inline).
std::size_t hash_string(std::string_view s);

struct StringHash {
    using is_transparent = void;
    // Not noexcept, on purpose (see above).
    std::size_t operator()(std::string_view s) const { return hash_string(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace faultline
