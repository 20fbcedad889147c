#include "protocols/dynamo/version_vector.h"

#include <charconv>

namespace faultline::dynamo {

uint64_t VersionVector::at(const std::string& server) const {
    auto it = counters.find(server);
    return it == counters.end() ? 0 : it->second;
}

Causality VersionVector::compare(const VersionVector& other) const {
    bool some_less = false, some_greater = false;
    // Walk both sorted maps at once; a server missing on one side counts 0 there.
    auto a = counters.begin();
    auto b = other.counters.begin();
    while (a != counters.end() || b != other.counters.end()) {
        uint64_t x = 0, y = 0;
        if (b == other.counters.end() || (a != counters.end() && a->first < b->first)) {
            x = (a++)->second;
        } else if (a == counters.end() || b->first < a->first) {
            y = (b++)->second;
        } else {
            x = (a++)->second;
            y = (b++)->second;
        }
        some_less |= x < y;
        some_greater |= x > y;
    }
    if (some_less && some_greater) return Causality::concurrent;
    if (some_less) return Causality::before;
    if (some_greater) return Causality::after;
    return Causality::equal;
}

void VersionVector::merge(const VersionVector& other) {
    for (const auto& [server, n] : other.counters) {
        uint64_t& mine = counters[server];
        if (mine < n) mine = n;
    }
}

std::string VersionVector::text() const {
    std::string out;
    for (const auto& [server, n] : counters) {
        if (!out.empty()) out += ',';
        out += server + ':' + std::to_string(n);
    }
    return out;
}

std::optional<VersionVector> VersionVector::parse(std::string_view text) {
    VersionVector v;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        const std::size_t colon = item.rfind(':');
        if (colon == std::string_view::npos || colon == 0) return std::nullopt;
        uint64_t n = 0;
        const std::string_view digits = item.substr(colon + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
        v.counters[std::string(item.substr(0, colon))] = n;
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return v;
}

}  // namespace faultline::dynamo
