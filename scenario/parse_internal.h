// What the scenario parser's sections share (internal to scenario/*.cpp): the cluster's
// names for node checks, the link fields that [network], [[network.link]] and link faults
// all take, and the fault section's entry point.
#pragma once

#include "scenario/catalog.h"
#include "scenario/duration_limits.h"
#include "scenario/toml_reader.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::scenario::detail {

// Limits (CONTRIBUTING.md rule 8), documented in docs/scenarios.md.
inline constexpr int64_t servers_max = 64;
inline constexpr int64_t clients_max = 256;
// The longest run, the kernel's resolution, and the rule for every key in ms: duration_limits.h.
using scenario::duration_ms_max;
inline constexpr int64_t faults_max = 10'000;
inline constexpr int64_t systems_max = 16;

// The names a scenario may use for nodes: servers (from [cluster]) and clients c1..cK (from
// [workload] clients).
struct Cluster {
    std::vector<std::string> servers;
    int64_t clients = 0;

    bool is_server(std::string_view name) const;
    bool is_client(std::string_view name) const;
    std::string describe_servers() const;  // "n1..n5", or the names listed
    std::string describe_all() const;      // "servers n1..n5, clients c1..c3"
};

// What later sections need from earlier ones.
struct ParseContext {
    const Cluster& cluster;
    std::optional<double> duration_ms;  // unset when [scenario] duration_ms was invalid
    LinkSpec base_link;                 // [network]'s link: what link faults and overrides start from
};

// A valid name for a node or system: a letter, then letters, digits, '_' or '-'.
bool is_valid_name(std::string_view name);

// Checks that `node` is a string naming a server (or, with clients_allowed, a server or client).
// `role` says what the name is for, in messages ("a crash fault").
bool read_node(TomlReader& reader, const toml::node& node, std::string_view path, const Cluster& cluster,
               bool clients_allowed, std::string_view role, std::string& out);

// The LinkSpec fields as keys: faultline::link_keys (sim/link_spec.h).
using faultline::link_keys;
// Reads whichever link fields `table` has into `link`; returns how many were present.
int read_link_fields(TomlReader& reader, const toml::table& table, std::string_view path, LinkSpec& link);

// [checkers]: each checker's switch and options, from the catalog.
void read_checkers(TomlReader& reader, const toml::table& root, const Catalog& catalog, Checkers& out);
// [expect] and [expect.<system>]: each key a row of its system's expectation table (catalog.h).
// Runs after [[system]], [checkers] and [liveness], whose settings decide which rows exist.
void read_expect(TomlReader& reader, const toml::table& root, const Catalog& catalog, Scenario& s);
// Reads one protocol or checker option's value, checked against its spec, into out[spec.name].
void read_option(TomlReader& reader, const OptionSpec& spec, const toml::node& node, const std::string& key,
                 OptionValues& out);

// [[fault]]: each element checked against its kind.
std::vector<FaultSpec> parse_faults(TomlReader& reader, const toml::array& faults, const ParseContext& context);

}  // namespace faultline::scenario::detail
