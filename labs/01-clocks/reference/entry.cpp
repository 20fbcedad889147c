// Lab 01's reference plug-in: the starter's entry.cpp plus the `mistake` option.
#include "client.h"
#include "server.h"

#include "protocols/plugin/options.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"
#include "sim/world.h"

namespace faultline::lab01 {

namespace {

const std::vector<std::pair<std::string, Mistake>> mistakes = {
    {"none", Mistake::none},
    {"wall_clock", Mistake::wall_clock},
    {"lamport_without_context", Mistake::lamport_without_context},
    {"last_writer_wins", Mistake::last_writer_wins},
    {"plain_version_vectors", Mistake::plain_version_vectors},
};

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "lab01";
    s.description = "lab 01: replicas that agree on the order of writes by their versions, under skewed clocks";
    s.cap = scenario::CapClass::ap;
    s.options = {plugin::choice_option("mistake", mistakes, "a typical partial solution, for the grader's tests")};
    s.operations = {"get", "put"};
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 2;
    return s;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& options) {
    const Mistake mistake = plugin::chosen(options, "mistake", mistakes);
    plugin::BuiltSystem b;
    for (const auto& s : servers) b.servers.push_back(world.add_node(s, server(servers, mistake)));
    b.make_client = [servers](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, servers, s.attempt_timeout, s.attempts_max);
    };
    b.replica_states = [ids = b.servers](const plugin::ClusterView& c) {
        std::vector<plugin::ReplicaState> out;
        plugin::for_each_live<Server>(c, ids, [&](NodeId id, const Server& s) {
            plugin::ReplicaState r{id, "", {}};
            for (const auto& [key, versions] : s.data()) {
                auto& values = r.values[key];
                for (const Stored& v : versions) values.push_back(v.value);
                std::sort(values.begin(), values.end());
            }
            out.push_back(std::move(r));
        });
        return out;
    };
    // The system's data: each key's value at the first live replica (siblings: the first).
    b.data = [ids = b.servers](const plugin::ClusterView& c) {
        std::map<std::string, std::string> out;
        plugin::for_each_live<Server>(c, ids, [&](NodeId, const Server& s) {
            for (const auto& [key, versions] : s.data())
                if (!versions.empty()) out.emplace(key, versions.front().value);
        });
        return out;
    };
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::lab01
