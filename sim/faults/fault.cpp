#include "sim/faults/fault.h"

#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

void schedule(World& world, const FaultSchedule& faults) {
    for (const auto& sf : faults) {
        Fault f = sf.fault;
        world.at(sf.at, [f](World& w) { apply(w, f); });
    }
}

std::string node_label(NodeId id, const std::vector<std::string>& names) {
    return id < names.size() ? names[id] : fmt::format("#{}", id);
}

}  // namespace faultline::faults
