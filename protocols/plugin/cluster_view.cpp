#include "protocols/plugin/cluster_view.h"

#include "sim/world.h"

namespace faultline::plugin {

Instant ClusterView::now() const { return world_->now(); }
std::size_t ClusterView::node_count() const { return world_->node_count(); }
const std::string& ClusterView::node_name(NodeId id) const { return world_->node_name(id); }
const std::vector<std::string>& ClusterView::node_names() const { return world_->node_names(); }
std::optional<NodeId> ClusterView::find_node(std::string_view name) const { return world_->find_node(name); }
bool ClusterView::is_up(NodeId id) const { return world_->is_up(id); }
const Process* ClusterView::process(NodeId id) const { return world_->process(id); }
const Partition& ClusterView::partition() const { return world_->partition(); }
Trace& ClusterView::trace() const { return world_->trace(); }

}  // namespace faultline::plugin
