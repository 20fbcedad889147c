// plugin::replicas_agree_by, the copy-free agreement test the convergence watcher samples with, must
// answer exactly what replica_states_by's states say: no key on which two live replicas differ.
#include "protocols/plugin/replicas.h"

#include "sim/rng.h"
#include "sim/world.h"

#include <catch2/catch.hpp>

#include <set>

using namespace faultline;

namespace {

class Holder final : public Process {
public:
    std::map<std::string, std::string> data;
};

// What the convergence checker computes from replica states: any key whose live replicas differ
// (a replica without the key holds nothing).
bool no_key_differs(const std::vector<plugin::ReplicaState>& states) {
    std::set<std::string> keys;
    for (const auto& s : states)
        for (const auto& [k, v] : s.values) keys.insert(k);
    for (const std::string& k : keys) {
        std::optional<std::vector<std::string>> first;
        for (const auto& s : states) {
            auto it = s.values.find(k);
            std::vector<std::string> held = it == s.values.end() ? std::vector<std::string>{} : it->second;
            if (!first) first = held;
            else if (held != *first) return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("replicas_agree_by answers what replica_states_by's states show, through writes, erasures and crashes",
          "[plugin][convergence]") {
    World world(WorldOptions{.seed = 3});
    std::vector<NodeId> servers;
    for (const char* name : {"n1", "n2", "n3", "n4"})
        servers.push_back(world.add_node(name, [] { return std::make_unique<Holder>(); }));
    world.run();
    plugin::ClusterView cluster(world);
    auto data_of = [](const Holder& h) -> const auto& { return h.data; };
    auto states = plugin::replica_states_by<Holder>(servers, [](const Holder&) { return ""; }, data_of);
    auto agree = plugin::replicas_agree_by<Holder>(servers, data_of);

    Rng rng = Rng::derive(7, "replicas_agree_test", "");
    int agreed = 0, differed = 0;
    for (int step = 0; step < 3000; ++step) {
        NodeId n = servers[rng.below(servers.size())];
        const uint64_t action = rng.below(10);
        if (action == 0) {
            if (world.is_up(n)) world.crash(n);
            else world.restart(n);
            world.run();
        } else if (world.is_up(n)) {
            auto& data = world.process_as<Holder>(n).data;
            const std::string key = fmt::format("k{}", rng.below(3));
            if (action < 4) data.erase(key);
            else data[key] = fmt::format("v{}", rng.below(2));
        }
        // Make the replicas agree now and then, so both answers are exercised.
        if (step % 50 == 49) {
            for (NodeId s : servers)
                if (world.is_up(s)) world.process_as<Holder>(s).data = {{"k0", "v0"}};
        }
        const bool expected = no_key_differs(states(cluster));
        REQUIRE(agree(cluster) == expected);
        (expected ? agreed : differed) += 1;
    }
    CHECK(agreed > 100);
    CHECK(differed > 100);
}
