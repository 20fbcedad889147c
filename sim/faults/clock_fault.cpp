// The clock_jump and clock_drift kinds (clock_fault.h says what they model).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void ClockJump::apply(World& w) const { w.jump_clock(node, delta); }
std::string ClockJump::describe(const std::vector<std::string>& names) const {
    return fmt::format("clock of {} jumps {}", node_label(node, names), to_string(delta));
}
void ClockDrift::apply(World& w) const { w.set_clock_drift(node, ppm); }
std::string ClockDrift::describe(const std::vector<std::string>& names) const {
    return fmt::format("clock of {} drifts {}ppm", node_label(node, names), ppm);
}

std::vector<FaultKind> clock_kinds() {
    FaultKind jump;
    jump.name = "clock_jump";
    jump.summary = "a node's clock steps by jump_ms (negative: backwards)";
    jump.fields = {server_field("node", "the server whose clock jumps"),
                   number_field("jump_ms", "the step (ms, signed)", -1e15, 1e15)};
    jump.trace_kinds = {EventKind::clock_jump};
    jump.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return ClockJump{node(a, c), ms(a.number("jump_ms"))}; };
    jump.args_of = [](const Fault& f, const std::vector<std::string>& names) {
        const auto& j = std::get<ClockJump>(f);
        auto a = node_args(j.node, names);
        if (a) a->set("jump_ms", j.delta.ms_f());
        return a;
    };

    FaultKind drift;
    drift.name = "clock_drift";
    drift.summary = "a node's clock runs drift_ppm fast (negative: slow)";
    drift.fields = {server_field("node", "the server whose clock drifts"),
                    number_field("drift_ppm", "the rate error (ppm: microseconds gained per second)", -1e6, 1e6)};
    drift.until = "set the drift back to 0";
    drift.trace_kinds = {EventKind::clock_drift};
    drift.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return ClockDrift{node(a, c), a.number("drift_ppm")}; };
    drift.undo = [](const FaultArgs& a, const FaultContext& c) -> Fault { return ClockDrift{node(a, c), 0.0}; };
    drift.args_of = [](const Fault& f, const std::vector<std::string>& names) {
        const auto& d = std::get<ClockDrift>(f);
        auto a = node_args(d.node, names);
        if (a) a->set("drift_ppm", d.ppm);
        return a;
    };
    return {jump, drift};
}

}  // namespace faultline::faults
