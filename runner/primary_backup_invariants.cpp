// Primary-backup's safety property, the point of fencing: in each epoch at most one primary can
// complete operations, and once an operation completes in some epoch, no operation completes in
// an older one (an old primary is fenced off). Read from the "complete" annotation (value: the
// epoch) that a primary emits for every operation it completes. Naive mode breaks both under a
// partition; fenced mode never should.
#include "runner/invariants.h"

#include <fmt/format.h>

#include <map>

namespace faultline::runner {

namespace {

class PrimaryBackupInvariants final : public InvariantMonitor {
public:
    explicit PrimaryBackupInvariants(std::vector<NodeId> servers) : servers_(std::move(servers)) {}

    std::vector<std::string> names() const override { return {"one_primary_per_epoch", "fencing"}; }

    void attach(World& world) override {
        world_ = &world;
        world.trace().add_observer([this](const TraceEvent& e, const Trace& t) {
            if (e.kind != EventKind::annotate || t.name(e.name) != "complete") return;
            uint64_t epoch = std::stoull(e.text);
            auto [it, fresh] = completer_.emplace(epoch, e.node);
            if (!fresh && it->second != e.node) {
                report("one_primary_per_epoch",
                       fmt::format("epoch {}: both {} and {} completed operations", epoch,
                                   world_->node_name(it->second), world_->node_name(e.node)),
                       e.time, e.index);
            }
            if (epoch < highest_) {
                report("fencing",
                       fmt::format("{} completed an operation in epoch {} after epoch {} had completed one",
                                   world_->node_name(e.node), epoch, highest_),
                       e.time, e.index);
            }
            highest_ = std::max(highest_, epoch);
        });
    }

private:
    std::vector<NodeId> servers_;
    World* world_ = nullptr;
    std::map<uint64_t, NodeId> completer_;
    uint64_t highest_ = 0;
};

}  // namespace

std::unique_ptr<InvariantMonitor> primary_backup_invariants(std::vector<NodeId> servers) {
    return std::make_unique<PrimaryBackupInvariants>(std::move(servers));
}

}  // namespace faultline::runner
