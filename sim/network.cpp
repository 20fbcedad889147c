#include "sim/network.h"

#include <fmt/format.h>

namespace faultline {

std::string LinkConfig::describe() const {
    return fmt::format("latency {}, loss {}, duplicate {}, reorder {} within {}", latency.describe(), loss,
                       duplicate, reorder, to_string(reorder_window));
}

SendDecision Network::decide(NodeId from, NodeId to, Rng& rng) const {
    const LinkConfig& c = config(from, to);
    SendDecision d;
    if (c.loss > 0 && rng.bernoulli(c.loss)) {
        d.lost = true;
        return d;
    }
    auto one_latency = [&] {
        Duration l = c.latency.sample(rng);
        if (c.reorder > 0 && rng.bernoulli(c.reorder)) {
            l += nanoseconds(rng.uniform_int(0, c.reorder_window.ns()));
        }
        return l;
    };
    d.latency = one_latency();
    if (c.duplicate > 0 && rng.bernoulli(c.duplicate)) d.duplicate_latency = one_latency();
    return d;
}

}  // namespace faultline
