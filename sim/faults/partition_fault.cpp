// The partition and heal kinds (partition_fault.h says what they model; sim/partition.h the
// shapes).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void PartitionNetwork::apply(World& w) const { w.set_partition(partition); }
std::string PartitionNetwork::describe(const std::vector<std::string>& names) const {
    return "partition " + partition.describe(names);
}
void Heal::apply(World& w) const { w.heal(); }
std::string Heal::describe(const std::vector<std::string>&) const { return "heal"; }

namespace {

constexpr std::array<std::string_view, 5> shapes{"isolate", "one_way", "majority_minority", "bridge", "majorities_ring"};

// How many nodes a shape takes: exactly (isolate, one_way) or at least (the ordering shapes).
std::size_t nodes_needed(std::string_view shape) {
    if (shape == "isolate") return 1;
    if (shape == "one_way" || shape == "majority_minority") return 2;
    return 3;
}
bool exact(std::string_view shape) { return shape == "isolate" || shape == "one_way"; }

std::vector<FieldProblem> check_partition(const FaultArgs& a, const std::vector<std::string>& servers) {
    const bool sides = a.has("sides"), shape = a.has("shape");
    if (sides && shape) return {{"shape", "give either sides or shape, not both"}};
    if (!sides && !shape)
        return {{"sides", "missing required key 'sides' or 'shape' (a partition needs explicit sides or a named shape)"}};
    if (sides) {
        if (a.has("nodes")) return {{"nodes", "'nodes' applies only with 'shape' (with sides, the sides name the nodes)"}};
        return {};
    }
    const std::string& s = a.text("shape");
    const std::size_t needed = nodes_needed(s);
    if (exact(s)) {
        const char* what = s == "isolate" ? "[node]" : "[from, to]";
        if (!a.has("nodes")) return {{"nodes", fmt::format("missing required key 'nodes' (shape {} needs nodes = {})", s, what)}};
        const std::size_t got = a.list("nodes").size();
        if (got != needed)
            return {{"nodes", fmt::format("shape {} needs exactly {} node{} ({}), got {}", s, needed, needed == 1 ? "" : "s", what, got)}};
        return {};
    }
    // The ordering shapes: omitted nodes mean every server, in cluster order.
    const std::size_t got = a.has("nodes") ? a.list("nodes").size() : servers.size();
    if (got < needed) return {{"nodes", fmt::format("shape {} needs at least {} nodes, got {}", s, needed, got)}};
    return {};
}

Partition make_partition(const FaultArgs& a, const FaultContext& c) {
    const std::size_t n = c.node_count;
    auto ids = [&](const std::vector<std::string>& names) {
        std::vector<NodeId> out;
        for (const auto& name : names) out.push_back(c.node_id(name));
        return out;
    };
    if (a.has("sides")) {
        // Nodes named in no side keep every link (clients, infrastructure): cut only between
        // nodes of different sides.
        Partition p(n);
        std::vector<std::vector<NodeId>> sides;
        for (const auto& side : a.groups("sides")) sides.push_back(ids(side));
        for (std::size_t x = 0; x < sides.size(); ++x)
            for (std::size_t y = 0; y < sides.size(); ++y)
                if (x != y)
                    for (NodeId from : sides[x])
                        for (NodeId to : sides[y]) p.set_cut(from, to, true);
        return p;
    }
    const std::string& shape = a.text("shape");
    const std::vector<NodeId> nodes = ids(a.has("nodes") ? a.list("nodes") : c.servers);
    if (shape == "isolate") return Partition::isolate(n, nodes.at(0));
    if (shape == "one_way") return Partition::one_way(n, nodes.at(0), nodes.at(1));
    if (shape == "majority_minority") return Partition::majority_minority(n, nodes);
    if (shape == "bridge") return Partition::bridge(n, nodes);
    if (shape == "majorities_ring") return Partition::majorities_ring(n, nodes);
    FL_ASSERT(false, "unknown partition shape '{}' passed validation", shape);
    return Partition(n);
}

// A clean grouping of nameable nodes as sides (nodes left out keep every link); nullopt when the
// cut is not a grouping or leaves fewer than two sides.
std::optional<FaultArgs> partition_args(const Fault& f, const std::vector<std::string>& names) {
    std::vector<std::vector<std::string>> sides;
    for (const auto& group : std::get<PartitionNetwork>(f).partition.as_groups()) {
        std::vector<std::string> side;
        for (NodeId id : group)
            if (auto name = name_of(id, names)) side.push_back(*name);
        if (!side.empty()) sides.push_back(std::move(side));
    }
    if (sides.size() < 2) return std::nullopt;
    FaultArgs a;
    a.set("sides", sides);
    return a;
}

}  // namespace

std::vector<FaultKind> partition_kinds() {
    std::vector<std::string_view> shape_names(shapes.begin(), shapes.end());
    FaultKind partition;
    partition.name = "partition";
    partition.summary = "cut links: sides = [[..],[..]] or shape = isolate | one_way | majority_minority | bridge | majorities_ring";
    partition.fields = {
        {.key = "sides", .type = FieldType::sides, .meaning = "groups of nodes that can talk only within their group"},
        choice_field("shape", "a named shape (sim/partition.h)", shape_names),
        {.key = "nodes", .type = FieldType::nodes,
         .meaning = "the shape's nodes: isolate [node], one_way [from, to], others an order (default: every server)"},
    };
    partition.until = "heal the network";
    partition.until_alias = "heal_at_ms";
    partition.trace_kinds = {EventKind::partition};
    partition.check = check_partition;
    partition.complete = [](FaultArgs& a, const std::vector<std::string>& servers) {
        // The ordering shapes without nodes take every server, in cluster order: written out.
        if (a.has("shape") && !a.has("nodes") && !exact(a.text("shape"))) a.set("nodes", servers);
    };
    partition.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return PartitionNetwork{make_partition(a, c)}; };
    partition.undo = [](const FaultArgs&, const FaultContext&) -> Fault { return Heal{}; };
    partition.args_of = partition_args;

    FaultKind heal;
    heal.name = "heal";
    heal.summary = "restore full connectivity";
    heal.trace_kinds = {EventKind::heal};
    heal.make = [](const FaultArgs&, const FaultContext&) -> Fault { return Heal{}; };
    heal.args_of = [](const Fault&, const std::vector<std::string>&) { return std::optional<FaultArgs>(FaultArgs{}); };
    return {partition, heal};
}

}  // namespace faultline::faults
