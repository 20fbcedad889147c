#include "protocols/dynamo/merkle.h"

#include "protocols/dynamo/ring.h"
#include "sim/node.h"

#include <bit>

namespace faultline::dynamo {

namespace {

uint64_t combine(uint64_t a, uint64_t b) {
    uint64_t state = a ^ (b * 0x9e3779b97f4a7c15ULL);
    return splitmix64(state);
}

}  // namespace

uint32_t MerkleTree::leaf_of(const std::string& key, int depth) {
    return depth == 0 ? 0 : static_cast<uint32_t>(Ring::position(key) >> (64 - depth));
}

MerkleTree MerkleTree::build(const std::map<std::string, Siblings>& data,
                             const std::function<bool(const std::string&)>& include, int depth) {
    FL_ASSERT(depth >= 0 && depth <= 16, "Merkle depth {} out of range", depth);
    const std::size_t leaves = std::size_t{1} << depth;
    const std::size_t first_leaf = leaves - 1;
    MerkleTree t;
    t.nodes_.assign(2 * leaves - 1, 0);
    // std::map iterates keys in order, so each leaf combines its keys in one fixed order.
    for (const auto& [key, versions] : data) {
        if (!include(key)) continue;
        uint64_t& leaf = t.nodes_[first_leaf + leaf_of(key, depth)];
        leaf = combine(leaf, hash_label(key + '\n' + encode(versions)));
    }
    for (std::size_t i = first_leaf; i-- > 0;) t.nodes_[i] = combine(t.nodes_[2 * i + 1], t.nodes_[2 * i + 2]);
    return t;
}

MerkleTree MerkleTree::from_nodes(std::vector<uint64_t> nodes) {
    MerkleTree t;
    t.nodes_ = std::move(nodes);
    return t;
}

int MerkleTree::depth() const {
    return nodes_.empty() ? -1 : std::bit_width(nodes_.size() + 1) - 2;
}

std::vector<uint32_t> MerkleTree::differing_leaves(const MerkleTree& other) const {
    std::vector<uint32_t> out;
    if (nodes_.size() != other.nodes_.size() || nodes_.empty() || std::has_single_bit(nodes_.size() + 1) == false) {
        const std::size_t leaves = (nodes_.size() + 1) / 2;
        for (uint32_t i = 0; i < leaves; ++i) out.push_back(i);
        return out;
    }
    const std::size_t first_leaf = nodes_.size() / 2;
    std::vector<std::size_t> stack{0};
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        if (nodes_[i] == other.nodes_[i]) continue;
        if (i >= first_leaf) {
            out.push_back(static_cast<uint32_t>(i - first_leaf));
            continue;
        }
        stack.push_back(2 * i + 2);
        stack.push_back(2 * i + 1);
    }
    return out;
}

}  // namespace faultline::dynamo
