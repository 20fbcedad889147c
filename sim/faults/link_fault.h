// Link faults: change how the network behaves (loss, duplication, reordering, latency), on
// every link (default) or on one directed link. Models: congestion, a flaky NIC, a slow WAN link,
// retransmissions that duplicate. Parameters: a LinkConfig (probabilities in [0, 1], latency
// model in virtual time) and, for one link, its endpoints. Recoverable: lost messages are lost.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/network.h"

#include <optional>

namespace faultline {
class World;
}

namespace faultline::faults {

struct LinkChange {
    LinkConfig config;
    std::optional<NodeId> from;  // both set: one directed link; neither: the default
    std::optional<NodeId> to;
    static constexpr std::string_view kind_name = "link";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};
struct ClearLinkOverrides {
    static constexpr std::string_view kind_name = "clear_links";
    void apply(World& world) const;
    std::string describe(const std::vector<std::string>& names) const;
};

}  // namespace faultline::faults
