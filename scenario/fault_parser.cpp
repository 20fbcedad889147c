// [[fault]]: scripted faults, each read against its kind's entry in the fault kind table
// (sim/faults/fault_kind.h), so a new kind needs no edit here. A fault must carry exactly the
// fields its kind takes: a missing required field is an error, and so is a field of another kind
// (`sides` on a crash), which is named as such rather than as an unknown key. Each field is read
// by its type (a server, a node, a list of nodes, a partition's sides, a choice, a number in its
// range); the kind's own checks across fields run last.
#include "scenario/parse_internal.h"

#include "scenario/suggest.h"
#include "sim/assert.h"
#include "sim/faults/fault_kind.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::scenario::detail {

namespace {

using faults::FaultField;
using faults::FaultKind;
using faults::FieldType;

std::vector<std::string_view> kind_names() {
    std::vector<std::string_view> names;
    for (const FaultKind& k : faults::fault_kinds()) names.push_back(k.name);
    return names;
}

std::vector<std::string_view> allowed_keys(const FaultKind& kind) {
    std::vector<std::string_view> keys{"kind", "at_ms"};
    for (const FaultField& f : kind.fields) keys.push_back(f.key);
    if (!kind.until.empty()) keys.push_back("until_ms");
    if (!kind.until_alias.empty()) keys.push_back(kind.until_alias);
    return keys;
}

bool is_any_fault_key(std::string_view key) {
    for (const FaultKind& kind : faults::fault_kinds()) {
        const auto keys = allowed_keys(kind);
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

        const FaultKind* kind = read_kind(table, spec);
        if (kind == nullptr) {
            // Without a kind there is no rule to check the other keys against; report the time.
            read_at(table, spec);
            return std::nullopt;
        }
        check_keys(table, *kind);
        for (const FaultField& f : kind->fields)
            if (f.required) reader_.require(table, f.key, path_, fmt::format("a {} fault needs it", kind->name));
        read_at(table, spec);
        if (!kind->until.empty()) read_until(table, *kind, spec);
        for (const FaultField& f : kind->fields)
            if (const toml::node* node = table.get(f.key)) read_field(*kind, f, *node, spec.args);
        if (reader_.error_count() == errors_before && kind->check) {
            for (const faults::FieldProblem& p : kind->check(spec.args, context_.cluster.servers)) {
                const toml::node* at = p.key.empty() ? nullptr : table.get(p.key);
                reader_.error(at ? at->source().begin : table.source().begin, p.key.empty() ? path_ : join_key(path_, p.key),
                              p.message);
            }
        }
        if (reader_.error_count() != errors_before) return std::nullopt;
        if (kind->complete) kind->complete(spec.args, context_.cluster.servers);
        return spec;
    }

private:
    const FaultKind* read_kind(const toml::table& table, FaultSpec& spec) {
        if (!reader_.require(table, "kind", path_, "what fault to inject")) return nullptr;
        const toml::node& node = *table.get("kind");
        const std::string key = join_key(path_, "kind");
        if (!reader_.string_value(node, key, spec.kind)) return nullptr;
        const FaultKind* kind = faults::find_fault_kind(spec.kind);
        if (kind == nullptr) {
            const auto names = kind_names();
            std::string message = fmt::format("unknown fault kind '{}'", shown_name(spec.kind));
            if (auto suggestion = closest_match(spec.kind, names)) message += fmt::format("; did you mean '{}'?", *suggestion);
            message += fmt::format(" (kinds: {})", join_names(names));
            reader_.error(node, key, std::move(message));
        }
        return kind;
    }

    void check_keys(const toml::table& table, const FaultKind& kind) {
        const auto allowed = allowed_keys(kind);
        for (auto&& [key, value] : table) {
            if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
            if (is_any_fault_key(key.str())) {
                std::vector<std::string_view> own(allowed.begin() + 2, allowed.end());  // without kind, at_ms
                reader_.error(key.source().begin, join_key(path_, key.str()),
                              fmt::format("'{}' does not apply to a {} fault ({} takes: {})", key.str(), kind.name,
                                          kind.name, own.empty() ? std::string("only at_ms") : join_names(own)));
            } else {
                reader_.unknown_key(key, path_, allowed, fmt::format("a {} fault", kind.name));
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

    void read_until(const toml::table& table, const FaultKind& kind, FaultSpec& spec) {
        // An alias (a partition's heal_at_ms reads better) means until_ms.
        std::string_view key = "until_ms";
        if (!kind.until_alias.empty() && table.contains(kind.until_alias)) {
            if (table.contains("until_ms")) {
                reader_.error(*table.get(kind.until_alias), join_key(path_, kind.until_alias),
                              fmt::format("give either {} or until_ms (they mean the same), not both", kind.until_alias));
                return;
            }
            key = kind.until_alias;
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

    void read_field(const FaultKind& kind, const FaultField& f, const toml::node& node, faults::FaultArgs& out) {
        const std::string key = join_key(path_, f.key);
        const std::string role = fmt::format("a {} fault", kind.name);
        switch (f.type) {
            case FieldType::server:
            case FieldType::node: {
                std::string name;
                if (read_node(reader_, node, key, context_.cluster, f.type == FieldType::node, role, name)) out.set(std::string(f.key), name);
                return;
            }
            case FieldType::nodes: read_nodes(node, key, f, out); return;
            case FieldType::sides: read_sides(node, key, f, out); return;
            case FieldType::choice: {
                std::string value;
                if (reader_.string_value(node, key, value, f.choices)) out.set(std::string(f.key), value);
                return;
            }
            case FieldType::number: {
                double value = 0;
                if (reader_.real_value(node, key, Bounds{f.min, f.max, f.min_open}, value)) out.set(std::string(f.key), value);
                return;
            }
        }
        FL_ASSERT(false, "field {} of fault kind {} has an unknown type", f.key, kind.name);
    }

    void read_nodes(const toml::node& node, const std::string& key, const FaultField& f, faults::FaultArgs& out) {
        const auto* list = node.as_array();
        if (list == nullptr) {
            reader_.error(node, key, fmt::format("wrong type: expected an array of node names, got {}", describe_node(node)));
            return;
        }
        std::vector<std::string> nodes;
        bool ok = true;
        for (std::size_t i = 0; i < list->size(); ++i) {
            std::string name;
            if (!read_node(reader_, *list->get(i), index_key(key, i), context_.cluster, true, "a partition", name)) {
                ok = false;
            } else if (std::find(nodes.begin(), nodes.end(), name) != nodes.end()) {
                reader_.error(*list->get(i), index_key(key, i), fmt::format("node '{}' is listed twice", name));
                ok = false;
            } else {
                nodes.push_back(std::move(name));
            }
        }
        if (ok) out.set(std::string(f.key), nodes);
    }

    void read_sides(const toml::node& node, const std::string& key, const FaultField& f, faults::FaultArgs& out) {
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
        std::vector<std::vector<std::string>> groups;
        std::map<std::string, std::size_t> side_of;  // node -> the first side that names it
        const std::size_t errors_before = reader_.error_count();
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
            groups.push_back(std::move(names));
        }
        if (reader_.error_count() == errors_before) out.set(std::string(f.key), groups);
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
