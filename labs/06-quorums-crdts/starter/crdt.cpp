// Part 2 (yours): the counter and the set of crdt.h. Read crdt.h first.
//
// What the starter does: updates and values work on one server, but merge does nothing, so
// gossip changes nothing and the replicas never agree. And remove forgets the element, so a merge
// (once you write it) could not tell "removed here" from "never added here".
#include "crdt.h"

namespace faultline::lab06 {

void Counter::incr(const std::string& replica, int64_t amount) {
    if (amount >= 0) p[replica] += amount;
    else n[replica] += -amount;
}

int64_t Counter::value() const {
    int64_t sum = 0;
    for (const auto& [replica, count] : p) sum += count;
    for (const auto& [replica, count] : n) sum -= count;
    return sum;
}

void Counter::merge(const Counter& other) {
    // TODO: take in what `other` knows. Gossip may deliver the same state twice: merging it again
    // must not count its increments again. Each entry only ever grows, at one replica.
    (void)other;
}

void Set::add(const std::string& element, const Tag& tag) {
    adds[element].insert(tag);
}

void Set::remove(const std::string& element) {
    // TODO: a replica that has not seen this remove still holds the element's tags, and a merge
    // would bring them back. Remember which tags were removed instead of forgetting them.
    adds.erase(element);
}

std::vector<std::string> Set::value() const {
    // TODO: once removes are remembered, an element is in the set while some tag of it is not removed.
    std::vector<std::string> out;
    for (const auto& [element, tags] : adds)
        if (!tags.empty()) out.push_back(element);
    return out;
}

void Set::merge(const Set& other) {
    // TODO: take in what `other` knows: its adds and its removes.
    (void)other;
}

}  // namespace faultline::lab06
