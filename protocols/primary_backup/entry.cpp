// Primary-backup's plug-in (protocols/plugin/protocol_entry.h): options, the client, the
// system's data, roles, figures and the invariant monitor. The only file of
// protocols/primary_backup/ that sees the World (to add the replicas and the view service).
#include "protocols/plugin/figures.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"
#include "protocols/primary_backup/client.h"
#include "protocols/primary_backup/invariants.h"
#include "protocols/primary_backup/replica.h"
#include "protocols/primary_backup/view_service.h"

#include "sim/world.h"

namespace faultline::primary_backup {

namespace {

using plugin::int_option;
using plugin::string_option;

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "primary_backup";
    s.description = "primary-backup replication: `naive` (split brain) or `fenced` (view service, epochs)";
    // Fenced mode is CP (it refuses writes it cannot replicate to its whole view); naive mode is
    // a broken CP design, not an AP one: it accepts writes it will lose.
    s.cap = scenario::CapClass::cp;
    s.options = {
        string_option("mode", "fenced", "naive: backups self-promote; fenced: a view service fences old primaries",
                      {"naive", "fenced"}),
        int_option("heartbeat_interval_ms", 50, "primary heartbeats and pings (local time)", 1),
        int_option("promote_after_ms", 200, "naive: a backup promotes itself after this silence", 1),
        int_option("replicate_timeout_ms", 60, "how long the primary waits for backup acks", 1),
        int_option("dead_after_ms", 250, "fenced: the view service declares a replica dead after this silence", 1),
    };
    s.operations = {"get", "put", "append", "cas"};
    s.figures = {plugin::minority_ok_writes_figure()};
    s.invariants = invariant_names;
    // "acknowledged" besides the three states: a backup that has applied (and acknowledged) an
    // operation its primary has not completed yet, the moment a nemesis aims at.
    s.roles = {"primary", "backup", "idle", "acknowledged"};
    s.buggify_sites = {
        {"primary_backup.crash_after_ack", "a backup crashes right after acknowledging a write (1 in 50)"},
        {"primary_backup.client_impatient_retry",
         "client layer: a client resends its request to the same replica 1 ms after sending it, the first copy still in flight (1 in 10 attempts)"},
    };
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 2;
    return s;
}

Options options_of(const plugin::Options& v, const std::vector<std::string>& servers) {
    Options o;
    o.mode = v.string("mode") == "naive" ? Mode::naive : Mode::fenced;
    o.replicas = servers;
    o.heartbeat_interval = milliseconds(v.integer("heartbeat_interval_ms"));
    o.promote_after = milliseconds(v.integer("promote_after_ms"));
    o.replicate_timeout = milliseconds(v.integer("replicate_timeout_ms"));
    o.dead_after = milliseconds(v.integer("dead_after_ms"));
    return o;
}

// The primary of the newest epoch that is up, else any live replica's data.
std::map<std::string, std::string> data(const plugin::ClusterView& cluster, const std::vector<NodeId>& servers) {
    const Replica* best = nullptr;
    for (NodeId id : servers) {
        const Replica* r = cluster.is_up(id) ? cluster.process_as<Replica>(id) : nullptr;
        if (r == nullptr) continue;
        const bool better = best == nullptr || (r->role() == Role::primary &&
                                                (best->role() != Role::primary || r->epoch() > best->epoch()));
        if (better) best = r;
    }
    return best ? best->store().data() : std::map<std::string, std::string>{};
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    const Options o = options_of(v, servers);
    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, replica(o)));
    if (o.mode == Mode::fenced) b.infrastructure.push_back(world.add_node(o.view_service, view_service(o)));
    b.make_client = [servers](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        ClientOptions co;
        co.replicas = servers;
        co.call_timeout = s.attempt_timeout;
        co.attempts_max = s.attempts_max;
        return std::make_unique<PbClient>(ctx, co);
    };
    const std::vector<NodeId> ids = b.servers;
    b.data = [ids](const plugin::ClusterView& c) { return data(c, ids); };
    auto role_of = [](const Replica& r) { return to_string(r.role()); };
    b.roles = [ids](const plugin::ClusterView& c) {
        std::map<std::string, std::vector<NodeId>> out;
        std::optional<std::pair<uint64_t, uint64_t>> primary;  // (epoch, applied) of the newest primary
        plugin::for_each_live<Replica>(c, ids, [&](NodeId id, const Replica& r) {
            out[std::string(to_string(r.role()))].push_back(id);
            if (r.role() == Role::primary && (!primary || r.epoch() > primary->first)) primary = {r.epoch(), r.applied()};
        });
        if (primary) {
            plugin::for_each_live<Replica>(c, ids, [&](NodeId id, const Replica& r) {
                if (r.role() == Role::backup && r.epoch() == primary->first && r.applied() > primary->second)
                    out["acknowledged"].push_back(id);
            });
        }
        return out;
    };
    auto data_of = [](const Replica& r) -> const auto& { return r.store().data(); };
    b.replica_states = plugin::replica_states_by<Replica>(ids, role_of, data_of);
    b.replicas_agree = plugin::replicas_agree_by<Replica>(ids, data_of);
    b.figures = plugin::report_minority_ok_writes;
    b.invariants = invariants(b.servers);
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::primary_backup
