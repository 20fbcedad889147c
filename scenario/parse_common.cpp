// The parser's shared checks: node names and link fields (see parse_internal.h).
#include "scenario/parse_internal.h"

#include "sim/assert.h"
#include "scenario/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace faultline::scenario::detail {

bool Cluster::is_server(std::string_view name) const {
    return std::find(servers.begin(), servers.end(), name) != servers.end();
}

bool Cluster::is_client(std::string_view name) const {
    // Clients are c1..cK exactly: no leading zero, no sign.
    if (name.size() < 2 || name[0] != 'c' || name[1] == '0') return false;
    int64_t k = 0;
    const char* first = name.data() + 1;
    const char* last = name.data() + name.size();
    auto [end, ec] = std::from_chars(first, last, k);
    return ec == std::errc() && end == last && k >= 1 && k <= clients;
}

std::string Cluster::describe_servers() const {
    bool numbered = !servers.empty();
    for (std::size_t i = 0; i < servers.size() && numbered; ++i) {
        numbered = servers[i] == fmt::format("n{}", i + 1);
    }
    if (numbered && servers.size() > 2) return fmt::format("n1..n{}", servers.size());
    return join_names(servers);
}

std::string Cluster::describe_all() const {
    if (clients == 0) return fmt::format("servers {}; no clients", describe_servers());
    if (clients == 1) return fmt::format("servers {}; client c1", describe_servers());
    return fmt::format("servers {}; clients c1..c{}", describe_servers(), clients);
}

bool is_valid_name(std::string_view name) {
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

bool read_node(TomlReader& reader, const toml::node& node, std::string_view path, const Cluster& cluster,
               bool clients_allowed, std::string_view role, std::string& out) {
    std::string name;
    if (!reader.string_value(node, path, name)) return false;
    if (cluster.is_server(name)) {
        out = name;
        return true;
    }
    if (cluster.is_client(name)) {
        if (clients_allowed) {
            out = name;
            return true;
        }
        reader.error(node, std::string(path),
                     fmt::format("'{}' is a client; {} needs a server ({})", name, role, cluster.describe_servers()));
        return false;
    }
    reader.error(node, std::string(path),
                 fmt::format("unknown node '{}' ({})", name,
                             clients_allowed ? cluster.describe_all() : "servers: " + cluster.describe_servers()));
    return false;
}

int read_link_fields(TomlReader& reader, const toml::table& table, std::string_view path, LinkSpec& link) {
    int present = 0;
    for (std::string_view key : link_keys) present += table.contains(key) ? 1 : 0;
    reader.string(table, "latency", path, link.latency, latency_models);
    reader.real(table, "latency_ms", path, Bounds::non_negative(), link.latency_ms);
    reader.real(table, "latency_spread_ms", path, Bounds::non_negative(), link.latency_spread_ms);
    reader.real(table, "latency_shape", path, Bounds::positive(), link.latency_shape);
    reader.real(table, "latency_cap_ms", path, Bounds::positive(), link.latency_cap_ms);
    reader.real(table, "loss", path, Bounds::probability(), link.loss);
    reader.real(table, "duplicate", path, Bounds::probability(), link.duplicate);
    reader.real(table, "reorder", path, Bounds::probability(), link.reorder);
    reader.real(table, "reorder_window_ms", path, Bounds::non_negative(), link.reorder_window_ms);
    FL_ASSERT(present >= 0 && present <= static_cast<int>(link_keys.size()), "counted more link keys than exist");
    return present;
}

void read_option(TomlReader& reader, const OptionSpec& spec, const toml::node& node, const std::string& key,
                 OptionValues& out) {
    const Bounds range{spec.min, spec.max};
    switch (spec.type) {
        case OptionType::integer: {
            int64_t v = 0;
            if (reader.integer_value(node, key, range, v)) out[spec.name] = v;
            return;
        }
        case OptionType::real: {
            double v = 0;
            if (reader.real_value(node, key, range, v)) out[spec.name] = v;
            return;
        }
        case OptionType::boolean: {
            const auto* b = node.as_boolean();
            if (b == nullptr) {
                reader.error(node, key, fmt::format("wrong type: expected a boolean (true or false), got {}", describe_node(node)));
                return;
            }
            out[spec.name] = b->get();
            return;
        }
        case OptionType::string: {
            std::vector<std::string_view> choices(spec.choices.begin(), spec.choices.end());
            std::string v;
            if (reader.string_value(node, key, v, choices)) out[spec.name] = v;
            return;
        }
    }
    FL_ASSERT(false, "option {} has an unknown OptionType", spec.name);
}

}  // namespace faultline::scenario::detail
