// StringMap's hash. See string_map.h.
#include "sim/string_map.h"

// The whole of xxhash compiled into this file: the short-key path inlines into hash_string.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace faultline {

std::size_t hash_string(std::string_view s) { return static_cast<std::size_t>(XXH3_64bits(s.data(), s.size())); }

}  // namespace faultline
