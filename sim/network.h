// Network: per-link behaviour (latency, loss, duplication, reordering) and the current partition.
//
// The network decides a message's fate at send time, drawing from the sender's own network
// stream (so adding a node does not reshuffle any other node's draws):
//   1. cut at send time                          -> dropped (partition)
//   2. loss with probability `loss`              -> dropped (loss)
//   3. latency = model.sample(); with probability `reorder` add uniform [0, reorder_window]
//      on top, so messages overtake each other more than latency variance alone makes them
//   4. with probability `duplicate`, a copy with its own latency draw.
// At delivery the kernel re-checks the partition (cut while in flight) and the destination
// (down, or restarted since the send).
//
// Draw discipline: steps 2-4 each draw exactly when their probability is > 0, so a link whose
// knobs are zero consumes no randomness at all (a constant-latency, lossless network is the
// fast path).
#pragma once

#include "sim/latency.h"
#include "sim/partition.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace faultline {

struct LinkConfig {
    LatencyModel latency = LatencyModel::constant(milliseconds(1));
    double loss = 0;        // probability a message is lost
    double duplicate = 0;   // probability a message is delivered twice
    double reorder = 0;     // probability a message gets extra delay
    Duration reorder_window = milliseconds(10);

    std::string describe() const;
};

struct SendDecision {
    bool lost = false;
    Duration latency;
    std::optional<Duration> duplicate_latency;
};

class Network {
public:
    void set_default(const LinkConfig& c) { default_ = c; }
    const LinkConfig& default_config() const { return default_; }
    // A directed override for one link (from -> to).
    void set_link(NodeId from, NodeId to, const LinkConfig& c) { overrides_[{from, to}] = c; }
    void clear_link(NodeId from, NodeId to) { overrides_.erase({from, to}); }
    void clear_links() { overrides_.clear(); }
    const LinkConfig& config(NodeId from, NodeId to) const {
        if (overrides_.empty()) return default_;
        auto it = overrides_.find({from, to});
        return it == overrides_.end() ? default_ : it->second;
    }

    const Partition& partition() const { return partition_; }
    void set_partition(Partition p) {
        partition_ = std::move(p);
        any_cut_ = partition_.any_cut();
    }
    void resize(std::size_t n) { partition_.resize(n); }
    bool cut(NodeId from, NodeId to) const { return any_cut_ && partition_.cut(from, to); }

    SendDecision decide(NodeId from, NodeId to, Rng& rng) const;

private:
    LinkConfig default_;
    std::map<std::pair<NodeId, NodeId>, LinkConfig> overrides_;
    Partition partition_;
    bool any_cut_ = false;
};

}  // namespace faultline
