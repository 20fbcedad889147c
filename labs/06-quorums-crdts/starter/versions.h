// Versions of a key in the leaderless store. You need not change this file.
//
// Every put makes a new version, named by a dot: (the replica that coordinated it, that replica's
// n-th put). A version also carries its context: every dot its writer had seen, as a version
// vector (replica -> the highest n seen of that replica's puts, all lower ones included). A
// version supersedes another exactly when its context holds the other's dot: its writer saw the
// other and wrote over it. Two versions neither of which holds the other's dot are concurrent
// (siblings): both must be kept until a writer that saw both replaces them. (Lab 01 built these
// "dotted version vectors": a dot per version keeps two puts through one replica from seeming
// ordered when their clients saw different things.)
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace faultline::lab06 {

struct Dot {
    std::string replica;
    uint64_t n = 0;
    auto operator<=>(const Dot&) const = default;
};

// A set of dots: per replica, every dot up to a number (a version vector), and single dots above
// those (a client that read (n1, 3) but never (n1, 2) has seen the one and not the other).
struct VersionVector {
    std::map<std::string, uint64_t> upto;  // replica -> every dot (replica, 1..n) seen
    std::set<Dot> beyond;                  // seen dots not next to the vector's

    bool holds(const Dot& d) const;
    void add(const Dot& d);                   // now holds d
    void merge(const VersionVector& other);   // now holds every dot either held
    bool operator==(const VersionVector&) const = default;
    std::string describe() const;             // "{n1:3 n2:1 +n1:5}"
};

struct Version {
    std::string value;
    Dot dot;
    VersionVector context;  // what its writer had seen

    // True when this version's writer saw `other` (so this one replaces it).
    bool supersedes(const Version& other) const { return context.holds(other.dot); }
    bool operator==(const Version&) const = default;
    std::string describe() const;
};

// Everything a set of versions has seen: their dots and their contexts, merged. A client sends it
// back with its next put of the key, so that the put supersedes what the client read.
VersionVector context_of(const std::vector<Version>& versions);

// The values of a set of versions, sorted: what a get returns (several: siblings).
std::vector<std::string> values_of(const std::vector<Version>& versions);

}  // namespace faultline::lab06
