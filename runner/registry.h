// The protocol registry: every protocol a scenario can name, its options, and how to build it.
//
// A protocol entry knows how to add its server nodes (and any infrastructure, such as the view
// service of fenced primary-backup) to a World from the scenario's option values, how to make a
// KvClient for a client fiber, how to watch its own invariants, and how to read its final state
// (for lost-write accounting). The scenario parser only sees `catalog()`: names and option
// specs, so sim/ never depends on protocols/.
#pragma once

#include "protocols/kv/kv_client.h"
#include "runner/invariants.h"
#include "scenario/catalog.h"
#include "sim/world.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace faultline::runner {

struct ClientSettings {
    Duration attempt_timeout = milliseconds(500);
    int attempts_max = 10;
};

struct BuiltSystem {
    std::vector<NodeId> servers;          // the replicas: nemesis targets, liveness restarts
    std::vector<NodeId> infrastructure;   // assumed reliable (e.g. a view service)
    std::function<std::unique_ptr<kv::KvClient>(Context&, const ClientSettings&)> make_client;
    // The state that counts as "the system's data" at the end (the leader's or primary's, or the
    // most advanced replica's): for lost-write accounting. Empty when nothing is up.
    std::function<std::map<std::string, std::string>(World&)> final_state;
    std::unique_ptr<InvariantMonitor> invariants;  // may be null
};

struct Protocol {
    scenario::ProtocolSpec spec;
    std::function<BuiltSystem(World&, const std::vector<std::string>& servers, const scenario::OptionValues&)> build;
};

const std::vector<Protocol>& protocols();
const Protocol* find_protocol(std::string_view name);
scenario::ProtocolCatalog catalog();

// An option's value, or its spec's default when the scenario leaves it out.
int64_t option_int(const Protocol& p, const scenario::OptionValues& v, const std::string& name);
double option_real(const Protocol& p, const scenario::OptionValues& v, const std::string& name);
bool option_bool(const Protocol& p, const scenario::OptionValues& v, const std::string& name);
std::string option_string(const Protocol& p, const scenario::OptionValues& v, const std::string& name);

}  // namespace faultline::runner
