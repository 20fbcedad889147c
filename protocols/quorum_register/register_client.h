// RegisterClient: the quorum register's KvClient, for client fibers.
//
// Each operation goes to a server drawn from the client's own random stream, in one attempt: a
// server that does not answer within the timeout may still have stored a put on some servers,
// so the operation completes `info` (unknown) rather than being sent again elsewhere. (A put
// retried under a new version could be seen, overwritten, and then seen again: not one write.)
#pragma once

#include "protocols/quorum_register/messages.h"
#include "sim/node.h"

#include <vector>

namespace faultline::quorum_register {

class RegisterClient final : public kv::KvClient {
public:
    RegisterClient(Context& ctx, const std::vector<std::string>& servers, Duration timeout);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    std::vector<NodeId> servers_;
    Duration timeout_;
};

}  // namespace faultline::quorum_register
