// Lab 01's version stamp: what each stored value carries so that replicas agree on which write is
// newer. THIS IS A FILE YOU EDIT (with server.h and server.cpp).
//
// As handed out, a version is the local clock's reading when the write was made, with the node's
// id to break ties: last-writer-wins by wall-clock time. Part 1 makes it a Lamport timestamp;
// part 2 a version vector, which can say "neither is newer: these writes are concurrent".
//
// The client (client.h) never looks inside a version: it keeps the one each reply carries, per
// key, and sends it back with its next request on that key (its "context": what it has seen).
#pragma once

#include <cstdint>
#include <string>

namespace faultline::lab01 {

struct Version {
    int64_t time = 0;   // the local clock's reading, in nanoseconds (TODO(you): part 1, a Lamport clock)
    uint32_t node = 0;  // the replica that made the write: breaks ties between equal times

    bool operator==(const Version&) const = default;
    std::string describe() const { return std::to_string(time) + "@" + std::to_string(node); }
};

// Whether a is older than b (last-writer-wins: the larger (time, node) wins).
inline bool older(const Version& a, const Version& b) { return a.time != b.time ? a.time < b.time : a.node < b.node; }

}  // namespace faultline::lab01
