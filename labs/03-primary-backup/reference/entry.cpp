// Lab 03's reference plug-in: the starter's entry.cpp plus the `mistake` option.
#include "client.h"
#include "server.h"
#include "view_service.h"

#include "protocols/plugin/options.h"
#include "protocols/plugin/protocol_entry.h"
#include "sim/world.h"

namespace faultline::lab03 {

namespace {

const std::vector<std::pair<std::string, Mistake>> mistakes = {
    {"none", Mistake::none},
    {"no_forwarding", Mistake::no_forwarding},
    {"no_fencing", Mistake::no_fencing},
    {"no_state_transfer", Mistake::no_state_transfer},
    {"reads_served_locally", Mistake::reads_served_locally},
};

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "lab03";
    s.description = "lab 03: primary-backup with a view service; the backup must hold what the primary acknowledged";
    s.cap = scenario::CapClass::cp;
    s.options = {plugin::choice_option("mistake", mistakes, "a typical partial solution, for the grader's tests")};
    s.operations = {"get", "put", "append", "cas"};
    s.servers_min = 3;  // two replicas at least, and the view service (the last server)
    return s;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& options) {
    const Mistake mistake = plugin::chosen(options, "mistake", mistakes);
    // The last server of the cluster is the view service (n4 of four), so that scenarios can
    // name it in faults; the others are the replicas.
    plugin::BuiltSystem b;
    const std::string vs_name = servers.back();
    const std::vector<std::string> replicas(servers.begin(), servers.end() - 1);
    for (const auto& s : replicas) b.servers.push_back(world.add_node(s, server(vs_name, mistake)));
    b.infrastructure.push_back(world.add_node(vs_name, view_service(replicas)));
    b.make_client = [vs_name](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, vs_name, s.attempt_timeout, s.attempts_max);
    };
    // The system's data: the primary's, as the view service knows it.
    const NodeId vs = b.infrastructure.front();
    b.data = [vs](const plugin::ClusterView& c) {
        const auto* v = c.process_as<ViewService>(vs);
        const NodeId p = v ? v->view().primary : no_node;
        const auto* s = p != no_node && c.is_up(p) ? c.process_as<Server>(p) : nullptr;
        return s ? s->store().data() : std::map<std::string, std::string>{};
    };
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::lab03
