// Anti-entropy: every anti_entropy_ms a server picks a random peer and the two compare Merkle
// trees of the keys they both replicate; only the keys in leaves that differ cross the network,
// both ways. This is what repairs replicas no read touches and hints that never came back.
// (server.h tells the whole story.)
#include "protocols/dynamo/server.h"

#include <set>

namespace faultline::dynamo {

MerkleTree Server::tree_shared_with(NodeId peer) const {
    return MerkleTree::build(
        data_, [&](const std::string& key) { return replicates(my_id_, key) && replicates(peer, key); }, o_.merkle_depth);
}

Entries Server::entries_in(const std::vector<uint32_t>& leaves, NodeId peer) const {
    const std::set<uint32_t> wanted(leaves.begin(), leaves.end());
    Entries out;
    for (const auto& [key, versions] : data_)
        if (wanted.count(MerkleTree::leaf_of(key, o_.merkle_depth)) && replicates(my_id_, key) && replicates(peer, key))
            out.emplace_back(key, versions);
    return out;
}

void Server::start_anti_entropy(Context& ctx) {
    if (ids_.size() < 2) return;
    NodeId peer = my_id_;
    while (peer == my_id_) peer = ids_[ctx.rng().below(ids_.size())];
    ctx.send(peer, MerkleOffer{tree_shared_with(peer).nodes()});
}

void Server::on_merkle_offer(Context& ctx, const Envelope& m, const MerkleOffer& o) {
    const std::vector<uint32_t> leaves = tree_shared_with(m.from).differing_leaves(MerkleTree::from_nodes(o.tree));
    if (leaves.empty()) return;
    ctx.send(m.from, MerkleDiff{leaves, entries_in(leaves, m.from)});
}

void Server::on_merkle_diff(Context& ctx, const Envelope& m, const MerkleDiff& d) {
    for (const auto& [key, versions] : d.entries) store(ctx, key, versions);
    ctx.send(m.from, MerkleRepair{entries_in(d.leaves, m.from)});
}

void Server::on_merkle_repair(Context& ctx, const MerkleRepair& r) {
    for (const auto& [key, versions] : r.entries) store(ctx, key, versions);
}

}  // namespace faultline::dynamo
