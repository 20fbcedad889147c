#include "runner/registry.h"

#include "protocols/primary_backup/client.h"
#include "protocols/primary_backup/replica.h"
#include "protocols/primary_backup/view_service.h"
#include "protocols/quorum_register/register_client.h"
#include "protocols/quorum_register/register_server.h"
#include "protocols/raft/client.h"
#include "protocols/raft/raft_node.h"

#include <algorithm>

namespace faultline::runner {

using scenario::OptionSpec;
using scenario::OptionType;
using scenario::OptionValue;
using scenario::OptionValues;

namespace {

OptionSpec int_option(std::string name, int64_t def, std::string description, double min = 0, double max = 1e9) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = OptionType::integer;
    s.default_value = def;
    s.description = std::move(description);
    s.min = min;
    s.max = max;
    return s;
}

OptionSpec bool_option(std::string name, bool def, std::string description) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = OptionType::boolean;
    s.default_value = def;
    s.description = std::move(description);
    return s;
}

OptionSpec string_option(std::string name, std::string def, std::string description, std::vector<std::string> choices) {
    OptionSpec s;
    s.name = std::move(name);
    s.type = OptionType::string;
    s.default_value = std::move(def);
    s.description = std::move(description);
    s.choices = std::move(choices);
    return s;
}

// --- Raft ------------------------------------------------------------------------------------

class RaftKvClient final : public kv::KvClient {
public:
    RaftKvClient(Context& ctx, raft::ClientOptions o) : client_(ctx, std::move(o)) {}
    kv::KvResult execute(const kv::KvOp& op) override {
        raft::ClientResult r;
        switch (op.f) {
            case kv::Function::get: r = client_.get(op.key); break;
            case kv::Function::put: r = client_.put(op.key, op.value); break;
            case kv::Function::append: r = client_.append(op.key, op.value); break;
            case kv::Function::cas: r = client_.cas(op.key, op.expected, op.value); break;
        }
        kv::KvResult out;
        out.outcome = r.outcome;
        out.found = r.result.found;
        out.value = r.result.value;
        out.swapped = op.f == kv::Function::cas && r.result.ok;
        return out;
    }

private:
    raft::RaftClient client_;
};

Protocol make_raft() {
    Protocol p;
    p.spec.name = "raft";
    p.spec.description = "Raft consensus (Ongaro & Ousterhout) replicating a key-value store: CP";
    p.spec.options = {
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
        // Planted bugs (protocols/raft/options.h): broken variants the checkers must catch.
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
    p.build = [](World& world, const std::vector<std::string>& servers, const OptionValues& v) {
        const Protocol& self = *find_protocol("raft");
        raft::RaftOptions o;
        o.cluster = servers;
        o.election_timeout_ms_min = option_int(self, v, "election_timeout_ms_min");
        o.election_timeout_ms_max = option_int(self, v, "election_timeout_ms_max");
        o.heartbeat_interval_ms = option_int(self, v, "heartbeat_interval_ms");
        o.append_entries_max = static_cast<std::size_t>(option_int(self, v, "append_entries_max"));
        o.snapshot_threshold_entries = static_cast<std::size_t>(option_int(self, v, "snapshot_threshold_entries"));
        o.pre_vote = option_bool(self, v, "pre_vote");
        o.lease_reads = option_bool(self, v, "lease_reads");
        o.lease_drift_bound_ppm = option_int(self, v, "lease_drift_bound_ppm");
        o.check_quorum = option_bool(self, v, "check_quorum");
        o.bug_commit_old_term_entries = option_bool(self, v, "bug_commit_old_term_entries");
        o.bug_vote_without_persisting = option_bool(self, v, "bug_vote_without_persisting");
        o.bug_vote_without_log_check = option_bool(self, v, "bug_vote_without_log_check");
        o.planted_assert_from_term = option_int(self, v, "planted_assert_from_term");
        BuiltSystem b;
        for (const auto& name : servers) b.servers.push_back(world.add_node(name, raft::raft_node(o)));
        b.make_client = [servers](Context& ctx, const ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
            raft::ClientOptions co;
            co.servers = servers;
            co.call_timeout_ms = s.attempt_timeout.ns() / 1'000'000;
            co.attempts_max = s.attempts_max;
            co.trace_operations = false;
            return std::make_unique<RaftKvClient>(ctx, co);
        };
        std::vector<NodeId> ids = b.servers;
        b.final_state = [ids](World& w) {
            // The most advanced live server's applied state.
            const raft::RaftNode* best = nullptr;
            for (NodeId id : ids) {
                if (!w.is_up(id)) continue;
                auto* n = dynamic_cast<const raft::RaftNode*>(w.process(id));
                if (n != nullptr && (best == nullptr || n->last_applied() > best->last_applied())) best = n;
            }
            return best ? best->kv() : std::map<std::string, std::string>{};
        };
        b.invariants = raft_invariants(b.servers);
        return b;
    };
    return p;
}

// --- Primary-backup --------------------------------------------------------------------------

Protocol make_primary_backup() {
    Protocol p;
    p.spec.name = "primary_backup";
    p.spec.description = "primary-backup replication: `naive` (split brain) or `fenced` (view service, epochs)";
    p.spec.options = {
        string_option("mode", "fenced", "naive: backups self-promote; fenced: a view service fences old primaries",
                      {"naive", "fenced"}),
        int_option("heartbeat_interval_ms", 50, "primary heartbeats and pings (local time)", 1),
        int_option("promote_after_ms", 200, "naive: a backup promotes itself after this silence", 1),
        int_option("replicate_timeout_ms", 60, "how long the primary waits for backup acks", 1),
        int_option("dead_after_ms", 250, "fenced: the view service declares a replica dead after this silence", 1),
    };
    p.build = [](World& world, const std::vector<std::string>& servers, const OptionValues& v) {
        const Protocol& self = *find_protocol("primary_backup");
        primary_backup::Options o;
        o.mode = option_string(self, v, "mode") == "naive" ? primary_backup::Mode::naive : primary_backup::Mode::fenced;
        o.replicas = servers;
        o.heartbeat_interval = milliseconds(option_int(self, v, "heartbeat_interval_ms"));
        o.promote_after = milliseconds(option_int(self, v, "promote_after_ms"));
        o.replicate_timeout = milliseconds(option_int(self, v, "replicate_timeout_ms"));
        o.dead_after = milliseconds(option_int(self, v, "dead_after_ms"));
        BuiltSystem b;
        for (const auto& name : servers) b.servers.push_back(world.add_node(name, primary_backup::replica(o)));
        if (o.mode == primary_backup::Mode::fenced) {
            b.infrastructure.push_back(world.add_node(o.view_service, primary_backup::view_service(o)));
        }
        b.make_client = [servers](Context& ctx, const ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
            primary_backup::ClientOptions co;
            co.replicas = servers;
            co.call_timeout = s.attempt_timeout;
            co.attempts_max = s.attempts_max;
            return std::make_unique<primary_backup::PbClient>(ctx, co);
        };
        std::vector<NodeId> ids = b.servers;
        b.final_state = [ids](World& w) {
            const primary_backup::Replica* best = nullptr;
            for (NodeId id : ids) {
                if (!w.is_up(id)) continue;
                auto* r = dynamic_cast<const primary_backup::Replica*>(w.process(id));
                if (r == nullptr) continue;
                bool better = best == nullptr || (r->role() == primary_backup::Role::primary &&
                                                  (best->role() != primary_backup::Role::primary || r->epoch() > best->epoch()));
                if (better) best = r;
            }
            return best ? best->store().data() : std::map<std::string, std::string>{};
        };
        b.invariants = primary_backup_invariants(b.servers);
        return b;
    };
    return p;
}

// --- Quorum register (the tutorial's protocol) ------------------------------------------------

Protocol make_quorum_register() {
    Protocol p;
    p.spec.name = "quorum_register";
    p.spec.description = "the tutorial's register (docs/tutorial.md): two-phase quorum reads and writes, get and put only";
    p.spec.options = {
        bool_option("wait_for_majority", false,
                    "true: each phase waits for a majority (n/2+1); false: for n/2, the tutorial's bug"),
    };
    p.build = [](World& world, const std::vector<std::string>& servers, const OptionValues& v) {
        const Protocol& self = *find_protocol("quorum_register");
        quorum_register::Options o;
        o.servers = servers;
        o.wait_for_majority = option_bool(self, v, "wait_for_majority");
        BuiltSystem b;
        for (const auto& name : servers) b.servers.push_back(world.add_node(name, quorum_register::register_server(o)));
        b.make_client = [servers](Context& ctx, const ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
            return std::make_unique<quorum_register::RegisterClient>(ctx, servers, s.attempt_timeout);
        };
        std::vector<NodeId> ids = b.servers;
        b.final_state = [ids](World& w) {
            // Per key, the newest version any live server holds.
            std::map<std::string, quorum_register::Stamped> newest;
            for (NodeId id : ids) {
                if (!w.is_up(id)) continue;
                auto* r = dynamic_cast<const quorum_register::RegisterServer*>(w.process(id));
                if (r == nullptr) continue;
                for (const auto& [key, s] : r->data())
                    if (newest[key].version < s.version) newest[key] = s;
            }
            std::map<std::string, std::string> out;
            for (const auto& [key, s] : newest)
                if (s.found) out[key] = s.value;
            return out;
        };
        return b;  // no invariant monitor: the checkers here are linearizability and liveness
    };
    return p;
}

const OptionSpec& spec_of(const Protocol& p, const std::string& name) {
    for (const auto& s : p.spec.options)
        if (s.name == name) return s;
    FL_ASSERT(false, "protocol {} has no option {}", p.spec.name, name);
    return p.spec.options.front();
}

const OptionValue& value_of(const Protocol& p, const OptionValues& v, const std::string& name) {
    auto it = v.find(name);
    return it != v.end() ? it->second : spec_of(p, name).default_value;
}

}  // namespace

const std::vector<Protocol>& protocols() {
    static const std::vector<Protocol> all = {make_raft(), make_primary_backup(), make_quorum_register()};
    return all;
}

const Protocol* find_protocol(std::string_view name) {
    for (const auto& p : protocols())
        if (p.spec.name == name) return &p;
    return nullptr;
}

scenario::ProtocolCatalog catalog() {
    scenario::ProtocolCatalog out;
    for (const auto& p : protocols()) out.push_back(p.spec);
    return out;
}

int64_t option_int(const Protocol& p, const OptionValues& v, const std::string& name) {
    const OptionValue& x = value_of(p, v, name);
    if (auto* i = std::get_if<int64_t>(&x)) return *i;
    if (auto* d = std::get_if<double>(&x)) return static_cast<int64_t>(*d);
    FL_ASSERT(false, "option {} of {} is not a number", name, p.spec.name);
    return 0;
}

double option_real(const Protocol& p, const OptionValues& v, const std::string& name) {
    const OptionValue& x = value_of(p, v, name);
    if (auto* d = std::get_if<double>(&x)) return *d;
    if (auto* i = std::get_if<int64_t>(&x)) return static_cast<double>(*i);
    FL_ASSERT(false, "option {} of {} is not a number", name, p.spec.name);
    return 0;
}

bool option_bool(const Protocol& p, const OptionValues& v, const std::string& name) {
    const OptionValue& x = value_of(p, v, name);
    auto* b = std::get_if<bool>(&x);
    FL_ASSERT(b != nullptr, "option {} of {} is not a boolean", name, p.spec.name);
    return *b;
}

std::string option_string(const Protocol& p, const OptionValues& v, const std::string& name) {
    const OptionValue& x = value_of(p, v, name);
    auto* s = std::get_if<std::string>(&x);
    FL_ASSERT(s != nullptr, "option {} of {} is not a string", name, p.spec.name);
    return *s;
}

}  // namespace faultline::runner
