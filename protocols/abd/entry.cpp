// ABD's plug-in (protocols/plugin/protocol_entry.h). The only file of protocols/abd/ that sees
// the World (to add the servers).
#include "protocols/abd/client.h"
#include "protocols/abd/invariants.h"
#include "protocols/abd/server.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"

#include "sim/world.h"

namespace faultline::abd {

namespace {

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "abd";
    s.description = "ABD multi-writer atomic register: linearizable get and put from majority quorums, no leader, "
                    "no consensus; clients coordinate";
    s.cap = scenario::CapClass::cp;
    s.options = {
        plugin::bool_option("read_skips_write_back", false,
                            "planted bug: a get returns the newest value it queried without storing it back at a "
                            "majority (new-old inversion)"),
        plugin::bool_option("always_write_back", false,
                            "every get stores back, even when its whole quorum already agreed (no fast path)"),
    };
    s.operations = {"get", "put"};
    s.invariants = invariant_names;
    s.reports_replica_states = true;
    s.servers_min = 3;
    s.servers_odd = true;
    return s;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, server()));
    const ClientOptions co{v.boolean("read_skips_write_back"), v.boolean("always_write_back")};
    b.make_client = [servers, co](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, servers, s.attempt_timeout, s.attempts_max, co);
    };
    const std::vector<NodeId> ids = b.servers;
    // The system's data: per key the value with the newest tag any live server holds.
    b.data = [ids](const plugin::ClusterView& c) {
        std::map<std::string, Stamped> newest;
        plugin::for_each_live<Server>(c, ids, [&](NodeId, const Server& s) {
            for (const auto& [key, st] : s.data())
                if (newest[key].tag < st.tag) newest[key] = st;
        });
        std::map<std::string, std::string> out;
        for (const auto& [key, st] : newest)
            if (st.found) out[key] = st.value;
        return out;
    };
    b.replica_states = plugin::replica_states_by<Server>(ids, [](const Server&) { return ""; }, [](const Server& s) {
        std::map<std::string, std::string> out;
        for (const auto& [key, st] : s.data())
            if (st.found) out[key] = st.value;
        return out;
    });
    b.invariants = invariants(ids);
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::abd
