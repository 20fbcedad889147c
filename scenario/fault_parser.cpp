// [[fault]]: scripted faults, each checked against the rules of its kind (docs/scenarios.md,
// "[[fault]]"). A fault must carry exactly the fields its kind needs: a missing required field is
// an error, and so is a field of another kind (`sides` on a crash), which is named as such rather
// than as an unknown key.
#include "scenario/parse_internal.h"

#include "sim/assert.h"
#include "scenario/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace faultline::scenario::detail {

namespace {

struct KindRule {
    std::string_view kind;
    std::vector<std::string_view> required;  // besides kind and at_ms
    std::vector<std::string_view> optional;
    bool link_fields = false;                // takes the LinkSpec keys (link faults)
};

const std::vector<KindRule>& kind_rules() {
    // In the order of scenario.h; docs/scenarios.md lists them the same way.
    static const std::vector<KindRule> rules{
        {"crash", {"node"}, {"until_ms"}},
        {"restart", {"node"}, {}},
        {"pause", {"node", "duration_ms"}, {}},
        {"partition", {}, {"sides", "shape", "nodes", "until_ms", "heal_at_ms"}},
        {"heal", {}, {}},
        {"clock_jump", {"node", "jump_ms"}, {}},
        {"clock_drift", {"node", "drift_ppm"}, {"until_ms"}},
        {"link", {}, {"from", "to", "until_ms"}, true},
        {"clear_links", {}, {}},
        {"disk", {"node"}, {"lost_sync", "torn_write", "corrupt", "sync_latency_ms", "until_ms"}},
        {"corrupt_block", {"node"}, {}},
    };
    return rules;
}

const KindRule* find_rule(std::string_view kind) {
    for (const KindRule& rule : kind_rules()) {
        if (rule.kind == kind) return &rule;
    }
    return nullptr;
}

std::vector<std::string_view> kind_names() {
    std::vector<std::string_view> names;
    for (const KindRule& rule : kind_rules()) names.push_back(rule.kind);
    return names;
}

std::vector<std::string_view> allowed_keys(const KindRule& rule) {
    std::vector<std::string_view> keys{"kind", "at_ms"};
    keys.insert(keys.end(), rule.required.begin(), rule.required.end());
    keys.insert(keys.end(), rule.optional.begin(), rule.optional.end());
    if (rule.link_fields) keys.insert(keys.end(), link_keys.begin(), link_keys.end());
    return keys;
}

bool is_any_fault_key(std::string_view key) {
    for (const KindRule& rule : kind_rules()) {
        const auto keys = allowed_keys(rule);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) return true;
    }
    return false;
}

class FaultReader {
public:
    FaultReader(TomlReader& reader, const ParseContext& context) : reader_(reader), context_(context) {}

    std::optional<FaultSpec> read(const toml::table& table, std::size_t index) {
        path_ = index_key("fault", index);
        FaultSpec spec;
        spec.line = static_cast<int>(table.source().begin.line);
        const std::size_t errors_before = reader_.error_count();

        const KindRule* rule = read_kind(table, spec);
        if (rule == nullptr) {
            // Without a kind there is no rule to check the other keys against; report the time.
            read_at(table, spec);
            return std::nullopt;
        }
        check_keys(table, *rule);
        for (std::string_view key : rule->required) {
            reader_.require(table, key, path_, fmt::format("a {} fault needs it", rule->kind));
        }
        read_at(table, spec);
        read_until(table, *rule, spec);

        const std::string& kind = spec.kind;
        if (std::find(rule->required.begin(), rule->required.end(), "node") != rule->required.end()) {
            if (const toml::node* node = table.get("node")) {
                read_node(reader_, *node, join_key(path_, "node"), context_.cluster, false,
                          fmt::format("a {} fault", kind), spec.node);
            }
        }
        if (kind == "pause") {
            reader_.real(table, "duration_ms", path_, Bounds::positive(), spec.duration_ms);
        } else if (kind == "partition") {
            read_partition(table, spec);
        } else if (kind == "clock_jump") {
            reader_.real(table, "jump_ms", path_, Bounds::any(), spec.jump_ms);
        } else if (kind == "clock_drift") {
            reader_.real(table, "drift_ppm", path_, Bounds::between(-1e6, 1e6), spec.drift_ppm);
        } else if (kind == "link") {
            read_link(table, spec);
        } else if (kind == "disk") {
            read_disk(table, spec);
        }
        if (reader_.error_count() != errors_before) return std::nullopt;
        return spec;
    }

private:
    const KindRule* read_kind(const toml::table& table, FaultSpec& spec) {
        if (!reader_.require(table, "kind", path_, "what fault to inject")) return nullptr;
        const toml::node& node = *table.get("kind");
        const std::string key = join_key(path_, "kind");
        if (!reader_.string_value(node, key, spec.kind)) return nullptr;
        const KindRule* rule = find_rule(spec.kind);
        if (rule == nullptr) {
            const auto names = kind_names();
            std::string message = fmt::format("unknown fault kind '{}'", spec.kind);
            if (auto suggestion = closest_match(spec.kind, names)) message += fmt::format("; did you mean '{}'?", *suggestion);
            message += fmt::format(" (kinds: {})", join_names(names));
            reader_.error(node, key, std::move(message));
        }
        return rule;
    }

    void check_keys(const toml::table& table, const KindRule& rule) {
        const auto allowed = allowed_keys(rule);
        for (auto&& [key, value] : table) {
            if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
            if (is_any_fault_key(key.str())) {
                std::vector<std::string_view> own(allowed.begin() + 2, allowed.end());  // without kind, at_ms
                reader_.error(key.source().begin, join_key(path_, key.str()),
                              fmt::format("'{}' does not apply to a {} fault ({} takes: {})", key.str(), rule.kind,
                                          rule.kind, own.empty() ? std::string("only at_ms") : join_names(own)));
            } else {
                reader_.unknown_key(key, path_, allowed, fmt::format("a {} fault", rule.kind));
            }
        }
    }

    void read_at(const toml::table& table, FaultSpec& spec) {
        if (!reader_.require(table, "at_ms", path_, "when the fault strikes")) return;
        if (!reader_.real(table, "at_ms", path_, Bounds::non_negative(), spec.at_ms)) return;
        if (context_.duration_ms && spec.at_ms > *context_.duration_ms) {
            reader_.error(*table.get("at_ms"), join_key(path_, "at_ms"),
                          fmt::format("at_ms {} is after the end of the run (duration_ms = {})",
                                      show_number(spec.at_ms), show_number(*context_.duration_ms)));
        }
        at_ok_ = true;
    }

    void read_until(const toml::table& table, const KindRule& rule, FaultSpec& spec) {
        // A partition may say heal_at_ms (it reads better); it means until_ms.
        std::string_view key = "until_ms";
        if (rule.kind == "partition" && table.contains("heal_at_ms")) {
            if (table.contains("until_ms")) {
                reader_.error(*table.get("heal_at_ms"), join_key(path_, "heal_at_ms"),
                              "give either heal_at_ms or until_ms (they mean the same), not both");
                return;
            }
            key = "heal_at_ms";
        }
        double until = 0;
        if (!reader_.real(table, key, path_, Bounds::non_negative(), until)) return;
        const toml::node& node = *table.get(key);
        if (at_ok_ && until <= spec.at_ms) {
            reader_.error(node, join_key(path_, key),
                          fmt::format("{} ({}) must be after at_ms ({})", key, show_number(until), show_number(spec.at_ms)));
            return;
        }
        if (context_.duration_ms && until > *context_.duration_ms) {
            reader_.error(node, join_key(path_, key),
                          fmt::format("{} {} is after the end of the run (duration_ms = {})", key, show_number(until),
                                      show_number(*context_.duration_ms)));
            return;
        }
        spec.until_ms = until;
    }

    void read_partition(const toml::table& table, FaultSpec& spec) {
        const bool has_sides = table.contains("sides");
        const bool has_shape = table.contains("shape");
        if (has_sides && has_shape) {
            reader_.error(*table.get("shape"), join_key(path_, "shape"), "give either sides or shape, not both");
            return;
        }
        if (!has_sides && !has_shape) {
            reader_.error(table.source().begin, join_key(path_, "sides"),
                          "missing required key 'sides' or 'shape' (a partition needs explicit sides or a named shape)");
            return;
        }
        if (has_sides) {
            if (table.contains("nodes")) {
                reader_.error(*table.get("nodes"), join_key(path_, "nodes"),
                              "'nodes' applies only with 'shape' (with sides, the sides name the nodes)");
            }
            read_sides(*table.get("sides"), spec);
        } else {
            read_shape(table, spec);
        }
    }

    void read_sides(const toml::node& node, FaultSpec& spec) {
        const std::string key = join_key(path_, "sides");
        const auto* sides = node.as_array();
        if (sides == nullptr) {
            reader_.error(node, key,
                          fmt::format("wrong type: expected an array of node arrays ([[\"n1\"], [\"n2\", \"n3\"]]), got {}",
                                      describe_node(node)));
            return;
        }
        if (sides->size() < 2) {
            reader_.error(node, key, fmt::format("a partition needs at least 2 sides, got {}", sides->size()));
            return;
        }
        std::map<std::string, std::size_t> side_of;  // node -> the first side that names it
        for (std::size_t s = 0; s < sides->size(); ++s) {
            const toml::node& side_node = *sides->get(s);
            const std::string side_key = index_key(key, s);
            const auto* side = side_node.as_array();
            if (side == nullptr) {
                reader_.error(side_node, side_key,
                              fmt::format("wrong type: expected an array of node names, got {}", describe_node(side_node)));
                continue;
            }
            if (side->empty()) {
                reader_.error(side_node, side_key, fmt::format("side {} is empty", s));
                continue;
            }
            std::vector<std::string> names;
            for (std::size_t i = 0; i < side->size(); ++i) {
                const toml::node& element = *side->get(i);
                const std::string element_key = index_key(side_key, i);
                std::string name;
                if (!read_node(reader_, element, element_key, context_.cluster, true, "a partition", name)) continue;
                auto [it, inserted] = side_of.emplace(name, s);
                if (!inserted) {
                    reader_.error(element, element_key,
                                  it->second == s ? fmt::format("node '{}' is listed twice in side {}", name, s)
                                                  : fmt::format("node '{}' is in two sides (side {} and side {})", name,
                                                                it->second, s));
                    continue;
                }
                names.push_back(std::move(name));
            }
            spec.sides.push_back(std::move(names));
        }
    }

    void read_shape(const toml::table& table, FaultSpec& spec) {
        static constexpr std::array<std::string_view, 5> shapes{"isolate", "one_way", "majority_minority", "bridge",
                                                                "majorities_ring"};
        if (!reader_.string(table, "shape", path_, spec.shape, shapes)) return;
        const std::string key = join_key(path_, "nodes");
        std::vector<std::string> nodes;
        const toml::node* nodes_node = table.get("nodes");
        if (nodes_node != nullptr) {
            std::vector<std::string> raw;
            std::vector<const toml::node*> elements;
            if (!reader_.string_list(table, "nodes", path_, raw, &elements)) return;
            bool ok = true;
            for (std::size_t i = 0; i < raw.size(); ++i) {
                std::string name;
                if (!read_node(reader_, *elements[i], index_key(key, i), context_.cluster, true, "a partition", name)) {
                    ok = false;
                } else if (std::find(nodes.begin(), nodes.end(), name) != nodes.end()) {
                    reader_.error(*elements[i], index_key(key, i), fmt::format("node '{}' is listed twice", name));
                    ok = false;
                } else {
                    nodes.push_back(std::move(name));
                }
            }
            if (!ok) return;
        }
        const toml::source_position at = nodes_node ? nodes_node->source().begin : table.source().begin;
        if (spec.shape == "isolate" || spec.shape == "one_way") {
            const std::size_t needed = spec.shape == "isolate" ? 1 : 2;
            const char* what = spec.shape == "isolate" ? "[node]" : "[from, to]";
            if (nodes_node == nullptr) {
                reader_.error(at, key, fmt::format("missing required key 'nodes' (shape {} needs nodes = {})", spec.shape, what));
                return;
            }
            if (nodes.size() != needed) {
                reader_.error(at, key, fmt::format("shape {} needs exactly {} node{} ({}), got {}", spec.shape, needed,
                                                   needed == 1 ? "" : "s", what, nodes.size()));
                return;
            }
        } else {
            // The ordering shapes: omitted nodes mean every server in cluster order, written out
            // here so that the Scenario says exactly which partition it makes.
            if (nodes_node == nullptr) nodes = context_.cluster.servers;
            const std::size_t needed = spec.shape == "majority_minority" ? 2 : 3;
            if (nodes.size() < needed) {
                reader_.error(at, key, fmt::format("shape {} needs at least {} nodes, got {}", spec.shape, needed,
                                                   nodes.size()));
                return;
            }
        }
        spec.shape_nodes = std::move(nodes);
    }

    void read_link(const toml::table& table, FaultSpec& spec) {
        const toml::node* from = table.get("from");
        const toml::node* to = table.get("to");
        if ((from == nullptr) != (to == nullptr)) {
            const toml::node& given = from ? *from : *to;
            reader_.error(given, join_key(path_, from ? "to" : "from"),
                          "give both from and to (one directed link), or neither (every link)");
        } else if (from != nullptr) {
            const bool ok_from = read_node(reader_, *from, join_key(path_, "from"), context_.cluster, true, "a link fault", spec.from);
            const bool ok_to = read_node(reader_, *to, join_key(path_, "to"), context_.cluster, true, "a link fault", spec.to);
            if (ok_from && ok_to && spec.from == spec.to) {
                reader_.error(*to, join_key(path_, "to"), fmt::format("a link joins two different nodes; from and to are both '{}'", spec.to));
            }
        }
        LinkSpec link = context_.base_link;
        if (read_link_fields(reader_, table, path_, link) == 0) {
            reader_.error(table.source().begin, path_,
                          fmt::format("a link fault needs at least one link field ({})", join_names(link_keys)));
            return;
        }
        spec.link = link;
    }

    void read_disk(const toml::table& table, FaultSpec& spec) {
        int present = 0;
        for (std::string_view key : {"lost_sync", "torn_write", "corrupt", "sync_latency_ms"}) {
            present += table.contains(key) ? 1 : 0;
        }
        if (present == 0) {
            reader_.error(table.source().begin, path_,
                          "a disk fault needs at least one of lost_sync, torn_write, corrupt, sync_latency_ms");
            return;
        }
        reader_.real(table, "lost_sync", path_, Bounds::probability(), spec.lost_sync);
        reader_.real(table, "torn_write", path_, Bounds::probability(), spec.torn_write);
        reader_.real(table, "corrupt", path_, Bounds::probability(), spec.corrupt);
        reader_.real(table, "sync_latency_ms", path_, Bounds::non_negative(), spec.sync_latency_ms);
    }

    TomlReader& reader_;
    const ParseContext& context_;
    std::string path_;
    bool at_ok_ = false;
};

}  // namespace

std::vector<FaultSpec> parse_faults(TomlReader& reader, const toml::array& faults, const ParseContext& context) {
    std::vector<FaultSpec> specs;
    if (static_cast<int64_t>(faults.size()) > faults_max) {
        reader.error(*faults.get(0), "fault", fmt::format("too many faults: {} (at most {})", faults.size(), faults_max));
        return specs;
    }
    for (std::size_t i = 0; i < faults.size(); ++i) {
        const toml::table* table = faults.get(i)->as_table();
        FL_ASSERT(table != nullptr, "the caller checked that [[fault]] is an array of tables");
        FaultReader fault_reader(reader, context);
        if (auto spec = fault_reader.read(*table, i)) specs.push_back(std::move(*spec));
    }
    FL_ASSERT(specs.size() <= faults.size(), "more fault specs than [[fault]] tables");
    return specs;
}

}  // namespace faultline::scenario::detail
