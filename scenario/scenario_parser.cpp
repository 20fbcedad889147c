// The scenario parser (scenario_parser.h): the entry points and every section but [[fault]]
// (fault_parser.cpp), [checkers] and [expect] (expect_parser.cpp).
//
// Sections: [description] [scenario table] [cluster and workload] [systems and options] [network]
// [nemesis and liveness] [the whole document] [entry points].
// [cluster] and [workload] give the node names every later section checks against; [checkers]
// and [expect] live in expect_parser.cpp.
//
// Sections are read in dependency order, not file order: [scenario] (duration), [cluster] and
// [workload] (node and client names), [[system]], [network] (the base link), then the rest.
#include "scenario/scenario_parser.h"

#include "scenario/parse_internal.h"
#include "scenario/suggest.h"
#include "scenario/toml_depth.h"
#include "sim/assert.h"
#include "sim/faults/nemesis.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace faultline::scenario {

using namespace detail;

namespace {

constexpr std::array<std::string_view, 12> top_level_keys{
    "scenario", "cluster", "system", "network", "workload", "fault", "nemesis", "buggify", "explored", "checkers", "liveness", "expect"};

//-------------------------------------------------------------------------------------------------
// [description]: from the leading comment block
//-------------------------------------------------------------------------------------------------

// The comment lines before the first non-comment line, without their "# ". A first line that is
// only the file's own path ("# scenarios/cap/x.toml", the house convention) is not description.
// Blank lines between comments are kept as paragraph breaks; trailing ones are dropped.
std::string leading_comment(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos) {
            if (!lines.empty()) lines.emplace_back();
            continue;
        }
        line.remove_prefix(first);
        if (line[0] != '#') break;
        line.remove_prefix(1);
        if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
        lines.emplace_back(line);
    }
    if (!lines.empty()) {
        const std::string& head = lines.front();
        const bool is_path = head.find(' ') == std::string::npos && head.size() > 5 &&
                             head.substr(head.size() - 5) == ".toml";
        if (is_path) lines.erase(lines.begin());
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
    std::string out;
    for (const std::string& line : lines) {
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out;
}

//-------------------------------------------------------------------------------------------------
// [scenario table]
//-------------------------------------------------------------------------------------------------

enum class VersionCheck { ok, unsupported };

VersionCheck read_scenario_table(TomlReader& reader, const toml::table& root, Scenario& s,
                                 std::optional<double>& duration_ok) {
    static constexpr std::array<std::string_view, 5> keys{"version", "name", "description", "duration_ms", "seed"};
    duration_ok = s.duration_ms;
    const toml::table* t = reader.table(root, "scenario", "");
    if (t == nullptr) {
        if (!root.contains("scenario")) {
            reader.error(root.source().begin, "scenario.version",
                         fmt::format("missing required key 'version' (start the file with [scenario] and "
                                     "version = {})",
                                     format_version));
        }
        return VersionCheck::ok;
    }
    if (const toml::node* version = t->get("version")) {
        int64_t v = 0;
        if (reader.integer_value(*version, "scenario.version", Bounds::any(), v)) {
            if (v != format_version) {
                // Reported alone: the rest of the file follows a format this build cannot read.
                reader.error(*version, "scenario.version",
                             fmt::format("unsupported format version {}; this build reads version {}", v,
                                         format_version));
                return VersionCheck::unsupported;
            }
            s.version = static_cast<int>(v);
        }
    } else {
        reader.require(*t, "version", "scenario", fmt::format("the format version: version = {}", format_version));
    }
    reader.check_keys(*t, "scenario", keys, "[scenario]");
    std::string name;
    if (reader.string(*t, "name", "scenario", name)) {
        if (name.empty()) {
            reader.error(*t->get("name"), "scenario.name", "the name must not be empty");
        } else {
            s.name = name;
        }
    }
    reader.string(*t, "description", "scenario", s.description);
    if (t->contains("duration_ms") &&
        !reader.real(*t, "duration_ms", "scenario", Bounds{0.0, duration_ms_max, true}, s.duration_ms)) {
        duration_ok.reset();
    }
    duration_ok = duration_ok ? std::optional<double>(s.duration_ms) : std::nullopt;
    int64_t seed = 0;
    if (reader.integer(*t, "seed", "scenario", Bounds::non_negative(), seed)) s.seed = static_cast<uint64_t>(seed);
    return VersionCheck::ok;
}

//-------------------------------------------------------------------------------------------------
// [cluster and workload]
//-------------------------------------------------------------------------------------------------

void read_cluster(TomlReader& reader, const toml::table& root, Scenario& s) {
    static constexpr std::array<std::string_view, 2> keys{"nodes", "names"};
    constexpr int64_t default_servers = 5;
    int64_t count = default_servers;
    const toml::table* t = reader.table(root, "cluster", "");
    if (t != nullptr) {
        reader.check_keys(*t, "cluster", keys, "[cluster]");
        if (t->contains("nodes") && t->contains("names")) {
            reader.error(*t->get("names"), "cluster.names",
                         "give either nodes (a count: n1..nN) or names (a list), not both");
        } else if (t->contains("names")) {
            std::vector<std::string> names;
            std::vector<const toml::node*> elements;
            if (reader.string_list(*t, "names", "cluster", names, &elements)) {
                std::map<std::string, std::size_t> first_index;
                for (std::size_t i = 0; i < names.size(); ++i) {
                    const std::string key = index_key("cluster.names", i);
                    const std::string& name = names[i];
                    Cluster probe{.servers = {}, .clients = clients_max};
                    if (!is_valid_name(name)) {
                        reader.error(*elements[i], key,
                                     fmt::format("invalid node name '{}': use a letter, then letters, digits, '_' or '-'",
                                                 name));
                    } else if (probe.is_client(name)) {
                        reader.error(*elements[i], key,
                                     fmt::format("node name '{}' is reserved for clients (c1..cK); choose another", name));
                    } else if (auto [it, inserted] = first_index.emplace(name, i); !inserted) {
                        reader.error(*elements[i], key,
                                     fmt::format("duplicate node name '{}' (also cluster.names[{}])", name, it->second));
                    }
                }
                if (names.empty()) {
                    reader.error(*t->get("names"), "cluster.names", "a cluster needs at least one node");
                } else if (static_cast<int64_t>(names.size()) > servers_max) {
                    reader.error(*t->get("names"), "cluster.names",
                                 fmt::format("too many nodes: {} (at most {})", names.size(), servers_max));
                }
                s.nodes = std::move(names);
                return;
            }
        } else {
            reader.integer(*t, "nodes", "cluster", Bounds::between(1, servers_max), count);
        }
    }
    s.nodes.clear();
    for (int64_t i = 1; i <= count; ++i) s.nodes.push_back(fmt::format("n{}", i));
}

void read_workload(TomlReader& reader, const toml::table& root, Workload& w) {
    static constexpr std::array<std::string_view, 12> keys{
        "clients",       "ops_per_client", "think_time_ms", "start_delay_ms", "stop_at_ms", "keys",
        "key_distribution", "zipf_exponent", "mix",         "timeout_ms",     "attempts_max", "elements"};
    static constexpr std::array<std::string_view, 7> mix_keys{"get", "put", "append", "cas", "incr", "add", "remove"};
    static constexpr std::array<std::string_view, 2> distributions{"uniform", "zipfian"};
    const toml::table* t = reader.table(root, "workload", "");
    if (t == nullptr) return;
    const std::string_view p = "workload";
    reader.check_keys(*t, p, keys, "[workload]");
    int64_t clients = w.clients;
    if (reader.integer(*t, "clients", p, Bounds::between(0, clients_max), clients)) w.clients = static_cast<int>(clients);
    reader.integer(*t, "ops_per_client", p, Bounds::between(0, 1e12), w.ops_per_client);
    reader.real(*t, "think_time_ms", p, Bounds::non_negative(), w.think_time_ms);
    reader.real(*t, "start_delay_ms", p, Bounds::non_negative(), w.start_delay_ms);
    if (double stop = 0; reader.real(*t, "stop_at_ms", p, Bounds::positive(), stop)) {
        if (stop <= w.start_delay_ms)
            reader.error(*t->get("stop_at_ms"), "workload.stop_at_ms",
                         fmt::format("stop_at_ms ({}) is not after start_delay_ms ({}): no client would issue anything",
                                     stop, w.start_delay_ms));
        else
            w.stop_at_ms = stop;
    }
    int64_t key_count = w.keys;
    if (reader.integer(*t, "keys", p, Bounds::between(1, 1'000'000), key_count)) w.keys = static_cast<int>(key_count);
    reader.string(*t, "key_distribution", p, w.key_distribution, distributions);
    reader.real(*t, "zipf_exponent", p, Bounds::positive(), w.zipf_exponent);
    reader.real(*t, "timeout_ms", p, Bounds::positive(), w.timeout_ms);
    int64_t attempts = w.attempts_max;
    if (reader.integer(*t, "attempts_max", p, Bounds::between(1, 1000), attempts)) w.attempts_max = static_cast<int>(attempts);
    int64_t elements = w.elements;
    if (reader.integer(*t, "elements", p, Bounds::between(0, 1'000'000), elements)) w.elements = static_cast<int>(elements);

    if (w.clients == 0 && t->contains("ops_per_client") && w.ops_per_client != 0) {
        reader.error(*t->get("clients"), "workload.clients",
                     fmt::format("clients = 0 but ops_per_client = {}: no client would issue them (set clients >= 1, "
                                 "or drop ops_per_client for a run without clients)",
                                 w.ops_per_client));
    }
    if (const toml::table* mix = reader.table(*t, "mix", p)) {
        // A mix lists the weights it wants; an operation it leaves out has weight 0.
        reader.check_keys(*mix, "workload.mix", mix_keys, "[workload.mix]");
        double weights[mix_keys.size()] = {};
        double total = 0;
        bool ok = true;
        for (std::size_t i = 0; i < mix_keys.size(); ++i) {
            ok &= !mix->contains(mix_keys[i]) || reader.real(*mix, mix_keys[i], "workload.mix", Bounds::non_negative(), weights[i]);
            total += weights[i];
        }
        if (ok && total <= 0) {
            reader.error(*t->get("mix"), "workload.mix",
                         fmt::format("empty mix: every weight is 0; give at least one of {} a weight > 0", join_names(mix_keys)));
        } else if (ok) {
            double* fields[] = {&w.get, &w.put, &w.append, &w.cas, &w.incr, &w.add, &w.remove};
            for (std::size_t i = 0; i < mix_keys.size(); ++i) *fields[i] = weights[i];
        }
    }
}

//-------------------------------------------------------------------------------------------------
// [systems and options]
//-------------------------------------------------------------------------------------------------

void read_options(TomlReader& reader, const ProtocolSpec& protocol, const toml::table& table, std::string_view path,
                  bool inline_keys, OptionValues& out) {
    std::vector<std::string_view> accepted;
    for (const OptionSpec& o : protocol.options) accepted.push_back(o.name);
    for (auto&& [key, node] : table) {
        if (inline_keys && (key.str() == "name" || key.str() == "protocol" || key.str() == "options")) continue;
        const std::string full = join_key(path, key.str());
        const auto spec = std::find_if(protocol.options.begin(), protocol.options.end(),
                                       [&](const OptionSpec& o) { return o.name == key.str(); });
        if (spec == protocol.options.end()) {
            std::string message =
                fmt::format("unknown option '{}' for protocol '{}'", shown_name(key.str()), protocol.name);
            // Inline, a misspelled `options` or `name` is likelier than an unknown option.
            std::vector<std::string_view> candidates = accepted;
            if (inline_keys) candidates.insert(candidates.end(), {"name", "protocol", "options"});
            if (auto suggestion = closest_match(key.str(), candidates)) message += fmt::format("; did you mean '{}'?", *suggestion);
            message += accepted.empty() ? std::string("; it takes no options")
                                        : fmt::format(" (accepted options: {})", join_names(accepted));
            reader.error(key.source().begin, full, std::move(message));
            continue;
        }
        if (out.contains(spec->name)) {
            reader.error(key.source().begin, full,
                         fmt::format("option '{}' is given twice (inline and in the options table)", spec->name));
            continue;
        }
        read_option(reader, *spec, node, full, out);
    }
}

// The protocol's checks across options (min <= max, a heartbeat below the election timeout),
// once every option passed its own: reported at the option they blame.
void check_options_together(TomlReader& reader, const ProtocolSpec& protocol, const toml::table& t, std::string_view path,
                            const OptionValues& given, int servers) {
    if (!protocol.check_options) return;
    for (const OptionError& e : protocol.check_options(given, servers)) {
        const toml::table* options = t.get("options") ? t.get("options")->as_table() : nullptr;
        const toml::node* at = t.get(e.option);
        std::string key = join_key(path, e.option);
        if (at == nullptr && options != nullptr && options->get(e.option) != nullptr) {
            at = options->get(e.option);
            key = join_key(join_key(path, "options"), e.option);
        }
        reader.error(at ? at->source().begin : t.source().begin, key, e.message);
    }
}

// Every operation the workload mixes in must be one each system's protocol serves.
void check_operations(TomlReader& reader, const toml::table& root, const Catalog& catalog, const Scenario& s) {
    const Workload& w = s.workload;
    const auto mix = w.mix();
    const toml::table* workload = root.get("workload") ? root.get("workload")->as_table() : nullptr;
    const toml::table* written = workload && workload->get("mix") ? workload->get("mix")->as_table() : nullptr;
    for (const System& system : s.systems) {
        const ProtocolSpec* p = catalog.protocol(system.protocol);
        if (p == nullptr || w.clients == 0) continue;
        const std::vector<std::string> ops = p->operations_for ? p->operations_for(system.options) : p->operations;
        if (ops.empty()) {
            const toml::node* clients = workload ? workload->get("clients") : nullptr;
            reader.error(clients ? clients->source().begin : (workload ? workload->source().begin : root.source().begin),
                         "workload.clients",
                         fmt::format("system '{}' ({}) serves no client operations: set [workload] clients = 0",
                                     system.name, p->name));
            continue;
        }
        for (const auto& [op, weight] : mix) {
            if (weight <= 0 || std::find(ops.begin(), ops.end(), op) != ops.end()) continue;
            const toml::node* at = written ? written->get(op) : nullptr;
            std::vector<std::string_view> served(ops.begin(), ops.end());
            reader.error(at ? at->source().begin : (workload ? workload->source().begin : root.source().begin),
                         at ? join_key("workload.mix", op) : std::string("workload.mix"),
                         fmt::format("system '{}' ({}) does not serve '{}' operations (it serves: {}); give {} weight 0{}",
                                     system.name, p->name, op, join_names(served), op,
                                     at ? "" : " in [workload.mix] (the default mix has every operation)"));
        }
    }
}

void read_systems(TomlReader& reader, const toml::table& root, const Catalog& catalog, Scenario& s) {
    static constexpr std::array<std::string_view, 3> own_keys{"name", "protocol", "options"};
    std::vector<std::string_view> known;
    for (const ProtocolSpec& p : catalog.protocols) known.push_back(p.name);

    if (!root.contains("system")) {
        reader.error(root.source().begin, "system",
                     "missing required key 'system': a scenario needs at least one [[system]] (name and protocol)");
        return;
    }
    const toml::array* systems = reader.table_array(root, "system", "");
    if (systems == nullptr) return;
    if (static_cast<int64_t>(systems->size()) > systems_max) {
        reader.error(*systems, "system", fmt::format("too many systems: {} (at most {})", systems->size(), systems_max));
        return;
    }
    std::map<std::string, int> first_line;
    for (std::size_t i = 0; i < systems->size(); ++i) {
        const toml::table& t = *systems->get(i)->as_table();
        const std::string path = index_key("system", i);
        System system;
        const ProtocolSpec* protocol = nullptr;
        if (reader.require(t, "protocol", path, "a name from the protocol catalog") &&
            reader.string(t, "protocol", path, system.protocol)) {
            protocol = catalog.protocol(system.protocol);
            if (protocol == nullptr) {
                std::string message = fmt::format("unknown protocol '{}'", shown_name(system.protocol));
                if (auto suggestion = closest_match(system.protocol, known)) message += fmt::format("; did you mean '{}'?", *suggestion);
                message += fmt::format(" (known protocols: {})", join_names(known));
                reader.error(*t.get("protocol"), join_key(path, "protocol"), std::move(message));
            }
        }
        system.name = system.protocol;
        if (reader.string(t, "name", path, system.name) && !is_valid_name(system.name)) {
            reader.error(*t.get("name"), join_key(path, "name"),
                         fmt::format("invalid system name '{}': use a letter, then letters, digits, '_' or '-'", system.name));
        }
        if (!system.name.empty()) {
            const int line = static_cast<int>(t.source().begin.line);
            if (auto [it, inserted] = first_line.emplace(system.name, line); !inserted) {
                const toml::node* at = t.get("name") ? t.get("name") : t.get("protocol");
                reader.error(at ? at->source().begin : t.source().begin, join_key(path, "name"),
                             fmt::format("duplicate system name '{}' (first at line {}); give each [[system]] its own name",
                                         system.name, it->second));
            }
        }
        if (protocol != nullptr) {
            // Options may be written in an options sub-table or inline; both are read.
            if (const toml::table* options = reader.table(t, "options", path)) {
                read_options(reader, *protocol, *options, join_key(path, "options"), false, system.options);
            }
            read_options(reader, *protocol, t, path, true, system.options);
            check_options_together(reader, *protocol, t, path, system.options, static_cast<int>(s.nodes.size()));
        } else {
            // No protocol to check options against: only flag likely typos of the system's own keys.
            for (auto&& [key, node] : t) {
                if (std::find(own_keys.begin(), own_keys.end(), key.str()) != own_keys.end()) continue;
                if (closest_match(key.str(), own_keys)) reader.unknown_key(key, path, own_keys, "[[system]]");
            }
        }
        s.systems.push_back(std::move(system));
    }
}

//-------------------------------------------------------------------------------------------------
// [network]: [network] and [[network.link]]
//-------------------------------------------------------------------------------------------------

void read_network(TomlReader& reader, const toml::table& root, const Cluster& cluster, Network& network) {
    const toml::table* t = reader.table(root, "network", "");
    if (t == nullptr) return;
    std::vector<std::string_view> keys(link_keys.begin(), link_keys.end());
    keys.push_back("link");
    reader.check_keys(*t, "network", keys, "[network]");
    read_link_fields(reader, *t, "network", network.link);

    const toml::array* links = reader.table_array(*t, "link", "network");
    if (links == nullptr) return;
    std::vector<std::string_view> override_keys{"from", "to", "both_ways"};
    override_keys.insert(override_keys.end(), link_keys.begin(), link_keys.end());
    for (std::size_t i = 0; i < links->size(); ++i) {
        const toml::table& l = *links->get(i)->as_table();
        const std::string path = index_key("network.link", i);
        reader.check_keys(l, path, override_keys, "[[network.link]]");
        LinkOverride o;
        o.link = network.link;  // an override changes only the fields it names
        bool ok = true;
        for (std::string_view end : {"from", "to"}) {
            if (!reader.require(l, end, path, "a link joins two nodes")) {
                ok = false;
                continue;
            }
            std::string& name = end == "from" ? o.from : o.to;
            ok &= read_node(reader, *l.get(end), join_key(path, end), cluster, true, "a link", name);
        }
        if (ok && o.from == o.to) {
            reader.error(*l.get("to"), join_key(path, "to"),
                         fmt::format("a link joins two different nodes; from and to are both '{}'", o.to));
        }
        reader.boolean(l, "both_ways", path, o.both_ways);
        if (read_link_fields(reader, l, path, o.link) == 0) {
            reader.error(l.source().begin, path,
                         fmt::format("a link override changes nothing: give at least one of {}", join_names(link_keys)));
        }
        network.overrides.push_back(std::move(o));
    }
}

//-------------------------------------------------------------------------------------------------
// [nemesis and liveness]
//-------------------------------------------------------------------------------------------------

// A nemesis target: a server's name, or a role some system's protocol reports (an aimed nemesis:
// the episode lands on whoever holds the role when it starts).
bool read_nemesis_target(TomlReader& reader, const toml::node& node, std::string_view path, const Cluster& cluster,
                         const std::vector<std::string>& roles, std::string& out) {
    std::string name;
    if (!reader.string_value(node, path, name)) return false;
    if (cluster.is_server(name) || std::find(roles.begin(), roles.end(), name) != roles.end()) {
        out = std::move(name);
        return true;
    }
    std::string message = cluster.is_client(name)
                              ? fmt::format("'{}' is a client; the nemesis aims at servers or roles", name)
                              : fmt::format("unknown node or role '{}'", shown_name(name));
    std::vector<std::string_view> known(roles.begin(), roles.end());
    for (const std::string& server : cluster.servers) known.push_back(server);
    if (!cluster.is_client(name))
        if (auto suggestion = closest_match(name, known)) message += fmt::format("; did you mean '{}'?", *suggestion);
    message += fmt::format(" (servers: {}; roles: {})", cluster.describe_servers(), roles.empty() ? "none" : join_names(roles));
    reader.error(node, std::string(path), std::move(message));
    return false;
}

void read_nemesis(TomlReader& reader, const toml::table& root, const Cluster& cluster, const std::vector<std::string>& roles,
                  std::optional<double> duration_ms, Nemesis& n) {
    static constexpr std::array<std::string_view, 10> keys{
        "enabled", "kinds", "targets", "start_ms", "end_ms", "interval_ms", "episode_ms", "swarm",
        "clock_jump_ms_max", "clock_drift_ppm_max"};
    std::vector<std::string_view> kinds;
    for (const faults::NemesisFamily& f : faults::nemesis_families()) kinds.push_back(f.name);
    const toml::table* t = reader.table(root, "nemesis", "");
    if (t == nullptr) return;
    const std::string_view p = "nemesis";
    reader.check_keys(*t, p, keys, "[nemesis]");
    // Writing a [nemesis] table turns it on, unless it says enabled = false.
    n.enabled = true;
    reader.boolean(*t, "enabled", p, n.enabled);
    std::vector<std::string> names;
    std::vector<const toml::node*> elements;
    if (reader.string_list(*t, "kinds", p, names, &elements)) {
        bool ok = true;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string key = index_key("nemesis.kinds", i);
            if (std::find(kinds.begin(), kinds.end(), names[i]) == kinds.end()) {
                std::string message = fmt::format("unknown nemesis kind '{}'", shown_name(names[i]));
                if (auto suggestion = closest_match(names[i], kinds)) message += fmt::format("; did you mean '{}'?", *suggestion);
                message += fmt::format(" (kinds: {})", join_names(kinds));
                reader.error(*elements[i], key, std::move(message));
                ok = false;
            } else if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
                       names.begin() + static_cast<std::ptrdiff_t>(i)) {
                reader.error(*elements[i], key, fmt::format("nemesis kind '{}' is listed twice", names[i]));
                ok = false;
            }
        }
        if (ok && names.empty() && n.enabled) {
            reader.error(*t->get("kinds"), "nemesis.kinds",
                         "an enabled nemesis needs at least one kind (or set enabled = false)");
        } else if (ok) {
            n.kinds = std::move(names);
        }
    }
    if (const toml::node* targets = t->get("targets")) {
        std::vector<std::string> raw;
        elements.clear();
        if (reader.string_list(*t, "targets", p, raw, &elements)) {
            std::vector<std::string> checked;
            for (std::size_t i = 0; i < raw.size(); ++i) {
                std::string name;
                const std::string key = index_key("nemesis.targets", i);
                if (!read_nemesis_target(reader, *elements[i], key, cluster, roles, name)) continue;
                if (std::find(checked.begin(), checked.end(), name) != checked.end())
                    reader.error(*elements[i], key, fmt::format("target '{}' is listed twice", name));
                else
                    checked.push_back(std::move(name));
            }
            if (raw.empty()) reader.error(*targets, "nemesis.targets", "targets is empty (omit it to target every server)");
            n.targets = std::move(checked);
        }
    }
    const bool start_ok = reader.real(*t, "start_ms", p, Bounds::non_negative(), n.start_ms) || !t->contains("start_ms");
    const bool end_ok = reader.real(*t, "end_ms", p, Bounds::non_negative(), n.end_ms) || !t->contains("end_ms");
    const bool interval_ok =
        reader.real(*t, "interval_ms", p, Bounds::positive(), n.interval_ms) || !t->contains("interval_ms");
    reader.real(*t, "episode_ms", p, Bounds::positive(), n.episode_ms);
    reader.boolean(*t, "swarm", p, n.swarm);
    const bool jump_ok = reader.integer(*t, "clock_jump_ms_max", p, Bounds{0, 3'600'000}, n.clock_jump_ms_max) ||
                         !t->contains("clock_jump_ms_max");
    const bool drift_ok = reader.real(*t, "clock_drift_ppm_max", p, Bounds{0, 999'999}, n.clock_drift_ppm_max) ||
                          !t->contains("clock_drift_ppm_max");
    const bool clock_on = std::find(n.kinds.begin(), n.kinds.end(), "clock") != n.kinds.end();
    if (jump_ok && drift_ok && n.enabled && clock_on && n.clock_jump_ms_max == 0 && n.clock_drift_ppm_max == 0) {
        // Both defaults are non-zero, so both keys are in the file: point at the second one.
        reader.error(*t->get("clock_drift_ppm_max"), "nemesis.clock_drift_ppm_max",
                     "clock faults with neither jumps nor drift: clock_jump_ms_max and clock_drift_ppm_max are both 0 "
                     "(leave 'clock' out of kinds instead)");
    }
    if (duration_ms && start_ok && end_ok && n.enabled) {
        const double end = n.end_ms == 0 ? 0.8 * *duration_ms : n.end_ms;
        if (n.end_ms > *duration_ms) {
            reader.error(*t->get("end_ms"), "nemesis.end_ms",
                         fmt::format("end_ms {} is after the end of the run (duration_ms = {})", show_number(n.end_ms),
                                     show_number(*duration_ms)));
        } else if (n.start_ms >= end) {
            const toml::node* at = t->get("start_ms") ? t->get("start_ms") : t;
            reader.error(*at, "nemesis.start_ms",
                         fmt::format("start_ms ({}) must be before the nemesis ends ({} ms{})", show_number(n.start_ms),
                                     show_number(end), n.end_ms == 0 ? ": 80% of duration_ms" : ""));
        } else if (const double episodes = (end - n.start_ms) / n.interval_ms;
                   interval_ok && episodes > static_cast<double>(faults::nemesis_episodes_max)) {
            // The kernel's limit (sim/faults/nemesis.h), refused here with the keys that set it.
            const toml::node* at = t->get("interval_ms") ? t->get("interval_ms") : t;
            reader.error(
                *at, "nemesis.interval_ms",
                fmt::format("the nemesis would start about {:.0f} episodes ({} ms from start_ms to {} / "
                            "interval_ms {}): at most {}; raise interval_ms or narrow start_ms..end_ms",
                            episodes, show_number(end - n.start_ms), n.end_ms == 0 ? "80% of duration_ms" : "end_ms",
                            show_number(n.interval_ms), faults::nemesis_episodes_max));
        }
    }
}

// [buggify]: each listed site must belong to a protocol of one of the systems.
void read_buggify(TomlReader& reader, const toml::table& root, const Catalog& catalog, const Scenario& scenario, Buggify& b) {
    static constexpr std::array<std::string_view, 2> keys{"enabled", "sites"};
    const toml::table* t = reader.table(root, "buggify", "");
    if (t == nullptr) return;
    reader.check_keys(*t, "buggify", keys, "[buggify]");
    b.enabled = true;  // writing the table turns it on, unless it says enabled = false
    reader.boolean(*t, "enabled", "buggify", b.enabled);
    std::vector<std::string> known;
    for (const System& system : scenario.systems)
        if (const ProtocolSpec* p = catalog.protocol(system.protocol))
            for (const BuggifySiteSpec& site : p->buggify_sites)
                if (std::find(known.begin(), known.end(), site.name) == known.end()) known.push_back(site.name);
    std::vector<std::string> names;
    std::vector<const toml::node*> elements;
    if (!reader.string_list(*t, "sites", "buggify", names, &elements)) return;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string key = index_key("buggify.sites", i);
        if (std::find(known.begin(), known.end(), names[i]) == known.end()) {
            std::string message = fmt::format("unknown buggify site '{}'", shown_name(names[i]));
            if (auto suggestion = closest_match(names[i], known)) message += fmt::format("; did you mean '{}'?", *suggestion);
            message += known.empty() ? std::string(" (the systems' protocols have no buggify sites)")
                                     : fmt::format(" (sites: {})", join_names(known));
            reader.error(*elements[i], key, std::move(message));
        } else if (std::find(b.sites.begin(), b.sites.end(), names[i]) != b.sites.end()) {
            reader.error(*elements[i], key, fmt::format("buggify site '{}' is listed twice", names[i]));
        } else {
            b.sites.push_back(names[i]);
        }
    }
    if (names.empty()) reader.error(*t->get("sites"), "buggify.sites", "sites is empty (omit it to try every site)");
}

// [explored]: choices = ["<index> <lost|late|crash|fire>", ...], indices increasing.
void read_explored(TomlReader& reader, const toml::table& root, Explored& e) {
    static constexpr std::array<std::string_view, 3> keys{"choices", "late_ms", "restart_ms"};
    const toml::table* t = reader.table(root, "explored", "");
    if (t == nullptr) return;
    reader.check_keys(*t, "explored", keys, "[explored]");
    reader.real(*t, "late_ms", "explored", Bounds::positive(), e.late_ms);
    reader.real(*t, "restart_ms", "explored", Bounds::non_negative(), e.restart_ms);
    std::vector<std::string> items;
    std::vector<const toml::node*> elements;
    if (!reader.string_list(*t, "choices", "explored", items, &elements)) return;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string key = index_key("explored.choices", i);
        const std::string& item = items[i];
        const std::size_t space = item.find(' ');
        const std::string_view number = std::string_view(item).substr(0, space);
        // as_drawn stands for "no choice named" (it is refused below either way).
        const Choice choice = space == std::string::npos
                                  ? Choice::as_drawn
                                  : choice_named(std::string_view(item).substr(space + 1)).value_or(Choice::as_drawn);
        uint64_t index = 0;
        const bool digits = !number.empty() && number.size() <= 15 &&
                            std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) index = std::stoull(std::string(number));
        if (!digits || choice == Choice::as_drawn) {
            reader.error(*elements[i], key,
                         fmt::format("'{}' is not a choice: write \"<choice point number> <lost|late|crash|fire>\", e.g. \"12 lost\"",
                                     shown_name(item)));
        } else if (!e.choices.empty() && index <= e.choices.back().index) {
            reader.error(*elements[i], key,
                         fmt::format("choice point {} comes after {}: list them in increasing order, each once", index,
                                     e.choices.back().index));
        } else {
            e.choices.push_back({index, choice});
        }
    }
}

void read_liveness(TomlReader& reader, const toml::table& root, std::optional<double> duration_ms, Liveness& l) {
    static constexpr std::array<std::string_view, 3> keys{"enabled", "heal_at_ms", "within_ms"};
    const toml::table* t = reader.table(root, "liveness", "");
    if (t == nullptr) return;
    reader.check_keys(*t, "liveness", keys, "[liveness]");
    reader.boolean(*t, "enabled", "liveness", l.enabled);
    double heal = 0;
    if (reader.real(*t, "heal_at_ms", "liveness", Bounds::non_negative(), heal)) {
        if (duration_ms && heal > *duration_ms) {
            reader.error(*t->get("heal_at_ms"), "liveness.heal_at_ms",
                         fmt::format("heal_at_ms {} is after the end of the run (duration_ms = {})", show_number(heal),
                                     show_number(*duration_ms)));
        } else {
            l.heal_at_ms = heal;
        }
    }
    reader.real(*t, "within_ms", "liveness", Bounds::positive(), l.within_ms);
}

//-------------------------------------------------------------------------------------------------
// [the whole document]
//-------------------------------------------------------------------------------------------------

std::string stem_of(std::string_view label) {
    if (label.empty()) return "scenario";
    return std::filesystem::path(std::string(label)).stem().string();
}

void read_document(TomlReader& reader, const toml::table& root, const Catalog& catalog, Scenario& s) {
    std::optional<double> duration_ms;
    if (read_scenario_table(reader, root, s, duration_ms) == VersionCheck::unsupported) return;
    reader.check_keys(root, "", top_level_keys, "");

    read_cluster(reader, root, s);
    read_workload(reader, root, s.workload);
    const Cluster cluster{.servers = s.nodes, .clients = s.workload.clients};
    read_systems(reader, root, catalog, s);
    read_network(reader, root, cluster, s.network);

    const ParseContext context{.cluster = cluster, .duration_ms = duration_ms, .base_link = s.network.link};
    if (const toml::array* faults = reader.table_array(root, "fault", "")) {
        s.faults = parse_faults(reader, *faults, context);
    }
    std::vector<std::string> roles;  // of every system's protocol, each once
    for (const System& system : s.systems)
        if (const ProtocolSpec* p = catalog.protocol(system.protocol))
            for (const std::string& role : p->roles)
                if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    read_nemesis(reader, root, cluster, roles, duration_ms, s.nemesis);
    read_buggify(reader, root, catalog, s, s.buggify);
    read_explored(reader, root, s.explored);
    read_checkers(reader, root, catalog, s.checkers);
    read_liveness(reader, root, duration_ms, s.liveness);
    check_operations(reader, root, catalog, s);
    read_expect(reader, root, catalog, s);
}

}  // namespace

//-------------------------------------------------------------------------------------------------
// [entry points]: parsing, and error formatting
//-------------------------------------------------------------------------------------------------

ParseResult parse_scenario_text(std::string_view text, std::string_view file_label, const Catalog& catalog) {
    TomlReader reader{std::string(file_label)};
    Scenario s;
    s.file = std::string(file_label);
    s.text = std::string(text);
    s.name = stem_of(file_label);
    // Deep keys and nesting overflow toml++'s stack: they are refused before it sees them.
    if (auto deep = find_too_deep(text)) {
        reader.error(toml::source_position{static_cast<toml::source_index>(deep->line),
                                           static_cast<toml::source_index>(deep->column)},
                     "", std::move(deep->message));
        return ParseResult{.scenario = std::nullopt, .errors = reader.take_sorted_errors()};
    }
    toml::table root;
    try {
        root = toml::parse(text, std::string_view(file_label));
    } catch (const toml::parse_error& e) {
        reader.error(e.source().begin, "", fmt::format("TOML syntax error: {}", e.description()));
        return ParseResult{.scenario = std::nullopt, .errors = reader.take_sorted_errors()};
    }
    read_document(reader, root, catalog, s);
    if (s.description.empty()) s.description = leading_comment(text);

    ParseResult result;
    result.errors = reader.take_sorted_errors();
    if (result.errors.empty()) {
        FL_ASSERT(!s.systems.empty(), "a valid scenario has at least one system");
        FL_ASSERT(!s.nodes.empty(), "a valid scenario has at least one node");
        result.scenario = std::move(s);
    }
    return result;
}

ParseResult parse_scenario_file(const std::string& path, const Catalog& catalog) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return ParseResult{.scenario = std::nullopt,
                           .errors = {ScenarioError{.file = path, .line = 0, .column = 0, .key = "", .message = "is a directory, not a scenario file"}}};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return ParseResult{.scenario = std::nullopt,
                           .errors = {ScenarioError{.file = path, .line = 0, .column = 0, .key = "", .message = "cannot open the file (does it exist?)"}}};
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse_scenario_text(buffer.str(), path, catalog);
}

std::string format_error(const ScenarioError& error) {
    std::string out = error.file.empty() ? std::string("<scenario>") : error.file;
    if (error.line > 0) {
        out += fmt::format(":{}", error.line);
        if (error.column > 0) out += fmt::format(":{}", error.column);
    }
    out += ": ";
    if (!error.key.empty()) out += fmt::format("{}: ", error.key);
    out += error.message;
    return out;
}

std::string format_errors(const std::vector<ScenarioError>& errors) {
    std::string out;
    for (const ScenarioError& e : errors) {
        out += format_error(e);
        out += '\n';
    }
    return out;
}

}  // namespace faultline::scenario
