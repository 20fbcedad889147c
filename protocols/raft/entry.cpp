// Raft's plug-in (protocols/plugin/protocol_entry.h): options, the client adapter, the system's
// data, roles, figures and the invariant monitor. The only file of protocols/raft/ that sees
// the World (to add the servers).
#include "protocols/plugin/figures.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"
#include "protocols/raft/client.h"
#include "protocols/raft/invariants.h"
#include "protocols/raft/raft_node.h"

#include "sim/world.h"

namespace faultline::raft {

namespace {

using plugin::bool_option;
using plugin::int_option;

class RaftKvClient final : public kv::KvClient {
public:
    RaftKvClient(Context& ctx, ClientOptions o) : client_(ctx, std::move(o)) {}
    kv::KvResult execute(const kv::KvOp& op) override {
        ClientResult r;
        switch (op.f) {
            case kv::Function::get: r = client_.get(op.key); break;
            case kv::Function::put: r = client_.put(op.key, op.value); break;
            case kv::Function::append: r = client_.append(op.key, op.value); break;
            case kv::Function::cas: r = client_.cas(op.key, op.expected, op.value); break;
            case kv::Function::add:
            case kv::Function::incr:
            case kv::Function::remove:
                FL_ASSERT(false, "Raft serves get, put, append and cas only: its spec refuses the rest at parse time");
                break;
        }
        kv::KvResult out;
        out.outcome = r.outcome;
        out.found = r.result.found;
        out.value = r.result.value;
        out.swapped = op.f == kv::Function::cas && r.result.ok;
        out.served_by = r.served_by;
        return out;
    }

private:
    RaftClient client_;
};

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "raft";
    s.description = "Raft consensus (Ongaro & Ousterhout) replicating a key-value store";
    s.cap = scenario::CapClass::cp;
    s.options = {
        int_option("election_timeout_ms_min", 150, "randomized election timeout, low end (local time)", 1),
        int_option("election_timeout_ms_max", 300, "randomized election timeout, high end (local time)", 1),
        int_option("heartbeat_interval_ms", 50, "leader heartbeat interval (local time)", 1),
        int_option("append_entries_max", 64, "entries per AppendEntries message", 1, 100000),
        int_option("snapshot_threshold_entries", 0,
                   "compact the log into a snapshot after this many applied entries (0: never; §7)", 0, 1e9),
        bool_option("lease_reads", false,
                    "leaders answer gets from a lease (thesis 6.4.1); unsafe when clocks drift past the bound"),
        int_option("lease_drift_bound_ppm", 10000, "lease reads: assumed clock-rate bound (ppm)", 0, 500000),
        bool_option("pre_vote", false, "PreVote (thesis §9.6): a rejoining server does not depose a stable leader"),
        bool_option("check_quorum", false,
                    "CheckQuorum (thesis §6.2): a leader that hears no majority for an election timeout steps down"),
        // Planted bugs (options.h): broken variants the checkers must catch.
        bool_option("bug_commit_old_term_entries", false,
                    "PLANTED BUG: commit entries of earlier terms by counting replicas (Figure 8)"),
        bool_option("bug_vote_without_persisting", false,
                    "PLANTED BUG: reply to RequestVote before term and vote are on disk (double votes after a restart)"),
        bool_option("bug_vote_without_log_check", false,
                    "PLANTED BUG: grant votes without the up-to-date-log check (§5.4.1)"),
        int_option("planted_assert_from_term", 0,
                   "PLANTED FAULT: a server that becomes leader of this term or later fails an FL_ASSERT "
                   "(tests of sweep/run/shrink containment; 0: off)", 0, 1e9),
    };
    s.check_options = [specs = s.options](const scenario::OptionValues& given, int /*servers*/) {
        plugin::Options o(specs, given);
        std::vector<scenario::OptionError> errors;
        const int64_t low = o.integer("election_timeout_ms_min"), high = o.integer("election_timeout_ms_max");
        if (low > high)
            errors.push_back({given.count("election_timeout_ms_max") ? "election_timeout_ms_max" : "election_timeout_ms_min",
                              fmt::format("election_timeout_ms_min ({}) is above election_timeout_ms_max ({})", low, high)});
        if (o.integer("heartbeat_interval_ms") >= low)
            errors.push_back({given.count("heartbeat_interval_ms") ? "heartbeat_interval_ms" : "election_timeout_ms_min",
                              fmt::format("heartbeat_interval_ms ({}) must be below election_timeout_ms_min ({}): "
                                          "followers would start elections between heartbeats",
                                          o.integer("heartbeat_interval_ms"), low)});
        return errors;
    };
    s.operations = {"get", "put", "append", "cas"};
    s.figures = {plugin::minority_ok_writes_figure()};
    s.invariants = invariant_names;
    // Besides the three states, two roles a nemesis aims at (a server may hold several):
    // "voted": a follower that granted its vote this term and has heard from no leader since (the
    // window in which a forgotten vote elects two leaders); "acknowledged": a follower holding
    // entries it acknowledged that it does not yet know committed (the window of Figure 8).
    s.roles = {"leader", "candidate", "follower", "voted", "acknowledged"};
    s.buggify_sites = {
        {"raft.crash_after_vote", "a voter crashes right after granting its vote and is back within 2 ms (half its votes)"},
        {"raft.crash_after_append", "a leader crashes with its newest entry sent to only some followers (1 in 20 sends)"},
        {"raft.crash_after_commit", "a leader crashes right after its commit index advances, before followers learn it (1 in 20)"},
        {"raft.drop_commit_reply", "a leader drops its answer to a committed write (1 in 10)"},
        {"raft.client_impatient_retry", "client layer: a client resends its request to the same server 1 ms after sending it, the first copy still in flight (1 in 10 attempts)"},
        {"raft.slow_fsync", "a follower's fsync of appended entries takes 5-40 ms, its acknowledgement waiting for it (1 in 10)"},
    };
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 3;
    s.servers_odd = true;
    return s;
}

RaftOptions options_of(const plugin::Options& v, const std::vector<std::string>& servers) {
    RaftOptions o;
    o.cluster = servers;
    o.election_timeout_ms_min = v.integer("election_timeout_ms_min");
    o.election_timeout_ms_max = v.integer("election_timeout_ms_max");
    o.heartbeat_interval_ms = v.integer("heartbeat_interval_ms");
    o.append_entries_max = static_cast<std::size_t>(v.integer("append_entries_max"));
    o.snapshot_threshold_entries = static_cast<std::size_t>(v.integer("snapshot_threshold_entries"));
    o.pre_vote = v.boolean("pre_vote");
    o.lease_reads = v.boolean("lease_reads");
    o.lease_drift_bound_ppm = v.integer("lease_drift_bound_ppm");
    o.check_quorum = v.boolean("check_quorum");
    o.bug_commit_old_term_entries = v.boolean("bug_commit_old_term_entries");
    o.bug_vote_without_persisting = v.boolean("bug_vote_without_persisting");
    o.bug_vote_without_log_check = v.boolean("bug_vote_without_log_check");
    o.planted_assert_from_term = v.integer("planted_assert_from_term");
    return o;
}

// The most advanced live server's applied state.
std::map<std::string, std::string> data(const plugin::ClusterView& cluster, const std::vector<NodeId>& servers) {
    const RaftNode* best = nullptr;
    for (NodeId id : servers) {
        if (!cluster.is_up(id)) continue;
        const auto* n = cluster.process_as<RaftNode>(id);
        if (n != nullptr && (best == nullptr || n->last_applied() > best->last_applied())) best = n;
    }
    return best ? best->kv() : std::map<std::string, std::string>{};
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    const RaftOptions o = options_of(v, servers);
    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, raft_node(o)));
    b.make_client = [servers](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        ClientOptions co;
        co.servers = servers;
        co.call_timeout_ms = s.attempt_timeout.ns() / 1'000'000;
        co.attempts_max = s.attempts_max;
        co.trace_operations = false;
        return std::make_unique<RaftKvClient>(ctx, co);
    };
    const std::vector<NodeId> ids = b.servers;
    b.data = [ids](const plugin::ClusterView& c) { return data(c, ids); };
    auto role_of = [](const RaftNode& n) { return to_string(n.role()); };
    b.roles = [ids](const plugin::ClusterView& c) {
        std::map<std::string, std::vector<NodeId>> out;
        plugin::for_each_live<RaftNode>(c, ids, [&](NodeId id, const RaftNode& n) {
            out[std::string(to_string(n.role()))].push_back(id);
            if (n.role() != Role::follower) return;
            if (n.voted_for() != no_node && n.voted_for() != id && n.leader_hint() == no_node) out["voted"].push_back(id);
            if (n.last_log_index() > n.commit_index()) out["acknowledged"].push_back(id);
        });
        return out;
    };
    auto data_of = [](const RaftNode& n) -> const auto& { return n.kv(); };
    b.replica_states = plugin::replica_states_by<RaftNode>(ids, role_of, data_of);
    b.replicas_agree = plugin::replicas_agree_by<RaftNode>(ids, data_of);
    b.figures = plugin::report_minority_ok_writes;
    b.invariants = invariants(b.servers);
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::raft
