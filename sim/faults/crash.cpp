// The crash and restart kinds (crash.h says what they model).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void Crash::apply(World& w) const { w.crash(node); }
std::string Crash::describe(const std::vector<std::string>& names) const { return "crash " + node_label(node, names); }
void Restart::apply(World& w) const { w.restart(node); }
std::string Restart::describe(const std::vector<std::string>& names) const { return "restart " + node_label(node, names); }

std::vector<FaultKind> crash_kinds() {
    FaultKind crash;
    crash.name = "crash";
    crash.summary = "a node dies (volatile state, fibers, timers gone; unsynced disk writes lost); until_ms restarts it";
    crash.fields = {server_field("node", "the server that crashes")};
    crash.until = "restart the node";
    crash.trace_kinds = {EventKind::crash};
    crash.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return Crash{node(a, c)}; };
    crash.undo = [](const FaultArgs& a, const FaultContext& c) -> Fault { return Restart{node(a, c)}; };
    crash.args_of = [](const Fault& f, const std::vector<std::string>& names) { return node_args(std::get<Crash>(f).node, names); };

    FaultKind restart;
    restart.name = "restart";
    restart.summary = "a crashed node comes back with only its disk";
    restart.fields = {server_field("node", "the server that restarts")};
    restart.trace_kinds = {EventKind::restart};
    restart.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return Restart{node(a, c)}; };
    restart.args_of = [](const Fault& f, const std::vector<std::string>& names) { return node_args(std::get<Restart>(f).node, names); };
    return {crash, restart};
}

}  // namespace faultline::faults
