// The Dynamo-style store's KvClient (a "partition-aware" client: it knows the ring).
//
// An operation goes to a coordinator in the key's preference list, starting at a random one of
// its first N servers and moving along the ring after each timeout, for attempts_max attempts.
// A coordinator that timed out is suspected for `suspect` and tried last until then, as a
// client-side load balancer would: under a partition the client soon talks only to servers it
// can reach, instead of spending an attempt on the far side of the cut on every operation.
// A put that timed out may have been stored, so a put that gets no answer ends `info`; a get
// ends `fail`. The client keeps, per key, the merged version vector of what it last read or
// wrote (its context) and sends it with the next put of that key, so the put supersedes the
// siblings it saw. A get that returns siblings reports them all; its value is the client's merge,
// the greatest of them (any deterministic choice would do: registers cannot merge values).
#pragma once

#include "protocols/dynamo/messages.h"
#include "protocols/dynamo/ring.h"
#include "sim/node.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace faultline::dynamo {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, std::shared_ptr<const Ring> ring, std::size_t n, Duration timeout, int attempts_max, Duration suspect);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    std::vector<NodeId> coordinators(const std::string& key);

    Context& ctx_;
    std::shared_ptr<const Ring> ring_;
    std::vector<NodeId> ids_;  // by ring index
    std::size_t n_;
    Duration timeout_;
    int attempts_max_;
    Duration suspect_;
    std::map<std::string, VersionVector> context_;
    std::map<NodeId, Instant> suspect_until_;  // local time
};

}  // namespace faultline::dynamo
