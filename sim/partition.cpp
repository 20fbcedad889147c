#include "sim/partition.h"

#include "sim/assert.h"

#include <algorithm>
#include <fmt/format.h>

namespace faultline {

Partition::Partition(std::size_t n) : n_(n), bits_((n * n + 63) / 64, 0) {}

void Partition::set_cut(NodeId from, NodeId to, bool value) {
    FL_ASSERT(from < n_ && to < n_, "partition link {}->{} outside {} nodes", from, to, n_);
    if (from == to) return;  // a node always reaches itself
    std::size_t bit = static_cast<std::size_t>(from) * n_ + to;
    if (value) {
        bits_[bit >> 6] |= (uint64_t{1} << (bit & 63));
    } else {
        bits_[bit >> 6] &= ~(uint64_t{1} << (bit & 63));
    }
}

bool Partition::any_cut() const {
    return std::any_of(bits_.begin(), bits_.end(), [](uint64_t w) { return w != 0; });
}

void Partition::resize(std::size_t n) {
    if (n == n_) return;
    Partition bigger(n);
    for (NodeId a = 0; a < std::min(n, n_); ++a)
        for (NodeId b = 0; b < std::min(n, n_); ++b)
            if (cut(a, b)) bigger.set_cut(a, b, true);
    *this = std::move(bigger);
}

Partition Partition::merge(const Partition& other) const {
    FL_ASSERT(n_ == other.n_, "merging partitions of different sizes");
    Partition out = *this;
    for (std::size_t i = 0; i < bits_.size(); ++i) out.bits_[i] |= other.bits_[i];
    return out;
}

Partition Partition::with_swapped(NodeId a, NodeId b) const {
    FL_ASSERT(a < n_ && b < n_, "swapping nodes {} and {} of a partition of {}", a, b, n_);
    const auto moved = [&](NodeId x) { return x == a ? b : x == b ? a : x; };
    Partition out(n_);
    for (NodeId from = 0; from < n_; ++from)
        for (NodeId to = 0; to < n_; ++to)
            if (cut(from, to)) out.set_cut(moved(from), moved(to), true);
    return out;
}

Partition Partition::groups(std::size_t n, const std::vector<std::vector<NodeId>>& groups) {
    std::vector<int> group_of(n, -1);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        for (NodeId node : groups[g]) {
            FL_ASSERT(node < n, "partition group names node {} of {}", node, n);
            FL_ASSERT(group_of[node] == -1, "node {} is in two partition groups", node);
            group_of[node] = static_cast<int>(g);
        }
    }
    Partition p(n);
    for (NodeId a = 0; a < n; ++a)
        for (NodeId b = 0; b < n; ++b)
            if (a != b && (group_of[a] == -1 || group_of[a] != group_of[b])) p.set_cut(a, b, true);
    return p;
}

Partition Partition::one_way(std::size_t n, NodeId from, NodeId to) {
    Partition p(n);
    p.set_cut(from, to, true);
    return p;
}

Partition Partition::isolate(std::size_t n, NodeId node) {
    Partition p(n);
    for (NodeId other = 0; other < n; ++other) {
        p.set_cut(node, other, true);
        p.set_cut(other, node, true);
    }
    return p;
}

Partition Partition::majority_minority(std::size_t n, const std::vector<NodeId>& order) {
    FL_ASSERT(order.size() >= 2, "a majority/minority split needs at least 2 nodes");
    std::size_t minority = order.size() / 2;
    std::vector<NodeId> a(order.begin(), order.begin() + static_cast<long>(minority));
    std::vector<NodeId> b(order.begin() + static_cast<long>(minority), order.end());
    Partition p = groups(n, {a, b});
    // Nodes outside `order` (clients, say) keep their links.
    std::vector<bool> in(n, false);
    for (NodeId x : order) in[x] = true;
    for (NodeId x = 0; x < n; ++x) {
        if (in[x]) continue;
        for (NodeId y = 0; y < n; ++y) {
            p.set_cut(x, y, false);
            p.set_cut(y, x, false);
        }
    }
    return p;
}

Partition Partition::bridge(std::size_t n, const std::vector<NodeId>& order) {
    FL_ASSERT(order.size() >= 3, "a bridge needs at least 3 nodes");
    std::size_t mid = order.size() / 2;
    Partition p(n);
    for (std::size_t i = 0; i < order.size(); ++i)
        for (std::size_t j = 0; j < order.size(); ++j) {
            if (i == mid || j == mid) continue;
            bool side_i = i < mid, side_j = j < mid;
            if (side_i != side_j) p.set_cut(order[i], order[j], true);
        }
    return p;
}

Partition Partition::majorities_ring(std::size_t n, const std::vector<NodeId>& order) {
    // Each node keeps links to the k nearest on each side of the ring, where the node plus 2k
    // neighbours is a bare majority; everything else is cut (Jepsen's majorities-ring).
    std::size_t m = order.size();
    FL_ASSERT(m >= 3, "a majorities ring needs at least 3 nodes");
    std::size_t majority = m / 2 + 1;
    std::size_t k = (majority - 1 + 1) / 2;  // neighbours per side
    Partition p(n);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < m; ++j) {
            if (i == j) continue;
            std::size_t d = i > j ? i - j : j - i;
            d = std::min(d, m - d);
            if (d > k) p.set_cut(order[i], order[j], true);
        }
    return p;
}

std::vector<std::vector<NodeId>> Partition::as_groups() const {
    // Symmetric and transitive (an equivalence) iff every connected component is a clique.
    std::vector<int> group(n_, -1);
    std::vector<std::vector<NodeId>> out;
    for (NodeId a = 0; a < n_; ++a) {
        if (group[a] != -1) continue;
        group[a] = static_cast<int>(out.size());
        out.push_back({a});
        for (NodeId b = a + 1; b < n_; ++b)
            if (group[b] == -1 && !cut(a, b) && !cut(b, a)) {
                group[b] = group[a];
                out.back().push_back(b);
            }
    }
    for (NodeId a = 0; a < n_; ++a)
        for (NodeId b = 0; b < n_; ++b)
            if (a != b && (group[a] == group[b]) == cut(a, b)) return {};
    return out;
}

std::string Partition::describe(const std::vector<std::string>& names) const {
    auto name = [&](NodeId id) { return id < names.size() ? names[id] : fmt::format("#{}", id); };
    if (!any_cut()) return "connected";
    auto groups = as_groups();
    std::string out;
    if (!groups.empty()) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (g) out += " | ";
            out += "{";
            for (std::size_t i = 0; i < groups[g].size(); ++i) {
                if (i) out += ",";
                out += name(groups[g][i]);
            }
            out += "}";
        }
        return out;
    }
    for (NodeId a = 0; a < n_; ++a)
        for (NodeId b = 0; b < n_; ++b)
            if (cut(a, b)) {
                if (!out.empty()) out += " ";
                out += fmt::format("{}-x->{}", name(a), name(b));
            }
    return out;
}

}  // namespace faultline
