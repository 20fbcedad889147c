// The quorum register's plug-in (protocols/plugin/protocol_entry.h): the tutorial's protocol, and
// docs/protocols.md's worked example of an entry. The only file of protocols/quorum_register/
// that sees the World (to add the servers).
#include "protocols/plugin/figures.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/quorum_register/register_client.h"
#include "protocols/quorum_register/register_server.h"

#include "sim/world.h"

namespace faultline::quorum_register {

namespace {

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "quorum_register";
    s.description = "the tutorial's register (docs/tutorial.md): two-phase quorum reads and writes, get and put only";
    s.cap = scenario::CapClass::cp;
    s.options = {
        plugin::bool_option("wait_for_majority", false,
                            "true: each phase waits for a majority (n/2+1); false: for n/2, the tutorial's bug"),
    };
    s.operations = {"get", "put"};
    s.figures = {plugin::minority_ok_writes_figure()};
    s.reports_replica_states = true;
    return s;  // no invariants: the checkers here are linearizability and liveness
}

// Per key, the newest version any live server holds.
std::map<std::string, std::string> data(const plugin::ClusterView& cluster, const std::vector<NodeId>& servers) {
    std::map<std::string, Stamped> newest;
    for (NodeId id : servers) {
        const auto* r = cluster.is_up(id) ? cluster.process_as<RegisterServer>(id) : nullptr;
        if (r == nullptr) continue;
        for (const auto& [key, s] : r->data())
            if (newest[key].version < s.version) newest[key] = s;
    }
    std::map<std::string, std::string> out;
    for (const auto& [key, s] : newest)
        if (s.found) out[key] = s.value;
    return out;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    Options o;
    o.servers = servers;
    o.wait_for_majority = v.boolean("wait_for_majority");
    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, register_server(o)));
    b.make_client = [servers](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<RegisterClient>(ctx, servers, s.attempt_timeout);
    };
    const std::vector<NodeId> ids = b.servers;
    b.data = [ids](const plugin::ClusterView& c) { return data(c, ids); };
    b.replica_states = [ids](const plugin::ClusterView& c) {
        std::vector<plugin::ReplicaState> out;
        for (NodeId id : ids) {
            const auto* r = c.is_up(id) ? c.process_as<RegisterServer>(id) : nullptr;
            if (r == nullptr) continue;
            plugin::ReplicaState state{id, "", {}};
            for (const auto& [key, s] : r->data())
                if (s.found) state.values[key] = {s.value};
            out.push_back(std::move(state));
        }
        return out;
    };
    b.figures = plugin::report_minority_ok_writes;
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::quorum_register
