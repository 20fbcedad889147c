// Lab 05's client. You need not change this file.
//
// It sends each operation to the server it believes leads; a server that is not the leader
// answers "not leader" with the leader it knows of, and the client tries that one (or the next
// server when none is known, or when an attempt goes unanswered). Every retry of an operation
// carries the same (client, sequence), so the store applies it once however many copies reach
// the log. When no attempt succeeds the operation ends `info`: it may or may not have happened.
#pragma once

#include "messages.h"

#include "protocols/plugin/protocol_entry.h"

#include <string>
#include <vector>

namespace faultline::raft_lab {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::vector<std::string>& servers, Duration attempt_timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    std::vector<NodeId> servers_;
    Duration attempt_timeout_;
    int attempts_max_;
    std::size_t next_ = 0;       // the server to try next (an index into servers_)
    NodeId leader_ = no_node;    // the leader as far as this client knows
    uint64_t client_id_ = 0;
    uint64_t sequence_ = 0;
};

// The plug-in's client factory (lab_entry.h's LabSpec::make_client).
std::unique_ptr<kv::KvClient> make_client(Context& ctx, const std::vector<std::string>& servers,
                                          const plugin::ClientSettings& settings);

}  // namespace faultline::raft_lab
