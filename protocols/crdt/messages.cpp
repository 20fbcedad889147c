#include "protocols/crdt/messages.h"

#include <fmt/format.h>

namespace faultline::crdt {

std::string ClientRequest::describe() const { return fmt::format("{}#{} {}", client, seq, op.describe()); }

std::string ClientReply::describe() const {
    if (result.outcome != ClientOutcome::ok) return std::string(to_string(result.outcome));
    if (!result.siblings.empty()) return fmt::format("ok siblings {}", fmt::join(result.siblings, "|"));
    return result.found ? fmt::format("ok {}", result.value) : "ok";
}

std::string Gossip::describe() const {
    std::string keys;
    for (const auto& [key, state] : states) keys += (keys.empty() ? "" : " ") + key;
    return fmt::format("{} {} upto {} [{}]", from_replica, full ? "full" : "delta", upto, keys);
}

std::string GossipAck::describe() const { return fmt::format("{} {} upto {}", replica, full ? "full" : "delta", upto); }

}  // namespace faultline::crdt
