// Primary-backup's safety properties, the point of fencing, read from annotations the replicas
// emit ("complete" epoch:index when a primary completes an operation, "accept" epoch:index when a
// backup applies one or installs a state transfer up to it):
//   one_primary_per_epoch  in each epoch at most one node completes operations;
//   fencing                an operation of epoch e that completes after a newer epoch completed
//                          one must have reached a backup before that newer epoch did anything:
//                          judged at its first backup acceptance, not at the reply. A primary
//                          paused after a backup accepted may answer late, and a paused backup
//                          may accept late; both are safe, because the primary needs every
//                          backup of its view and the next view's primary is one of them, which
//                          refuses the old epoch once it moves on. An operation no backup
//                          accepted (a view without backups, or a naive primary that dropped
//                          them) is judged at its completion: that is the split brain.
//                          Whether every acknowledged write survives is the linearizability
//                          checker's question; this one names the moment fencing failed.
// Naive mode breaks both under a partition; fenced mode never should.
#include "protocols/primary_backup/invariants.h"

#include <fmt/format.h>

#include <map>
#include <utility>

namespace faultline::primary_backup {

namespace {

std::pair<uint64_t, uint64_t> epoch_and_index(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos) return {std::stoull(text), 0};
    return {std::stoull(text.substr(0, colon)), std::stoull(text.substr(colon + 1))};
}

class PrimaryBackupInvariants final : public plugin::InvariantMonitor {
public:
    explicit PrimaryBackupInvariants(std::vector<NodeId> servers) : servers_(std::move(servers)) {}

    void attach(const plugin::ClusterView& cluster) override {
        world_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) {
            if (e.kind != EventKind::annotate) return;
            std::string_view name = t.name(e.name);
            if (name == "accept") {
                // The newest epoch completed so far, as of the first acceptance.
                newest_at_accept_.emplace(epoch_and_index(e.text), highest_);
                return;
            }
            if (name != "complete") return;
            auto [epoch, index] = epoch_and_index(e.text);
            auto [it, fresh] = completer_.emplace(epoch, e.node);
            if (!fresh && it->second != e.node) {
                report("one_primary_per_epoch",
                       fmt::format("epoch {}: both {} and {} completed operations", epoch,
                                   world_->node_name(it->second), world_->node_name(e.node)),
                       e.time, e.index);
            }
            auto accepted = newest_at_accept_.find({epoch, index});
            uint64_t newest_at_commit = accepted != newest_at_accept_.end() ? accepted->second : highest_;
            if (epoch < newest_at_commit) {
                report("fencing",
                       fmt::format("{} completed operation {} of epoch {}, which reached no backup before epoch {} completed one",
                                   world_->node_name(e.node), index, epoch, newest_at_commit),
                       e.time, e.index);
            }
            highest_ = std::max(highest_, epoch);
        }, {EventKind::annotate});
    }

private:
    std::vector<NodeId> servers_;
    const plugin::ClusterView* world_ = nullptr;
    std::map<uint64_t, NodeId> completer_;
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> newest_at_accept_;  // (epoch, index) -> epoch
    uint64_t highest_ = 0;
};

}  // namespace

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers) {
    return std::make_unique<PrimaryBackupInvariants>(std::move(servers));
}

}  // namespace faultline::primary_backup
