// The CRDT store's plug-in (protocols/plugin/protocol_entry.h). The only file of protocols/crdt/
// that sees the World (to add the servers).
#include "protocols/crdt/client.h"
#include "protocols/crdt/invariants.h"
#include "protocols/crdt/server.h"
#include "protocols/plugin/figures.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"

#include "sim/world.h"

#include <fmt/format.h>

#include <set>

namespace faultline::crdt {

namespace {

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "crdt";
    s.description = "state-based CRDTs (G-/PN-Counter, OR-Set, LWW and multi-value registers): any server answers at "
                    "once from its own state; replicas converge by gossip of full states or deltas";
    s.cap = scenario::CapClass::ap;
    s.options = {
        plugin::string_option("type", "g_counter",
                              "the CRDT every key is: g_counter, pn_counter (get, incr); or_set (get, add, remove); "
                              "lww_register, mv_register (get, put)",
                              crdt_type_names()),
        plugin::int_option("gossip_ms", 100, "how often a server gossips to `fanout` random peers (local time)", 1,
                           3'600'000),
        plugin::int_option("fanout", 2, "peers per gossip round (capped at the other servers)", 1, 64),
        plugin::bool_option("delta_state", false,
                            "true: gossip each peer only the deltas since its last acknowledgement (the full state when "
                            "unsure); false: the full state every round"),
        plugin::bool_option("orset_remove_loses_concurrent_adds", false,
                            "planted bug (or_set): a remove tombstones the element itself instead of the tags it saw, so "
                            "an add concurrent with it is lost after the merge (crdt_correctness catches it)"),
    };
    s.check_options = [specs = s.options](const scenario::OptionValues& given, int /*servers*/) {
        plugin::Options o(specs, given);
        std::vector<scenario::OptionError> errors;
        if (o.boolean("orset_remove_loses_concurrent_adds") && o.string("type") != "or_set")
            errors.push_back({"orset_remove_loses_concurrent_adds",
                              fmt::format("the planted bug is in the OR-Set's remove; type is {} (set type = \"or_set\")",
                                          o.string("type"))});
        return errors;
    };
    s.operations = {"get", "put", "incr", "add", "remove"};
    s.operations_for = [specs = s.options](const scenario::OptionValues& given) {
        const auto type = parse_crdt_type(plugin::Options(specs, given).string("type"));
        FL_ASSERT(type.has_value(), "the parser let an unknown type through");
        return operations_served(*type);
    };
    s.figures = {
        plugin::minority_ok_writes_figure(),
        scenario::figure("concurrent_versions", "keys some live replica holds as siblings at the end (mv_register; count)"),
        scenario::figure("gossip_bytes", "keys and encoded states sent by gossip over the whole run (bytes)"),
    };
    s.invariants = invariant_names;
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 2;
    return s;
}

Options options_of(const std::vector<std::string>& servers, const plugin::Options& v) {
    Options o;
    o.servers = servers;
    const auto type = parse_crdt_type(v.string("type"));
    FL_ASSERT(type.has_value(), "the parser let type '{}' through", v.string("type"));
    o.type = *type;
    o.gossip_ms = static_cast<int>(v.integer("gossip_ms"));
    o.fanout = static_cast<int>(v.integer("fanout"));
    o.delta_state = v.boolean("delta_state");
    o.orset_remove_loses_concurrent_adds = v.boolean("orset_remove_loses_concurrent_adds");
    o.meter = std::make_shared<GossipMeter>();
    return o;
}

// Per key, every live replica's state joined: what the replicas will hold once gossip is done.
std::map<std::string, KeyState> joined_states(const plugin::ClusterView& c, const std::vector<NodeId>& ids, CrdtType type) {
    std::map<std::string, KeyState> out;
    plugin::for_each_live<Server>(c, ids, [&](NodeId, const Server& s) {
        for (const auto& [key, state] : s.data()) out.try_emplace(key, type).first->second.merge(state);
    });
    return out;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    const Options o = options_of(servers, v);
    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, server(o)));
    b.make_client = [servers](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, servers, s.attempt_timeout, s.attempts_max);
    };
    const std::vector<NodeId> ids = b.servers;
    const CrdtType type = o.type;
    // The system's data: per key the join of the live replicas, read as a client would (an MV
    // register's greatest sibling).
    b.data = [ids, type](const plugin::ClusterView& c) {
        std::map<std::string, std::string> out;
        for (const auto& [key, state] : joined_states(c, ids, type))
            if (const auto values = state.values(); !values.empty()) out[key] = values.back();
        return out;
    };
    b.replica_states = [ids](const plugin::ClusterView& c) {
        std::vector<plugin::ReplicaState> out;
        plugin::for_each_live<Server>(c, ids, [&](NodeId id, const Server& s) {
            plugin::ReplicaState state{id, "", {}};
            for (const auto& [key, held] : s.data())
                if (auto values = held.values(); !values.empty()) state.values[key] = std::move(values);
            out.push_back(std::move(state));
        });
        return out;
    };
    b.figures = [ids, meter = o.meter](const plugin::FigureInputs& in) {
        std::map<std::string, double> f = plugin::report_minority_ok_writes(in);
        std::set<std::string> concurrent;
        plugin::for_each_live<Server>(in.cluster, ids, [&](NodeId, const Server& s) {
            for (const auto& [key, state] : s.data())
                if (state.values().size() > 1) concurrent.insert(key);
        });
        f["concurrent_versions"] = static_cast<double>(concurrent.size());
        f["gossip_bytes"] = static_cast<double>(meter->bytes);
        return f;
    };
    b.invariants = invariants(type);
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::crdt
