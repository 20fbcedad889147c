// RaftClient: a blocking key-value client for fibers (clients, workloads), with retries that
// are exactly-once thanks to Raft client sessions (thesis §6.3).
//
// How it works
// - The client has a session id drawn from its node's rng stream, and numbers its commands
//   1, 2, 3, ...; one command is outstanding at a time. A retry reuses the command's number, so
//   the cluster applies it at most once however often it is sent (or the network duplicates it).
// - It sends to the server it believes leads; a not_leader answer redirects it (thesis §6.2), a
//   timeout or an unknown leader makes it try the next server, after retry_backoff_ms when no
//   leader is known. At most attempts_max calls per command (CONTRIBUTING.md rule 8).
// - Every command is recorded in the run's client history: client_invoke before the first send,
//   client_complete with ok (applied; its result is the answer, e.g. "false" for a cas that did
//   not swap), fail (definitely not applied: the leader rejected it before appending), or info
//   (gave up: it may or may not have been applied, possibly even later).
//
// Use only inside a fiber (Context::spawn, fiber_process): calls block the fiber.
#pragma once

#include "protocols/raft/command.h"
#include "protocols/raft/messages.h"

#include "sim/node.h"

#include <string>
#include <vector>

namespace faultline::raft {

struct ClientOptions {
    std::vector<std::string> servers{};  // names of the Raft servers
    int64_t call_timeout_ms = 500;
    int64_t retry_backoff_ms = 50;
    int attempts_max = 40;
    // Record each command as client_invoke / client_complete in the trace. Off when a workload
    // (protocols/kv/workload.h) drives the client: it records every operation itself.
    bool trace_operations = true;
};

struct ClientResult {
    ClientOutcome outcome = ClientOutcome::info;
    CommandResult result;  // meaningful when outcome is ok
    NodeId served_by = no_node;  // ok or fail: the server that answered
    bool ok() const { return outcome == ClientOutcome::ok; }
};

class RaftClient {
public:
    RaftClient(Context& ctx, ClientOptions options);

    ClientResult get(std::string key);
    ClientResult put(std::string key, std::string value);
    ClientResult append(std::string key, std::string value);
    ClientResult cas(std::string key, std::string expected, std::string value);
    // Runs any command; its session fields are filled in here.
    ClientResult execute(Command command);

    uint64_t client_id() const { return client_id_; }
    uint64_t last_sequence() const { return sequence_; }

private:
    NodeId pick_server();

    Context& ctx_;
    ClientOptions options_;
    std::vector<NodeId> servers_;
    NodeId leader_ = no_node;
    std::size_t next_server_ = 0;
    uint64_t client_id_ = 0;
    uint64_t sequence_ = 0;
};

}  // namespace faultline::raft
