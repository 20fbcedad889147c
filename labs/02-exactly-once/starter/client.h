// Lab 02's client: what each client node of a run uses to reach the server. You need not change
// this file, but read it: the server's job depends on what the client does.
//
// An operation gets the client's next sequence number and is sent to the server. When no reply
// comes within the attempt timeout (the request or the reply was lost, or is late), the client
// sends the same request again, with the same sequence number, up to attempts_max times. So the
// server can receive one operation many times: every retry, and every copy the network
// duplicates, each arriving whenever the network delivers it (even after the client has moved
// on to its next operation). When no attempt is answered the operation ends `info`: it may or
// may not have happened.
#pragma once

#include "messages.h"
#include "sim/node.h"

namespace faultline::lab02 {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::string& server, Duration attempt_timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    NodeId server_;
    Duration attempt_timeout_;
    int attempts_max_;
    uint64_t client_id_ = 0;
    uint64_t sequence_ = 0;
};

}  // namespace faultline::lab02
