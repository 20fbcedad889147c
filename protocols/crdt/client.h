// The CRDT store's KvClient: every operation goes to one server, which answers from its own
// state (no quorum: any server will do).
//
// The client picks a random server when it is made and stays with it; after a timeout it moves
// to the next server (in the servers' order) for what follows. A get that times out is retried
// there, up to attempts_max attempts, then fails (a read changes nothing). An update is sent
// once: when it times out it may still be applied (the request may be in flight, or the reply
// lost), so it ends `info`; sending it to a second server could apply it twice, since an
// increment is not idempotent across replicas (each server applies a request once, by its
// (client, seq) name, but servers do not share those names).
#pragma once

#include "protocols/crdt/messages.h"
#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::crdt {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::vector<std::string>& servers, Duration timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    NodeId server() const { return servers_[current_]; }
    void next_server() { current_ = (current_ + 1) % servers_.size(); }

    Context& ctx_;
    std::vector<NodeId> servers_;
    std::size_t current_ = 0;
    std::string name_;  // "<client node>.<incarnation>": requests of a restarted client are new
    uint64_t seq_ = 0;
    Duration timeout_;
    int attempts_max_;
};

}  // namespace faultline::crdt
