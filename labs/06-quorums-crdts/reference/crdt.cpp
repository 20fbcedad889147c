// Lab 06's reference (instructors' copy): a PN-Counter and an OR-Set with tombstoned tags.
#include "crdt.h"
#include "planted.h"

#include <algorithm>

namespace faultline::lab06 {

void Counter::incr(const std::string& replica, int64_t amount) {
    if (amount >= 0) p[replica] += amount;
    else n[replica] += -amount;
}

int64_t Counter::value() const {
    // In unsigned arithmetic, which wraps: the planted `counter_merge_adds` doubles entries on
    // every gossip round until they pass 2^63, and signed overflow would be undefined.
    uint64_t sum = 0;
    for (const auto& [replica, count] : p) sum += static_cast<uint64_t>(count);
    for (const auto& [replica, count] : n) sum -= static_cast<uint64_t>(count);
    return static_cast<int64_t>(sum);
}

void Counter::merge(const Counter& other) {
    const auto join = [](std::map<std::string, int64_t>& mine, const std::map<std::string, int64_t>& theirs) {
        for (const auto& [replica, count] : theirs) {
            int64_t& m = mine[replica];
            m = planted("counter_merge_adds") ? static_cast<int64_t>(static_cast<uint64_t>(m) + static_cast<uint64_t>(count))
                                              : std::max(m, count);
        }
    };
    join(p, other.p);
    join(n, other.n);
}

void Set::add(const std::string& element, const Tag& tag) {
    adds[element].insert(tag);
}

void Set::remove(const std::string& element) {
    // The adds this replica has seen go; an add it has not seen (elsewhere, concurrently) stays.
    auto it = adds.find(element);
    if (it == adds.end()) return;
    removed.insert(it->second.begin(), it->second.end());
    adds.erase(it);
}

std::vector<std::string> Set::value() const {
    std::vector<std::string> out;
    for (const auto& [element, tags] : adds)
        if (std::any_of(tags.begin(), tags.end(), [&](const Tag& t) { return removed.count(t) == 0; }))
            out.push_back(element);
    return out;
}

void Set::merge(const Set& other) {
    if (planted("merge_intersects")) {
        // Keeps an element only where both replicas hold it: "the other lacks it, so it was removed".
        std::erase_if(adds, [&](const auto& a) { return other.adds.count(a.first) == 0; });
        for (auto& [element, tags] : adds) tags.insert(other.adds.at(element).begin(), other.adds.at(element).end());
        removed.insert(other.removed.begin(), other.removed.end());
        return;
    }
    for (const auto& [element, tags] : other.adds) adds[element].insert(tags.begin(), tags.end());
    removed.insert(other.removed.begin(), other.removed.end());
    // Tags removed everywhere they were seen need not stay under their element.
    for (auto it = adds.begin(); it != adds.end();) {
        std::erase_if(it->second, [&](const Tag& t) { return removed.count(t) != 0; });
        it = it->second.empty() ? adds.erase(it) : std::next(it);
    }
}

}  // namespace faultline::lab06
