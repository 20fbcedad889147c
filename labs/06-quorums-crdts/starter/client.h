// Lab 06's client. You need not change this file, but read it.
//
// Each operation goes to a server picked at random, which coordinates it. The client keeps, per
// key, the context the last reply on the key carried and sends it with its next put of the key:
// the put then supersedes what the client has seen. A get that returns several values (siblings)
// is recorded with all of them. A store's get or put is retried at another server when no answer
// comes in time; a counter's or set's update is sent once (a retry could apply it twice) and ends
// unknown ("info") when no answer comes.
#pragma once

#include "messages.h"
#include "node.h"

#include <map>

namespace faultline::lab06 {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, Kind kind, const std::vector<std::string>& servers, Duration attempt_timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    Kind kind_;
    std::vector<NodeId> servers_;
    Duration attempt_timeout_;
    int attempts_max_;
    std::map<std::string, VersionVector> context_;  // key -> the context the last reply on it carried
};

}  // namespace faultline::lab06
