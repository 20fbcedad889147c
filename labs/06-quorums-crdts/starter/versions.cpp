// Versions of a key (versions.h). You need not change this file.
#include "versions.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::lab06 {

bool VersionVector::holds(const Dot& d) const {
    auto it = upto.find(d.replica);
    return (it != upto.end() && it->second >= d.n) || beyond.count(d) != 0;
}

void VersionVector::add(const Dot& d) {
    if (holds(d)) return;
    auto at = upto.find(d.replica);
    if (d.n != (at == upto.end() ? 0 : at->second) + 1) {
        beyond.insert(d);
        return;
    }
    uint64_t& n = upto[d.replica];
    n = d.n;
    // The dots above that now touch the vector join it.
    for (auto it = beyond.find(Dot{d.replica, n + 1}); it != beyond.end() && *it == Dot{d.replica, n + 1};
         it = beyond.find(Dot{d.replica, n + 1})) {
        beyond.erase(it);
        ++n;
    }
}

void VersionVector::merge(const VersionVector& other) {
    for (const auto& [replica, n] : other.upto)
        if (uint64_t& mine = upto[replica]; n > mine) {
            mine = n;
            // Dots now inside the vector, and those now touching it.
            for (auto it = beyond.lower_bound(Dot{replica, 0}); it != beyond.end() && it->replica == replica;) {
                if (it->n <= mine) it = beyond.erase(it);
                else if (it->n == mine + 1) {
                    ++mine;
                    it = beyond.erase(it);
                } else break;
            }
        }
    for (const Dot& d : other.beyond) add(d);
}

std::string VersionVector::describe() const {
    std::string out = "{";
    for (const auto& [replica, n] : upto) out += fmt::format("{}{}:{}", out.size() > 1 ? " " : "", replica, n);
    for (const Dot& d : beyond) out += fmt::format("{}+{}:{}", out.size() > 1 ? " " : "", d.replica, d.n);
    return out + "}";
}

std::string Version::describe() const {
    return fmt::format("{}@{}:{} saw {}", value, dot.replica, dot.n, context.describe());
}

VersionVector context_of(const std::vector<Version>& versions) {
    VersionVector out;
    for (const Version& v : versions) {
        out.merge(v.context);
        out.add(v.dot);
    }
    return out;
}

std::vector<std::string> values_of(const std::vector<Version>& versions) {
    std::vector<std::string> out;
    for (const Version& v : versions) out.push_back(v.value);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace faultline::lab06
