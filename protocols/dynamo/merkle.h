// MerkleTree: a hash tree over the keys two replicas share, for anti-entropy (Dynamo, 4.7).
// Keys fall into 2^depth leaves by their ring position; a leaf's hash combines the hashes of its
// keys' versions, an inner node's the hashes of its two children. Two replicas that hold the same
// versions have equal roots; when the roots differ, descending only into children that differ
// finds the leaves out of sync while comparing few hashes, and only those leaves' keys are sent.
// (Here a replica sends its whole tree, 2^(depth+1)-1 hashes, in one message: the descent is done
// by the receiver. A real store would exchange it level by level to save bandwidth.)
#pragma once

#include "protocols/dynamo/versions.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace faultline::dynamo {

class MerkleTree {
public:
    // The tree of the keys of `data` for which include(key) holds.
    static MerkleTree build(const std::map<std::string, Siblings>& data,
                            const std::function<bool(const std::string&)>& include, int depth);
    static MerkleTree from_nodes(std::vector<uint64_t> nodes);

    // The leaves whose hash differs from `other`'s, found top-down. Trees of different shapes
    // differ everywhere.
    std::vector<uint32_t> differing_leaves(const MerkleTree& other) const;
    static uint32_t leaf_of(const std::string& key, int depth);
    int depth() const;
    uint64_t root() const { return nodes_.empty() ? 0 : nodes_[0]; }
    const std::vector<uint64_t>& nodes() const { return nodes_; }

private:
    std::vector<uint64_t> nodes_;  // heap order: node i has children 2i+1 and 2i+2; leaves last
};

}  // namespace faultline::dynamo
