// Envelope: a message as node code receives it.
//
// Node code sees who sent it, the body, and the request/reply correlation used by fiber calls.
// It never sees true send or delivery times: those belong to the kernel and the trace.
#pragma once

#include "sim/ids.h"
#include "sim/payload.h"

namespace faultline {

struct Envelope {
    MessageId id = 0;
    NodeId from = no_node;
    NodeId to = no_node;
    // Nonzero when the sender is a fiber blocked in Context::call waiting for a reply.
    uint64_t call_id = 0;
    // Nonzero when this message answers the call with that id (Context::reply sets it).
    uint64_t in_reply_to = 0;
    Payload payload;

    template <MessageType T>
    bool is() const { return payload.is<T>(); }
    template <MessageType T>
    const T* as() const { return payload.as<T>(); }
    template <MessageType T>
    const T& get() const { return payload.get<T>(); }
};

}  // namespace faultline
