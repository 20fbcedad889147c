#include "grading.h"

#include "node.h"

#include <charconv>
#include <map>
#include <optional>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {

std::optional<uint64_t> number(std::string_view s) {
    uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// Who leads when: the timeline behind the figures, fed by the monitor as the run goes.
struct Leadership {
    struct Server {
        bool up = true;
        uint64_t term = 0;
        std::string role = "follower";
    };
    std::vector<NodeId> servers;
    std::map<NodeId, Server> state;
    std::optional<std::pair<NodeId, uint64_t>> leader;  // now: (server, term), or none
    std::optional<Instant> first_leader;
    std::optional<Instant> gap_from;  // without a leader since (after the first one)
    Duration longest_gap = Duration::zero();
    int changes = 0;

    // The leader now: a live server leading a term that a majority of all servers are in.
    std::optional<std::pair<NodeId, uint64_t>> current() const {
        std::optional<std::pair<NodeId, uint64_t>> best;
        for (const auto& [id, s] : state) {
            if (!s.up || s.role != "leader" || (best && best->second >= s.term)) continue;
            std::size_t in_term = 0;
            for (const auto& [other, o] : state) in_term += o.up && o.term == s.term;
            if (in_term >= servers.size() / 2 + 1) best = std::pair{id, s.term};
        }
        return best;
    }

    void update(Instant now) {
        auto now_leader = current();
        if (now_leader == leader) return;
        if (now_leader) {
            ++changes;
            if (!first_leader) first_leader = now;
            if (gap_from) longest_gap = std::max(longest_gap, now - *gap_from), gap_from.reset();
        } else if (first_leader) {
            gap_from = now;
        }
        leader = now_leader;
    }

    std::map<std::string, double> figures(const plugin::FigureInputs& in) const {
        const Instant end = in.cluster.now();
        Duration gap = longest_gap;
        if (gap_from) gap = std::max(gap, end - *gap_from);
        int leaders = 0;
        for (NodeId s : servers) {
            const auto* n = in.cluster.is_up(s) ? in.cluster.process_as<RaftNode>(s) : nullptr;
            leaders += n != nullptr && n->role() == Role::leader;
        }
        auto millis = [](Duration d) { return static_cast<double>(d.ns()) / 1e6; };
        return {{"first_leader_ms", millis((first_leader ? *first_leader : end) - Instant::zero())},
                {"longest_gap_ms", millis(gap)},
                {"leader_changes", changes},
                {"leaders_at_end", leaders}};
    }
};

class Monitor final : public plugin::InvariantMonitor {
public:
    Monitor(std::shared_ptr<Leadership> leadership, bool logs) : leadership_(std::move(leadership)), logs_(logs) {}

    void attach(const plugin::ClusterView& cluster) override {
        cluster_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) { observe(e, t); });
    }

private:
    bool is_server(NodeId n) const { return leadership_->state.count(n) != 0; }

    void observe(const TraceEvent& e, const Trace& t) {
        if (!is_server(e.node)) return;
        auto& s = leadership_->state[e.node];
        if (e.kind == EventKind::crash) {
            s.up = false;
            leadership_->update(e.time);
        } else if (e.kind == EventKind::restart) {
            s = {};
        } else if (plugin::disk_lost_data(e.kind)) {
            // What the disk forgot was not the server's doing: its term and votes start over.
            last_term_.erase(e.node);
            plugin::erase_node(votes_, e.node);
        } else if (e.kind == EventKind::annotate) {
            annotate(e, t.name(e.name), s);
        }
    }

    void annotate(const TraceEvent& e, const std::string& key, Leadership::Server& s) {
        const std::string& who = cluster_->node_name(e.node);
        if (key == "term") {
            const auto term = number(e.text);
            if (!term) return;
            if (auto last = last_term_.find(e.node); last != last_term_.end() && *term < last->second)
                report("term_never_decreases",
                       fmt::format("{} was in term {} and is now in term {}: its term went back", who, last->second, *term),
                       e.time, e.index);
            last_term_[e.node] = *term;
            s.term = *term;
            leadership_->update(e.time);
        } else if (key == "role") {
            s.role = e.text;
            if (e.text == "leader") {
                auto [it, fresh] = leader_of_term_.emplace(s.term, e.node);
                if (!fresh && it->second != e.node)
                    report("election_safety",
                           fmt::format("term {} has two leaders: {} and {}", s.term, cluster_->node_name(it->second), who),
                           e.time, e.index);
            }
            leadership_->update(e.time);
        } else if (key == "vote") {
            const auto space = e.text.find(' ');
            const auto term = number(std::string_view(e.text).substr(0, space));
            if (!term || space == std::string::npos) return;
            const std::string candidate = e.text.substr(space + 1);
            auto [it, fresh] = votes_.emplace(std::pair{e.node, *term}, candidate);
            if (!fresh && it->second != candidate)
                report("one_vote_per_term",
                       fmt::format("{} voted twice in term {}: for {}, then for {}", who, *term, it->second, candidate),
                       e.time, e.index);
        } else if (key == "commit_index" && logs_) {
            check_commit_rule(e, s);
            check_commits(e);
        }
    }

    // The commit rule (Figure 2, and Figure 8 for why): a leader moves its commit index only onto
    // an entry of its own term. The anomaly an old-term commit allows needs a rare schedule to
    // show; the rule is broken every time a new leader counts an old entry's replicas.
    void check_commit_rule(const TraceEvent& e, const Leadership::Server& s) {
        const auto* n = cluster_->process_as<RaftNode>(e.node);
        if (n == nullptr || s.role != "leader" || n->commit_index() == 0 || n->commit_index() > n->log().size()) return;
        const LogEntry& entry = n->log()[n->commit_index() - 1];
        if (entry.term != s.term)
            report("leader_commits_own_term",
                   fmt::format("{}, leader of term {}, committed index {} by counting, an entry of term {} ('{}')",
                               cluster_->node_name(e.node), s.term, n->commit_index(), entry.term, entry.op.describe()),
                   e.time, e.index);
    }

    // State-machine safety: the entry a server commits at an index is the one every server
    // committed there.
    void check_commits(const TraceEvent& e) {
        const auto* n = cluster_->process_as<RaftNode>(e.node);
        if (n == nullptr) return;
        const uint64_t upto = std::min<uint64_t>(n->commit_index(), n->log().size());
        uint64_t& seen = committed_upto_[e.node];
        for (uint64_t i = seen + 1; i <= upto; ++i) {
            const LogEntry& entry = n->log()[i - 1];
            auto [it, fresh] = committed_.emplace(i, std::pair{entry, e.node});
            if (!fresh && !(it->second.first == entry))
                report("state_machine_safety",
                       fmt::format("index {} was committed as '{}' (term {}) on {} and as '{}' (term {}) on {}", i,
                                   it->second.first.op.describe(), it->second.first.term,
                                   cluster_->node_name(it->second.second), entry.op.describe(), entry.term,
                                   cluster_->node_name(e.node)),
                       e.time, e.index);
        }
        seen = std::max(seen, upto);
    }

    std::shared_ptr<Leadership> leadership_;
    bool logs_;
    const plugin::ClusterView* cluster_ = nullptr;
    std::map<NodeId, uint64_t> last_term_;
    std::map<uint64_t, NodeId> leader_of_term_;
    std::map<std::pair<NodeId, uint64_t>, std::string> votes_;  // (voter, term) -> candidate
    std::map<uint64_t, std::pair<LogEntry, NodeId>> committed_;  // index -> entry, first committer
    std::map<NodeId, uint64_t> committed_upto_;
};

}  // namespace

std::vector<std::string> invariant_names(bool logs) {
    std::vector<std::string> out{"election_safety", "one_vote_per_term", "term_never_decreases"};
    if (logs) out.insert(out.end(), {"state_machine_safety", "leader_commits_own_term"});
    return out;
}

std::vector<scenario::FigureSpec> figure_specs() {
    using scenario::figure;
    using scenario::FigureType;
    return {figure("first_leader_ms", "when the cluster first had a leader (ms of virtual time)", FigureType::real),
            figure("longest_gap_ms", "the longest time without a leader after the first (ms)", FigureType::real),
            figure("leader_changes", "leaders (server and term) the cluster had"),
            figure("leaders_at_end", "servers that believe they are leader at the end")};
}

Grading grading(std::vector<NodeId> servers, bool logs) {
    auto leadership = std::make_shared<Leadership>();
    leadership->servers = servers;
    for (NodeId s : servers) leadership->state[s] = {};
    Grading g;
    g.invariants = std::make_unique<Monitor>(leadership, logs);
    g.figures = [leadership](const plugin::FigureInputs& in) { return leadership->figures(in); };
    return g;
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
