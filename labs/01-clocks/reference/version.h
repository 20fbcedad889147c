// Lab 01's reference version (instructors' copy): a dotted version vector.
//
//   dot      `node`:`counter`: the counter-th write made at replica `node` to this key (replicas
//            are numbered from 1; node 0 means "no dot": a client's context);
//   seen     what the write's client had seen of the key: `vector` (for each replica, every
//            write of it up to that counter) and `dots` (single writes beyond those, e.g. the
//            client's own last writes, which the vector cannot hold without claiming that
//            replica's earlier, possibly concurrent, writes too).
//
// `time` is the Lamport time, used only by the mistakes that order writes by last-writer-wins.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace faultline::lab01 {

using Dot = std::pair<uint32_t, uint64_t>;

struct Version {
    int64_t time = 0;
    uint32_t node = 0;
    uint64_t counter = 0;
    std::map<uint32_t, uint64_t> vector;
    std::set<Dot> dots;

    bool operator==(const Version&) const = default;
    std::string describe() const {
        std::string out = std::to_string(node) + ":" + std::to_string(counter) + " {";
        for (const auto& [n, c] : vector) out += " " + std::to_string(n) + ":" + std::to_string(c);
        for (const auto& [n, c] : dots) out += " +" + std::to_string(n) + ":" + std::to_string(c);
        return out + " } t" + std::to_string(time);
    }
};

// Last-writer-wins order (the mistakes' order): the larger (time, node) wins.
inline bool older(const Version& a, const Version& b) { return a.time != b.time ? a.time < b.time : a.node < b.node; }

// Whether version a's write is one b's client had seen (b replaces a).
inline bool seen_by(const Version& a, const Version& b) {
    if (a.node == 0) return false;
    auto it = b.vector.find(a.node);
    return (it != b.vector.end() && it->second >= a.counter) || b.dots.count({a.node, a.counter}) != 0;
}

// Moves the dots that extend the vector into it, and drops those it already holds.
inline void normalize(Version& v) {
    for (bool moved = true; moved;) {
        moved = false;
        for (auto it = v.dots.begin(); it != v.dots.end();) {
            uint64_t& upto = v.vector[it->first];
            if (it->second <= upto + 1) {
                moved = moved || it->second == upto + 1;
                upto = std::max(upto, it->second);
                it = v.dots.erase(it);
            } else {
                ++it;
            }
        }
    }
}

// What a and b's clients had seen, together (the time: the later).
inline Version join(const Version& a, const Version& b) {
    Version out{std::max(a.time, b.time), 0, 0, a.vector, a.dots};
    for (const auto& [n, c] : b.vector) out.vector[n] = std::max(out.vector[n], c);
    out.dots.insert(b.dots.begin(), b.dots.end());
    normalize(out);
    return out;
}

// A's context with its own dot added: everything a's client had seen, and a.
inline Version with_own_dot(const Version& a) {
    Version out{a.time, 0, 0, a.vector, a.dots};
    if (a.node != 0) out.dots.insert({a.node, a.counter});
    normalize(out);
    return out;
}

}  // namespace faultline::lab01
