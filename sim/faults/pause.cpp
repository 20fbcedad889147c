// The pause kind (pause.h says what it models).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void Pause::apply(World& w) const { w.pause(node, duration); }
std::string Pause::describe(const std::vector<std::string>& names) const {
    return fmt::format("pause {} for {}", node_label(node, names), to_string(duration));
}

std::vector<FaultKind> pause_kinds() {
    FaultKind pause;
    pause.name = "pause";
    pause.summary = "a node processes nothing for duration_ms (GC pause, SIGSTOP), then catches up";
    FaultField duration = number_field("duration_ms", "how long the node stands still (ms)", 0, 1e15, true, true);
    duration.shrinkable_length = true;
    pause.fields = {server_field("node", "the server that pauses"), duration};
    pause.trace_kinds = {EventKind::pause};
    pause.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return Pause{node(a, c), ms(a.number("duration_ms"))}; };
    pause.args_of = [](const Fault& f, const std::vector<std::string>& names) {
        const auto& p = std::get<Pause>(f);
        auto a = node_args(p.node, names);
        if (a) a->set("duration_ms", p.duration.ms_f());
        return a;
    };
    return {pause};
}

}  // namespace faultline::faults
