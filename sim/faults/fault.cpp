#include "sim/faults/fault.h"

#include "sim/world.h"

#include <type_traits>

#include <fmt/format.h>

namespace faultline::faults {

void schedule(World& world, const FaultSchedule& faults) {
    for (const auto& sf : faults) {
        Fault f = sf.fault;
        world.at(sf.at, [f](World& w) { apply(w, f); });
    }
}

Fault with_nodes_swapped(const Fault& f, NodeId a, NodeId b) {
    const auto moved = [&](NodeId x) { return x == a ? b : x == b ? a : x; };
    return std::visit(
        [&](auto x) -> Fault {
            using T = decltype(x);
            if constexpr (requires { x.node; }) {
                x.node = moved(x.node);
            } else if constexpr (std::is_same_v<T, PartitionNetwork>) {
                x.partition = x.partition.with_swapped(a, b);
            } else if constexpr (std::is_same_v<T, LinkChange>) {
                if (x.from) x.from = moved(*x.from);
                if (x.to) x.to = moved(*x.to);
            } else {
                static_assert(std::is_same_v<T, Heal> || std::is_same_v<T, ClearLinkOverrides>,
                              "a fault kind that names nodes must say how they move (with_nodes_swapped)");
            }
            return x;
        },
        f);
}

std::string node_label(NodeId id, const std::vector<std::string>& names) {
    return id < names.size() ? names[id] : fmt::format("#{}", id);
}

}  // namespace faultline::faults
