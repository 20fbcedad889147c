// Lab 02's reference plug-in: the starter's entry.cpp plus the `mistake` option.
#include "client.h"
#include "server.h"

#include "protocols/plugin/options.h"
#include "protocols/plugin/protocol_entry.h"
#include "sim/world.h"

namespace faultline::lab02 {

namespace {

const std::vector<std::pair<std::string, Mistake>> mistakes = {
    {"none", Mistake::none},
    {"no_duplicate_table", Mistake::no_duplicate_table},
    {"no_cached_reply", Mistake::no_cached_reply},
    {"applies_late_copies", Mistake::applies_late_copies},
    {"keeps_every_request", Mistake::keeps_every_request},
};

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "lab02";
    s.description = "lab 02 (reference): one key-value server that applies each operation once over a lossy network";
    s.cap = scenario::CapClass::unclassified;
    s.options = {plugin::choice_option("mistake", mistakes, "a typical partial solution, for the grader's tests")};
    s.operations = {"get", "put", "append", "cas"};
    s.figures = {scenario::figure("table_entries", "entries in the server's duplicate table at the end")};
    return s;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& options) {
    const Mistake mistake = plugin::chosen(options, "mistake", mistakes);
    plugin::BuiltSystem b;
    const std::string name = servers.front();
    for (const auto& s : servers) b.servers.push_back(world.add_node(s, server(mistake)));
    b.make_client = [name](Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, name, s.attempt_timeout, s.attempts_max);
    };
    const NodeId first = b.servers.front();
    b.data = [first](const plugin::ClusterView& c) {
        const auto* s = c.is_up(first) ? c.process_as<Server>(first) : nullptr;
        return s ? s->data() : Data{};
    };
    b.figures = [first](const plugin::FigureInputs& in) {
        const auto* s = in.cluster.is_up(first) ? in.cluster.process_as<Server>(first) : nullptr;
        return std::map<std::string, double>{{"table_entries", s ? static_cast<double>(s->table_entries()) : 0.0}};
    };
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::lab02
