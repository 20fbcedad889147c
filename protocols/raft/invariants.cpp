// Raft's safety properties (§5.4, Figure 3), checked on a run:
// - election safety: at most one leader per term (from role/term annotations, as they happen);
// - log matching: if two logs hold an entry with the same index and term, the logs are identical
//   up to that index (from the final logs);
// - leader completeness: an entry committed in a term is in the log of every leader of a later
//   term (committed entries seen at any time vs the logs of leaders, sampled as leaders appear);
// - state-machine safety: no two servers commit different entries at one index (final logs and
//   every commit_index annotation).
#include "protocols/raft/invariants.h"

#include "protocols/raft/raft_node.h"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace faultline::raft {

namespace {

class RaftInvariants final : public plugin::InvariantMonitor {
public:
    explicit RaftInvariants(std::vector<NodeId> servers) : servers_(std::move(servers)) {}

    void attach(const plugin::ClusterView& cluster) override {
        world_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) { observe(e, t); }, {EventKind::annotate});
    }

    void finish(const plugin::ClusterView& world) override {
        sample_commits(world, no_event);
        // Log matching over every pair of live servers' final logs.
        std::vector<std::pair<NodeId, const RaftNode*>> live;
        for (NodeId s : servers_) {
            if (!world.is_up(s)) continue;
            if (auto* n = world.process_as<RaftNode>(s)) live.emplace_back(s, n);
        }
        for (std::size_t a = 0; a < live.size(); ++a)
            for (std::size_t b = a + 1; b < live.size(); ++b) check_log_matching(world, live[a], live[b]);
    }

private:
    void observe(const TraceEvent& e, const Trace& t) {
        if (e.kind != EventKind::annotate || e.node == no_node) return;
        const std::string& key = t.name(e.name);
        if (key == "term") {
            term_of_[e.node] = std::stoull(e.text);
        } else if (key == "role" && e.text == "leader") {
            uint64_t term = term_of_[e.node];
            auto [it, fresh] = leader_of_term_.emplace(term, e.node);
            if (!fresh && it->second != e.node) {
                report("election_safety",
                       fmt::format("term {} has two leaders: {} and {}", term, world_->node_name(it->second),
                                   world_->node_name(e.node)),
                       e.time, e.index);
            }
            check_leader_completeness(e);
        } else if (key == "commit_index") {
            sample_commit(e.node, e.index);
        }
    }

    // Records the entry at each newly committed index of `node`, and checks it against what any
    // other server committed at that index (state-machine safety).
    void sample_commit(NodeId node, EventIndex at) {
        auto* n = world_->process_as<RaftNode>(node);
        if (n == nullptr) return;
        uint64_t commit = std::min<uint64_t>(n->commit_index(), n->last_log_index());
        uint64_t& seen = committed_upto_[node];
        for (uint64_t i = seen + 1; i <= commit; ++i) {
            // Entries compacted into a snapshot (installed or restored) cannot be read any more;
            // they were committed, and were checked here if this node held them then.
            if (i <= n->log_start_index()) continue;
            const LogEntry& entry = n->entry_at(i);
            if (committed_.size() < i) committed_.resize(i);
            std::optional<Committed>& first = committed_[i - 1];
            if (!first) {
                // The first server seen committing an index is the leader that committed it (a
                // follower learns commits from that leader, in its term): this is the commit's term.
                first = Committed{entry, term_of_[node]};
            } else if (!(first->entry == entry)) {
                report("state_machine_safety",
                       fmt::format("index {} committed as term {} '{}' and as term {} '{}' (on {})", i, first->entry.term,
                                   first->entry.command.describe(), entry.term, entry.command.describe(),
                                   world_->node_name(node)),
                       world_->now(), at);
            }
        }
        seen = std::max(seen, commit);
    }

    void sample_commits(const plugin::ClusterView& world, EventIndex at) {
        for (NodeId s : servers_)
            if (world.is_up(s)) sample_commit(s, at);
    }

    void check_leader_completeness(const TraceEvent& e) {
        auto* n = world_->process_as<RaftNode>(e.node);
        if (n == nullptr) return;
        const uint64_t term = term_of_[e.node];
        for (uint64_t index = 1; index <= committed_.size(); ++index) {
            if (!committed_[index - 1]) continue;
            const auto& [entry, committed_in_term] = *committed_[index - 1];
            // §5.4: an entry committed in term X is in the log of every leader of a term after X.
            // A leader of term X or earlier may lack it: a candidate paused (or whose vote replies
            // were delayed) can win an older term after a newer term has committed entries; it is
            // deposed as soon as it hears that term.
            if (committed_in_term >= term) continue;
            // A compacted index counts as present: a snapshot holds only committed entries.
            bool present = index <= n->log_start_index() ||
                           (index <= n->last_log_index() && n->entry_at(index) == entry);
            if (!present) {
                report("leader_completeness",
                       fmt::format("{} leads term {} without committed entry {} (term {} '{}')",
                                   world_->node_name(e.node), term_of_[e.node], index, entry.term,
                                   entry.command.describe()),
                       e.time, e.index);
                return;  // one report per election is enough
            }
        }
    }

    void check_log_matching(const plugin::ClusterView& world, std::pair<NodeId, const RaftNode*> a,
                            std::pair<NodeId, const RaftNode*> b) {
        const RaftNode& na = *a.second;
        const RaftNode& nb = *b.second;
        // Only indexes both still hold can be compared (snapshots compact a prefix away).
        uint64_t first = std::max(na.log_start_index(), nb.log_start_index()) + 1;
        uint64_t last = std::min(na.last_log_index(), nb.last_log_index());
        // Find the highest index where the terms agree; everything up to it must be identical.
        for (uint64_t i = last; i >= first; --i) {
            if (na.entry_at(i).term != nb.entry_at(i).term) continue;
            for (uint64_t j = first; j <= i; ++j) {
                if (!(na.entry_at(j) == nb.entry_at(j))) {
                    report("log_matching",
                           fmt::format("{} and {} agree on index {} (term {}) but differ at index {}",
                                       world.node_name(a.first), world.node_name(b.first), i, na.entry_at(i).term, j),
                           world.now());
                    return;
                }
            }
            return;
        }
    }

    std::vector<NodeId> servers_;
    const plugin::ClusterView* world_ = nullptr;
    std::map<NodeId, uint64_t> term_of_;
    std::map<uint64_t, NodeId> leader_of_term_;
    struct Committed {
        LogEntry entry;  // the entry first seen committed at its index
        uint64_t term;   // the term it was committed in
    };
    // [index - 1]: what was first seen committed at index (none: nobody held it when committed,
    // e.g. compacted into a snapshot first). Indexes are dense, so a vector, not a map.
    std::vector<std::optional<Committed>> committed_;
    std::map<NodeId, uint64_t> committed_upto_;
};

}  // namespace

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers) {
    return std::make_unique<RaftInvariants>(std::move(servers));
}

}  // namespace faultline::raft
