// Part 2: a counter and a set that converge over gossip (state-based CRDTs). You write the bodies
// of these functions, in crdt.cpp; you need not change this file.
//
// Any server applies an update at once to its own copy and answers; every so often it sends its
// whole state to a random peer (gossip), which merges it into its own. Gossip may arrive late,
// twice, or never (the next round sends it again), in any order. So merge must be:
//   commutative  a.merge(b) and b.merge(a) end in the same state,
//   associative  the order of merges does not matter,
//   idempotent   merging the same state twice changes nothing,
// and every update must survive every merge. Then two replicas that received the same updates,
// in any order, any number of times, hold the same state (they converge).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace faultline::lab06 {

// A counter that goes up and down (a PN-Counter). `p[r]` is the sum of the increments replica r
// applied, `n[r]` of its decrements (as positive numbers): each replica writes only its own entries.
struct Counter {
    std::map<std::string, int64_t> p, n;

    void incr(const std::string& replica, int64_t amount);  // amount may be negative
    int64_t value() const;
    void merge(const Counter& other);
    bool operator==(const Counter&) const = default;
};

// The name of one add: (the replica that applied it, that replica's n-th add). node.cpp makes a
// new tag for every add.
struct Tag {
    std::string replica;
    uint64_t n = 0;
    auto operator<=>(const Tag&) const = default;
};

// A set where an add concurrent with a remove of the same element wins (an observed-remove set,
// OR-Set): a remove takes out the adds it has seen, and only those.
struct Set {
    std::map<std::string, std::set<Tag>> adds;  // element -> the tags of its adds
    std::set<Tag> removed;                      // tags some remove took out

    void add(const std::string& element, const Tag& tag);
    void remove(const std::string& element);
    std::vector<std::string> value() const;  // the elements, sorted
    void merge(const Set& other);
    bool operator==(const Set&) const = default;
};

}  // namespace faultline::lab06
