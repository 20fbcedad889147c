// Partition: which directed links are cut, and the named shapes that produce them.
//
// A Partition is a directed reachability matrix over nodes: cut(a, b) means a message from a to b
// is dropped. Shapes (Jepsen's nemesis vocabulary, TigerBeetle's PartitionMode):
// - groups:          nodes talk only within their group; nodes in no group are isolated.
// - one_way(a, b):   a's messages to b are lost, b's to a still arrive (asymmetric).
// - isolate(n):      n cut from everyone, both ways.
// - majority_minority(order): the first floor(N/2) nodes of `order` form a minority (the caller
//                    passes a seeded shuffle for a random split).
// - bridge(order):   two halves that cannot talk, except one node (order[N/2]) that talks to
//                    both: a non-transitive network.
// - majorities_ring(order): every node sees a majority of nodes (its neighbours on a ring of
//                    `order`), but no two nodes see the same majority.
// Partitions compose: `merge` cuts what either cuts. A node always reaches itself.
#pragma once

#include "sim/ids.h"

#include <cstdint>
#include <string>
#include <vector>

namespace faultline {

class Partition {
public:
    Partition() = default;
    explicit Partition(std::size_t node_count);

    static Partition none(std::size_t n) { return Partition(n); }
    static Partition groups(std::size_t n, const std::vector<std::vector<NodeId>>& groups);
    static Partition one_way(std::size_t n, NodeId from, NodeId to);
    static Partition isolate(std::size_t n, NodeId node);
    static Partition majority_minority(std::size_t n, const std::vector<NodeId>& order);
    static Partition bridge(std::size_t n, const std::vector<NodeId>& order);
    static Partition majorities_ring(std::size_t n, const std::vector<NodeId>& order);

    std::size_t node_count() const { return n_; }
    bool cut(NodeId from, NodeId to) const {
        std::size_t bit = static_cast<std::size_t>(from) * n_ + to;
        return (bits_[bit >> 6] >> (bit & 63)) & 1u;
    }
    void set_cut(NodeId from, NodeId to, bool value);
    bool any_cut() const;
    Partition merge(const Partition& other) const;
    // The same shape with nodes a and b trading places (an aimed nemesis draws a shape around a
    // stand-in node, then moves it onto the node it aims at when the episode starts).
    Partition with_swapped(NodeId a, NodeId b) const;
    // Grows the matrix for nodes added later; new nodes are connected.
    void resize(std::size_t n);

    // "{n1,n2} | {n3,n4,n5}" when the cut is a clean grouping, else the list of cut links.
    std::string describe(const std::vector<std::string>& names) const;
    // The nodes' connected groups when the cut is symmetric and transitive (else empty).
    std::vector<std::vector<NodeId>> as_groups() const;

    bool operator==(const Partition&) const = default;

private:
    std::size_t n_ = 0;
    std::vector<uint64_t> bits_;
};

}  // namespace faultline
