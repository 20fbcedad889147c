// The Dynamo-style store's messages. Client requests go to a coordinator (a server of the key's
// preference list); the coordinator talks to the key's replicas with Replicate/Read; stand-ins
// hand hints back with Replicate; replicas compare Merkle trees for anti-entropy.
#pragma once

#include "protocols/dynamo/versions.h"
#include "protocols/kv/kv_client.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace faultline::dynamo {

// Client -> coordinator. `context` is the client's merged vector of the key's versions it last
// read (vv mode): a put supersedes exactly those.
struct ClientRequest {
    static constexpr std::string_view type_name = "dynamo.client_request";
    kv::KvOp op;
    VersionVector context;
    std::string describe() const;
};

// Coordinator -> client. For a get, `result.siblings` holds every concurrent value (when more
// than one) and `context` their merged vector; for a put, the new version's vector.
struct ClientReply {
    static constexpr std::string_view type_name = "dynamo.client_reply";
    kv::KvResult result;
    VersionVector context;
    std::string describe() const;
};

// Coordinator -> replica (a write or a read repair), or stand-in -> home replica (a hint handed
// off). hint_for: the replica this copy is held for, when the receiver is a stand-in. `force`
// (only with the planted bug read_repair_overwrites_newer) replaces what the receiver holds.
struct Replicate {
    static constexpr std::string_view type_name = "dynamo.replicate";
    uint64_t request = 0;  // 0: no acknowledgement wanted
    std::string key;
    Siblings versions;
    std::string hint_for;
    bool force = false;
    std::string describe() const;
};

struct ReplicateAck {
    static constexpr std::string_view type_name = "dynamo.replicate_ack";
    uint64_t request = 0;
    std::string describe() const;
};

struct Read {
    static constexpr std::string_view type_name = "dynamo.read";
    uint64_t request = 0;
    std::string key;
    std::string describe() const;
};

struct ReadReply {
    static constexpr std::string_view type_name = "dynamo.read_reply";
    uint64_t request = 0;
    Siblings versions;
    std::string describe() const;
};

using Entries = std::vector<std::pair<std::string, Siblings>>;

// Anti-entropy, three steps: A offers its tree of the keys A and B both replicate; B answers with
// the leaves that differ and its own entries in them; A merges those and sends its entries there.
struct MerkleOffer {
    static constexpr std::string_view type_name = "dynamo.merkle_offer";
    std::vector<uint64_t> tree;
    std::string describe() const;
};

struct MerkleDiff {
    static constexpr std::string_view type_name = "dynamo.merkle_diff";
    std::vector<uint32_t> leaves;
    Entries entries;
    std::string describe() const;
};

struct MerkleRepair {
    static constexpr std::string_view type_name = "dynamo.merkle_repair";
    Entries entries;
    std::string describe() const;
};

}  // namespace faultline::dynamo
