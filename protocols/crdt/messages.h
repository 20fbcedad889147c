// The CRDT store's messages. Clients send each operation to one server, which answers from its
// own state at once; servers gossip states (or deltas) to each other and, in delta mode,
// acknowledge what they received so the sender knows what each peer has.
#pragma once

#include "protocols/kv/kv_client.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace faultline::crdt {

// Client -> server. (client, seq) names the request: a server applies each update once, however
// often the network delivers it.
struct ClientRequest {
    static constexpr std::string_view type_name = "crdt.client_request";
    std::string client;  // "<client node>.<incarnation>"
    uint64_t seq = 0;    // per client, increasing
    kv::KvOp op;
    std::string describe() const;
};

struct ClientReply {
    static constexpr std::string_view type_name = "crdt.client_reply";
    kv::KvResult result;
    std::string describe() const;
};

// Server -> server: states (full = true: every key the sender holds) or deltas (the join of
// the sender's deltas after what the receiver acknowledged), each key with its encoded state
// (KeyState::encode). upto: the sender's delta sequence number this brings the receiver to;
// `ack`: the receiver should acknowledge it (delta mode).
struct Gossip {
    static constexpr std::string_view type_name = "crdt.gossip";
    std::string from_replica;  // the sender's replica id (its incarnation)
    bool full = true;
    bool ack = false;
    uint64_t upto = 0;
    std::vector<std::pair<std::string, std::string>> states;
    std::string describe() const;
};

// Receiver -> sender, after the states it changed are on disk.
struct GossipAck {
    static constexpr std::string_view type_name = "crdt.gossip_ack";
    std::string replica;  // the receiver's replica id: an ack from a new incarnation means less
    bool full = false;    // echoed: it acknowledges a full state
    uint64_t upto = 0;
    std::string describe() const;
};

}  // namespace faultline::crdt
