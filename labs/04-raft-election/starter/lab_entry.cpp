#include "lab_entry.h"

#include "grading.h"
#include "node.h"

#include "protocols/plugin/replicas.h"
#include "sim/world.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {

std::vector<std::pair<std::string, std::string>> mistake_choices(const std::vector<std::string>& mistakes) {
    std::vector<std::pair<std::string, std::string>> out{{"none", ""}};
    for (const auto& m : mistakes) out.emplace_back(m, m);
    return out;
}

scenario::ProtocolSpec spec(const LabSpec& lab) {
    using plugin::int_option;
    scenario::ProtocolSpec s;
    s.name = lab.name;
    s.description = lab.description;
    s.cap = scenario::CapClass::cp;
    s.options = {
        int_option("election_timeout_ms_min", 150, "randomized election timeout, low end (local time)", 1, 60'000),
        int_option("election_timeout_ms_max", 300, "randomized election timeout, high end (local time)", 1, 60'000),
        int_option("heartbeat_interval_ms", 50, "leader heartbeat interval (local time)", 1, 60'000),
    };
    if (!lab.mistakes.empty())
        s.options.push_back(plugin::choice_option("mistake", mistake_choices(lab.mistakes),
                                                  "a typical partial solution, for the grader's tests"));
    s.check_options = [specs = s.options](const scenario::OptionValues& given, int /*servers*/) {
        plugin::Options o(specs, given);
        std::vector<scenario::OptionError> errors;
        const int64_t low = o.integer("election_timeout_ms_min"), high = o.integer("election_timeout_ms_max");
        if (low > high)
            errors.push_back({o.given("election_timeout_ms_max") ? "election_timeout_ms_max" : "election_timeout_ms_min",
                              fmt::format("election_timeout_ms_min ({}) is above election_timeout_ms_max ({})", low, high)});
        if (o.integer("heartbeat_interval_ms") >= low)
            errors.push_back({o.given("heartbeat_interval_ms") ? "heartbeat_interval_ms" : "election_timeout_ms_min",
                              fmt::format("heartbeat_interval_ms ({}) must be below election_timeout_ms_min ({}): "
                                          "followers would start elections between heartbeats",
                                          o.integer("heartbeat_interval_ms"), low)});
        return errors;
    };
    if (lab.logs) s.operations = {"get", "put", "append", "cas"};
    s.figures = figure_specs();
    s.invariants = invariant_names(lab.logs);
    s.roles = {"leader", "candidate", "follower"};
    s.reports_replica_states = lab.logs;
    s.replicas_converge = lab.logs;
    s.servers_min = 3;
    s.servers_odd = true;
    return s;
}

Settings settings_of(const plugin::Options& o, const LabSpec& lab) {
    Settings s;
    s.election_timeout_min = milliseconds(o.integer("election_timeout_ms_min"));
    s.election_timeout_max = milliseconds(o.integer("election_timeout_ms_max"));
    s.heartbeat_interval = milliseconds(o.integer("heartbeat_interval_ms"));
    if (!lab.mistakes.empty()) s.mistake = plugin::chosen(o, "mistake", mistake_choices(lab.mistakes));
    return s;
}

}  // namespace

plugin::ProtocolEntry lab_entry(LabSpec lab) {
    scenario::ProtocolSpec s = spec(lab);
    auto build = [lab](World& world, const std::vector<std::string>& servers, const plugin::Options& options) {
        const Settings settings = settings_of(options, lab);
        plugin::BuiltSystem b;
        for (const auto& name : servers) b.servers.push_back(world.add_node(name, raft_node(settings, servers)));
        const std::vector<NodeId> ids = b.servers;
        auto role_of = [](const RaftNode& n) { return to_string(n.role()); };
        b.roles = plugin::roles_by<RaftNode>(ids, role_of);
        if (lab.logs) {
            b.make_client = [make = lab.make_client, servers](Context& ctx, const plugin::ClientSettings& cs) {
                return make(ctx, servers, cs);
            };
            auto data_of = [](const RaftNode& n) { return n.store().data(); };
            b.replica_states = plugin::replica_states_by<RaftNode>(ids, role_of, data_of);
            // The system's data: the store of the live server that has applied the most.
            b.data = [ids](const plugin::ClusterView& c) {
                const RaftNode* best = nullptr;
                plugin::for_each_live<RaftNode>(c, ids, [&](NodeId, const RaftNode& n) {
                    if (best == nullptr || n.commit_index() > best->commit_index()) best = &n;
                });
                return best ? best->store().data() : std::map<std::string, std::string>{};
            };
        }
        Grading g = grading(ids, lab.logs);
        b.invariants = std::move(g.invariants);
        b.figures = std::move(g.figures);
        return b;
    };
    return {std::move(s), std::move(build)};
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
