// Ring: consistent hashing with virtual nodes (Dynamo, section 4.2). Each server owns `vnodes`
// tokens on a 64-bit ring (hashes of "<server>#<i>"); a key belongs to the first token clockwise
// from its own hash. Walking on from there and keeping each server the first time it is met gives
// the key's preference list: its first N servers hold the key's replicas, the rest are the
// fallbacks a sloppy quorum uses, in order, when some of the first N do not answer.
// Virtual nodes spread each server's share of keys over the ring, so that when a server is down
// its load falls on many others rather than on its one successor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::dynamo {

class Ring {
public:
    Ring(std::vector<std::string> servers, int vnodes);

    // Every server, in preference order for `key` (indices into servers()).
    std::vector<std::size_t> walk(std::string_view key) const;
    // The first n of walk(key) (all servers when n exceeds them).
    std::vector<std::size_t> preference_list(std::string_view key, std::size_t n) const;
    const std::vector<std::string>& servers() const { return servers_; }

    static uint64_t position(std::string_view key);

private:
    std::vector<std::string> servers_;
    std::vector<std::pair<uint64_t, std::size_t>> tokens_;  // (position, server index), sorted
};

}  // namespace faultline::dynamo
