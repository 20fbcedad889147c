// The quorum register's values and messages (protocols/quorum_register/register_server.h tells
// the story). Every message names the operation it belongs to, so that a reply arriving after
// its phase is over can be recognised and ignored.
#pragma once

#include "protocols/kv/kv_client.h"

#include <compare>
#include <string>

namespace faultline::quorum_register {

// A version orders the writes of one key: a higher counter is newer; two writes with the same
// counter are ordered by `writer`, which is unique per put, so no two writes share a version.
struct Version {
    uint64_t counter = 0;
    uint64_t writer = 0;
    auto operator<=>(const Version&) const = default;
};

// What a server holds for one key. A key nobody wrote has version {0, 0} and found = false.
struct Stamped {
    Version version;
    bool found = false;
    std::string value;
};

// Client -> any server, which then coordinates the operation.
struct ClientRequest {
    static constexpr std::string_view type_name = "qr.client_request";
    kv::KvOp op;
    std::string describe() const { return op.describe(); }
};

struct ClientReply {
    static constexpr std::string_view type_name = "qr.client_reply";
    kv::KvResult result;
    std::string describe() const;
};

// Phase 1, coordinator -> every other server: what is your newest version of `key`?
struct Query {
    static constexpr std::string_view type_name = "qr.query";
    uint64_t operation = 0;
    std::string key;
    std::string describe() const;
};

struct QueryReply {
    static constexpr std::string_view type_name = "qr.query_reply";
    uint64_t operation = 0;
    Stamped stamped;
    std::string describe() const;
};

// Phase 2, coordinator -> every other server: keep this version of `key` if it is newer.
struct Store {
    static constexpr std::string_view type_name = "qr.store";
    uint64_t operation = 0;
    std::string key;
    Stamped stamped;
    std::string describe() const;
};

struct StoreAck {
    static constexpr std::string_view type_name = "qr.store_ack";
    uint64_t operation = 0;
    std::string describe() const;
};

}  // namespace faultline::quorum_register
