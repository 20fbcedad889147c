// The messages of primary-backup replication and of its view service.
#pragma once

#include "protocols/kv/store.h"
#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::primary_backup {

// A client request; (client, sequence) makes retries exactly-once.
struct ClientRequest {
    static constexpr std::string_view type_name = "pb.client_request";
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    std::string describe() const;
};

enum class ReplyStatus : uint8_t { ok, not_primary };

struct ClientReply {
    static constexpr std::string_view type_name = "pb.client_reply";
    ReplyStatus status = ReplyStatus::not_primary;
    kv::KvResult result;
    NodeId primary_hint = no_node;
    std::string describe() const;
};

// Primary -> backup: apply operation number `index` of epoch `epoch`.
struct Replicate {
    static constexpr std::string_view type_name = "pb.replicate";
    uint64_t epoch = 0;
    uint64_t index = 0;
    kv::KvOp op;
    uint64_t client = 0;
    uint64_t sequence = 0;
    std::string describe() const;
};

struct ReplicateAck {
    static constexpr std::string_view type_name = "pb.replicate_ack";
    uint64_t epoch = 0;   // the backup's epoch
    uint64_t index = 0;
    bool ok = false;      // false: refused (an older epoch: fenced) or a gap (needs state)
    bool need_state = false;
    std::string describe() const;
};

// Primary -> backups (naive mode's failure detector and state-transfer trigger).
struct Heartbeat {
    static constexpr std::string_view type_name = "pb.heartbeat";
    uint64_t epoch = 0;
    uint64_t applied = 0;
    std::string describe() const;
};

struct HeartbeatReply {
    static constexpr std::string_view type_name = "pb.heartbeat_reply";
    uint64_t epoch = 0;
    uint64_t applied = 0;
    bool need_state = false;
    std::string describe() const;
};

// The primary's whole state, to a backup that is new, behind, or (naive) a deposed primary.
struct StateTransfer {
    static constexpr std::string_view type_name = "pb.state_transfer";
    uint64_t epoch = 0;
    uint64_t applied = 0;
    kv::Store store;
    std::string describe() const;
};

struct StateAck {
    static constexpr std::string_view type_name = "pb.state_ack";
    uint64_t epoch = 0;
    uint64_t applied = 0;
    std::string describe() const;
};

// Fenced mode: replica -> view service, every heartbeat interval.
struct Ping {
    static constexpr std::string_view type_name = "pb.ping";
    uint64_t epoch_known = 0;        // 0: just (re)started, holds no state
    uint64_t initialized_epoch = 0;  // the epoch for which this replica holds up-to-date state
    uint64_t acked_epoch = 0;        // primary only: the view it has fully set up
    uint64_t incarnation = 0;        // how many times this replica has restarted (its boot count)
    std::string describe() const;
};

struct View {
    uint64_t epoch = 0;
    NodeId primary = no_node;
    std::vector<NodeId> backups;
    bool operator==(const View&) const = default;
};

struct ViewReply {
    static constexpr std::string_view type_name = "pb.view";
    View view;
    std::string describe() const;
};

}  // namespace faultline::primary_backup
