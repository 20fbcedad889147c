// Lab 02's messages: a client's request and the server's reply. You need not change this file.
//
// A request carries the operation and its identity: which client sent it, and that client's
// sequence number for it. A client numbers its operations 1, 2, 3, ... and sends every retry of
// one operation with the same number, so the server can tell a retry (or a duplicate the
// network made) from a new operation.
#pragma once

#include "protocols/kv/kv_client.h"

#include <string>

namespace faultline::lab02 {

struct Request {
    static constexpr std::string_view type_name = "lab02.request";
    kv::KvOp op;
    uint64_t client = 0;    // the client's id, the same for all its requests
    uint64_t sequence = 0;  // 1, 2, 3, ...: one per operation, the same for its retries
    std::string describe() const { return op.describe() + " #" + std::to_string(sequence); }
};

struct Reply {
    static constexpr std::string_view type_name = "lab02.reply";
    kv::KvResult result;
    std::string describe() const {
        if (result.outcome != ClientOutcome::ok) return "refused";
        if (result.found) return "ok \"" + result.value + "\"";
        return result.swapped ? "ok swapped" : "ok";
    }
};

}  // namespace faultline::lab02
