#include "lab_entry.h"

#include "client.h"
#include "node.h"

#include "protocols/plugin/replicas.h"
#include "sim/world.h"

namespace faultline::lab06 {

namespace {

const std::vector<std::pair<std::string, Kind>> kinds = {
    {"store", Kind::store}, {"counter", Kind::counter}, {"set", Kind::set}};

std::vector<std::pair<std::string, std::string>> mistake_choices(const std::vector<std::string>& mistakes) {
    std::vector<std::pair<std::string, std::string>> out{{"none", ""}};
    for (const auto& m : mistakes) out.emplace_back(m, m);
    return out;
}

scenario::ProtocolSpec spec(const Mistakes& mistakes) {
    using plugin::int_option;
    scenario::ProtocolSpec s;
    s.name = "lab06";
    s.description = "lab 06: a leaderless store with quorums and read repair; a counter and a set that converge by gossip";
    s.cap = scenario::CapClass::ap;
    s.options = {
        plugin::choice_option("type", kinds,
                              "store: get and put on quorums (part 1); counter: get and incr, set: get, add and "
                              "remove, by gossip (part 2)"),
        int_option("r", 2, "store: the replies a get waits for", 1, 64),
        int_option("w", 2, "store: the acknowledgements a put waits for", 1, 64),
        int_option("request_timeout_ms", 500, "store: a coordinator forgets a request after this (local time)", 1,
                   3'600'000),
        int_option("gossip_ms", 50, "counter, set: how often a server sends its state to a random peer (local time)",
                   1, 3'600'000),
    };
    if (!mistakes.names.empty())
        s.options.push_back(plugin::choice_option("mistake", mistake_choices(mistakes.names),
                                                  "a typical partial solution, for the grader's tests"));
    // A store's quorums must fit the cluster (every server holds every key): a get waiting for
    // more replies than there are servers would never complete.
    s.check_options = [specs = s.options](const scenario::OptionValues& given, int servers) {
        plugin::Options o(specs, given);
        if (plugin::chosen(o, "type", kinds) != Kind::store) return std::vector<scenario::OptionError>{};
        return plugin::quorums_above_cluster(o, servers);
    };
    s.operations = {"get", "put", "incr", "add", "remove"};
    s.operations_for = [specs = s.options](const scenario::OptionValues& given) -> std::vector<std::string> {
        switch (plugin::chosen(plugin::Options(specs, given), "type", kinds)) {
            case Kind::store: return {"get", "put"};
            case Kind::counter: return {"get", "incr"};
            case Kind::set: return {"get", "add", "remove"};
        }
        return {};
    };
    s.figures = {scenario::figure("messages_per_op",
                                  "messages the servers sent per client request they received (gossip included)",
                                  scenario::FigureType::real)};
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 2;
    return s;
}

Settings settings_of(const plugin::Options& o) {
    Settings s;
    s.kind = plugin::chosen(o, "type", kinds);
    s.r = static_cast<int>(o.integer("r"));
    s.w = static_cast<int>(o.integer("w"));
    s.request_timeout = milliseconds(o.integer("request_timeout_ms"));
    s.gossip_interval = milliseconds(o.integer("gossip_ms"));
    return s;
}

}  // namespace

plugin::ProtocolEntry lab_entry(Mistakes mistakes) {
    scenario::ProtocolSpec s = spec(mistakes);
    auto build = [mistakes](World& world, const std::vector<std::string>& servers, const plugin::Options& options) {
        if (mistakes.plant) mistakes.plant(plugin::chosen(options, "mistake", mistake_choices(mistakes.names)));
        const Settings settings = settings_of(options);
        auto meter = std::make_shared<Meter>();
        plugin::BuiltSystem b;
        for (const auto& name : servers) b.servers.push_back(world.add_node(name, node(settings, servers, meter)));
        b.make_client = [servers, kind = settings.kind](Context& ctx, const plugin::ClientSettings& cs)
            -> std::unique_ptr<kv::KvClient> {
            return std::make_unique<Client>(ctx, kind, servers, cs.attempt_timeout, cs.attempts_max);
        };
        const std::vector<NodeId> ids = b.servers;
        b.replica_states = [ids](const plugin::ClusterView& c) {
            std::vector<plugin::ReplicaState> out;
            plugin::for_each_live<Node>(c, ids, [&](NodeId id, const Node& n) { out.push_back({id, "", n.values()}); });
            return out;
        };
        // The system's data: each key's greatest value at the first live replica that holds it.
        b.data = [ids](const plugin::ClusterView& c) {
            std::map<std::string, std::string> out;
            plugin::for_each_live<Node>(c, ids, [&](NodeId, const Node& n) {
                for (const auto& [key, values] : n.values())
                    if (!values.empty()) out.emplace(key, values.back());
            });
            return out;
        };
        b.figures = [meter](const plugin::FigureInputs&) {
            const double per_op = meter->requests == 0 ? 0.0 : static_cast<double>(meter->messages) / meter->requests;
            return std::map<std::string, double>{{"messages_per_op", per_op}};
        };
        return b;
    };
    return {std::move(s), std::move(build)};
}

}  // namespace faultline::lab06
