// StringMap: a hash map keyed by std::string, looked up by std::string_view.
//
// Two things std::unordered_map<std::string, V> does that the kernel's hot paths cannot afford:
// - a lookup by a string_view or a literal builds a std::string first (the hasher and the
//   comparison here are transparent, so `find(view)` does not);
// - libstdc++ counts std::hash<std::string> as slow, so a map of up to 20 keys is searched by
//   comparing the wanted key with every key in turn (a node's disk holds about that many keys, so
//   each erase of a log entry compared a dozen long keys). A hasher of our own is counted as fast:
//   every lookup hashes once and looks in one bucket.
// The hasher is deliberately not noexcept: libstdc++ then keeps each key's hash in its node, so a
// bucket's chain is walked by comparing hashes, not strings, and a rehash or an erase does not
// hash the keys again (with a noexcept hasher it stores none, which cost more than it saved).
//
// Iterating it gives hash order, which must not reach a run: code that iterates sorts first.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace faultline {

struct StringHash {
    using is_transparent = void;
    // Not noexcept, on purpose (see above).
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace faultline
