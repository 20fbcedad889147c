#include "protocols/dynamo/ring.h"

#include "sim/node.h"

#include <algorithm>

namespace faultline::dynamo {

uint64_t Ring::position(std::string_view key) { return hash_label(key, 0x64796e616d6fULL); }

Ring::Ring(std::vector<std::string> servers, int vnodes) : servers_(std::move(servers)) {
    FL_ASSERT(!servers_.empty() && vnodes > 0, "a ring needs servers and at least one token each");
    for (std::size_t s = 0; s < servers_.size(); ++s)
        for (int i = 0; i < vnodes; ++i) tokens_.emplace_back(position(servers_[s] + "#" + std::to_string(i)), s);
    std::sort(tokens_.begin(), tokens_.end());
}

std::vector<std::size_t> Ring::walk(std::string_view key) const {
    const uint64_t at = position(key);
    auto start = std::lower_bound(tokens_.begin(), tokens_.end(), std::make_pair(at, std::size_t{0}));
    std::vector<std::size_t> out;
    std::vector<bool> seen(servers_.size(), false);
    for (std::size_t i = 0; i < tokens_.size() && out.size() < servers_.size(); ++i) {
        const std::size_t k = static_cast<std::size_t>(start - tokens_.begin()) + i;
        const std::size_t server = tokens_[k % tokens_.size()].second;
        if (seen[server]) continue;
        seen[server] = true;
        out.push_back(server);
    }
    return out;
}

std::vector<std::size_t> Ring::preference_list(std::string_view key, std::size_t n) const {
    std::vector<std::size_t> all = walk(key);
    if (all.size() > n) all.resize(n);
    return all;
}

}  // namespace faultline::dynamo
