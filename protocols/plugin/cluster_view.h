// ClusterView: what a protocol's plug-in code outside its nodes may read of a running World, and
// nothing it could change the run with. Invariant monitors, figures, replica states and roles
// (protocol_entry.h) are written against it, so only a protocol's entry file (entry.cpp, which
// adds the nodes) includes the kernel's world.h; a guard test keeps it so.
//
// Reads are of the true state, as an observer outside the simulation sees it (true time, every
// node's process), never of a node's local view. Valid for as long as the World it wraps.
#pragma once

#include "sim/ids.h"
#include "sim/node.h"
#include "sim/partition.h"
#include "sim/time.h"
#include "sim/trace.h"

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace faultline {
class World;
}

namespace faultline::plugin {

class ClusterView {
public:
    explicit ClusterView(World& world) : world_(&world) {}

    Instant now() const;  // true time
    std::size_t node_count() const;
    const std::string& node_name(NodeId id) const;
    const std::vector<std::string>& node_names() const;
    std::optional<NodeId> find_node(std::string_view name) const;
    bool is_up(NodeId id) const;
    // The node's current process (null while it is down).
    const Process* process(NodeId id) const;
    // The node's process if it is a T (null otherwise). Monitors call this on most events they
    // observe: for a final class the exact type is compared, which costs a few instructions where
    // dynamic_cast walks the class hierarchy.
    template <typename T>
    const T* process_as(NodeId id) const {
        const Process* p = process(id);
        if constexpr (std::is_final_v<T>) {
            return p != nullptr && typeid(*p) == typeid(T) ? static_cast<const T*>(p) : nullptr;
        } else {
            return dynamic_cast<const T*>(p);
        }
    }
    // The partition in force now.
    const Partition& partition() const;
    // The trace, to observe events as they happen (Trace::add_observer) and read annotations.
    Trace& trace() const;

private:
    World* world_;
};

}  // namespace faultline::plugin
