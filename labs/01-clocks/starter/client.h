// Lab 01's client. You need not change this file, but read it.
//
// Each operation goes to a replica picked at random (another one on each retry). The client keeps,
// per key, the context the last reply on that key carried, and sends it with its next request on
// the key: that is how a replica learns what the client has seen. A get that returns several
// values (siblings) is recorded with all of them.
#pragma once

#include "messages.h"
#include "sim/node.h"

#include <map>

namespace faultline::lab01 {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::vector<std::string>& servers, Duration attempt_timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    std::vector<NodeId> servers_;
    Duration attempt_timeout_;
    int attempts_max_;
    std::map<std::string, Version> context_;  // key -> the version the last reply on it carried
};

}  // namespace faultline::lab01
