// Helpers for the fault kind entries (crash.cpp, ...): field constructors and reads of fields
// into kernel values. Internal to sim/faults/.
#pragma once

#include "sim/faults/fault_kind.h"

#include <cmath>

namespace faultline::faults::detail {

inline FaultField server_field(std::string_view key, std::string_view meaning, bool required = true) {
    return {.key = key, .type = FieldType::server, .required = required, .meaning = meaning};
}
inline FaultField node_field(std::string_view key, std::string_view meaning, bool required = false) {
    return {.key = key, .type = FieldType::node, .required = required, .meaning = meaning};
}
inline FaultField number_field(std::string_view key, std::string_view meaning, double min, double max,
                               bool required = true, bool min_open = false) {
    return {.key = key, .type = FieldType::number, .required = required, .meaning = meaning, .min = min, .max = max,
            .min_open = min_open};
}
inline FaultField probability_field(std::string_view key, std::string_view meaning) {
    return number_field(key, meaning, 0, 1, false);
}
inline FaultField choice_field(std::string_view key, std::string_view meaning, std::vector<std::string_view> choices) {
    return {.key = key, .type = FieldType::choice, .required = false, .meaning = meaning, .choices = std::move(choices)};
}

inline Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }
inline NodeId node(const FaultArgs& a, const FaultContext& c, std::string_view key = "node") {
    return c.node_id(a.text(key));
}
// A node id as a name; nullopt for an id `names` does not cover or names "" (a node a scenario's
// faults cannot target, as the caller of args_of decides).
inline std::optional<std::string> name_of(NodeId id, const std::vector<std::string>& names) {
    if (id >= names.size() || names[id].empty()) return std::nullopt;
    return names[id];
}
// {"node": <name>} for a fault of one node, when the id has a name.
inline std::optional<FaultArgs> node_args(NodeId id, const std::vector<std::string>& names) {
    auto name = name_of(id, names);
    if (!name) return std::nullopt;
    FaultArgs a;
    a.set("node", *name);
    return a;
}

}  // namespace faultline::faults::detail
