// RaftCluster: a test fixture that runs n1..nN as a Raft cluster in one World, plus client nodes
// that run RaftClient scripts in fibers.
//
// It records, from the trace's state annotations (an observer, so it works at every trace
// level), which node claimed leadership in which term: `leaders_by_term` is the raw material for
// the Election Safety check (§5.2: at most one leader per term).
//
// The fixture holds a World and an observer that points back at it: it is neither copyable nor
// movable.
#pragma once

#include "protocols/raft/client.h"
#include "protocols/raft/raft_node.h"

#include "sim/world.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faultline::raft::test {

// A log entry "put x <value>" of `term`, from client 1 (for scripted leaders' AppendEntries).
inline LogEntry put_entry(uint64_t term, std::string value) {
    LogEntry e;
    e.term = term;
    e.command.operation = Operation::put;
    e.command.key = std::string("x");  // not = "x": GCC 12 raises a false -Wrestrict (PR 105651)
    e.command.value = std::move(value);
    e.command.client_id = 1;
    e.command.sequence = term * 100 + e.command.value.size();
    return e;
}

struct ClusterOptions {
    std::size_t node_count = 3;
    uint64_t seed = 1;
    LinkConfig network{};
    TraceLevel trace_level = TraceLevel::events;
    RaftOptions raft{};  // every server's options; `cluster` is filled in with n1..nN
};

class RaftCluster {
    static WorldOptions world_options(const ClusterOptions& o) {
        WorldOptions w;  // assigned, not designated: GCC warns of the members a designated list leaves out
        w.seed = o.seed;
        w.trace_level = o.trace_level;
        w.network = o.network;
        return w;
    }

public:
    explicit RaftCluster(ClusterOptions options)
        : world_(world_options(options)) {
        for (std::size_t i = 1; i <= options.node_count; ++i) names_.push_back(fmt::format("n{}", i));
        raft_options_ = options.raft;
        raft_options_.cluster = names_;
        for (const std::string& name : names_) world_.add_node(name, raft_node(raft_options_));
        world_.trace().add_observer([this](const TraceEvent& e, const Trace& trace) { observe(e, trace); });
    }
    RaftCluster(const RaftCluster&) = delete;
    RaftCluster& operator=(const RaftCluster&) = delete;

    World& world() { return world_; }
    const std::vector<std::string>& names() const { return names_; }
    NodeId id(const std::string& name) const { return world_.node_id(name); }
    bool is_up(const std::string& name) const { return world_.is_up(id(name)); }
    RaftNode& node(const std::string& name) { return world_.process_as<RaftNode>(id(name)); }

    void run_for(Duration d) { world_.run_for(d); }
    void crash(const std::string& name) { world_.crash(id(name)); }
    void restart(const std::string& name) { world_.restart(id(name)); }
    void partition(const std::vector<std::vector<std::string>>& groups) {
        std::vector<std::vector<NodeId>> ids;
        for (const auto& g : groups) {
            ids.emplace_back();
            for (const auto& name : g) ids.back().push_back(id(name));
        }
        // Client nodes are not in any group: put them with the first group unless listed.
        for (NodeId c : clients_) {
            bool listed = false;
            for (const auto& g : ids)
                for (NodeId n : g) listed = listed || n == c;
            if (!listed) ids.front().push_back(c);
        }
        world_.set_partition(Partition::groups(world_.node_count(), ids));
    }
    void heal() { world_.heal(); }

    // Up servers that currently believe they lead.
    std::vector<std::string> leaders() {
        std::vector<std::string> out;
        for (const auto& name : names_)
            if (is_up(name) && node(name).role() == Role::leader) out.push_back(name);
        return out;
    }

    // Runs in 10 ms steps until exactly one up server leads and has committed in its term (its
    // no-op), at most `limit`. Returns its name.
    std::optional<std::string> wait_for_leader(Duration limit = seconds(5)) {
        Instant end = world_.now() + limit;
        while (world_.now() < end) {
            world_.run_for(milliseconds(10));
            auto l = leaders();
            if (l.size() == 1) {
                RaftNode& n = node(l[0]);
                if (n.commit_index() > 0 && n.log_term_at(n.commit_index()) == n.term()) return l[0];
            }
        }
        return std::nullopt;
    }

    // A client node running `script` in a fiber with a RaftClient for this cluster.
    NodeId add_client(const std::string& name, std::function<void(RaftClient&, Context&)> script,
                      ClientOptions client_options = {}) {
        if (client_options.servers.empty()) client_options.servers = names_;
        NodeId c = world_.add_node(name, fiber_process([script, client_options](Context& ctx) {
                                       RaftClient client(ctx, client_options);
                                       script(client, ctx);
                                   }));
        clients_.push_back(c);
        return c;
    }

    // Election Safety material: term -> servers that annotated role=leader in that term.
    const std::map<uint64_t, std::set<NodeId>>& leaders_by_term() const { return leaders_by_term_; }
    std::size_t terms_with_two_leaders() const {
        std::size_t n = 0;
        for (const auto& [term, nodes] : leaders_by_term_) n += nodes.size() > 1;
        return n;
    }

    const RaftOptions& raft_options() const { return raft_options_; }

    // Probes (CONTRIBUTING.md rule 14): how often servers logged "raft: <what>: ...", e.g. "truncate",
    // "backup", "duplicate", "disk damage", so a test can show its rare paths were reached.
    std::size_t log_count(const std::string& what) const {
        auto it = log_counts_.find(what);
        return it == log_counts_.end() ? 0 : it->second;
    }

private:
    void observe(const TraceEvent& e, const Trace& trace) {
        if (e.kind == EventKind::log && e.text.rfind("raft: ", 0) == 0) {
            auto colon = e.text.find(':', 6);
            if (colon != std::string::npos) ++log_counts_[e.text.substr(6, colon - 6)];
        }
        if (e.kind != EventKind::annotate) return;
        const std::string& key = trace.name(e.name);
        if (key == "term") term_of_[e.node] = std::stoull(e.text);
        if (key == "role" && e.text == "leader") leaders_by_term_[term_of_[e.node]].insert(e.node);
    }

    World world_;
    std::vector<std::string> names_;
    RaftOptions raft_options_;
    std::vector<NodeId> clients_;
    std::map<NodeId, uint64_t> term_of_;
    std::map<uint64_t, std::set<NodeId>> leaders_by_term_;
    std::map<std::string, std::size_t> log_counts_;
};

}  // namespace faultline::raft::test
