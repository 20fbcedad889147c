#include "protocols/raft/client.h"

#include <algorithm>

namespace faultline::raft {

RaftClient::RaftClient(Context& ctx, ClientOptions options) : ctx_(ctx), options_(std::move(options)) {
    FL_ASSERT(!options_.servers.empty(), "a Raft client needs server names");
    FL_ASSERT(options_.attempts_max > 0, "attempts_max must be positive");
    for (const std::string& name : options_.servers) {
        std::optional<NodeId> id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "server {} is not a node of this world", name);
        servers_.push_back(*id);
    }
    // A fresh session per client object; 0 is reserved for the leader's no-op.
    do {
        client_id_ = ctx.rng().next_u64();
    } while (client_id_ == 0);
    // Start at a different server per client, so clients do not all pile onto servers_[0].
    next_server_ = static_cast<std::size_t>(ctx.rng().below(servers_.size()));
}

namespace {
Command make_command(Operation operation, std::string key, std::string value = {}, std::string expected = {}) {
    Command c;
    c.operation = operation;
    c.key = std::move(key);
    c.value = std::move(value);
    c.expected = std::move(expected);
    return c;
}
}  // namespace

ClientResult RaftClient::get(std::string key) { return execute(make_command(Operation::get, std::move(key))); }
ClientResult RaftClient::put(std::string key, std::string value) {
    return execute(make_command(Operation::put, std::move(key), std::move(value)));
}
ClientResult RaftClient::append(std::string key, std::string value) {
    return execute(make_command(Operation::append, std::move(key), std::move(value)));
}
ClientResult RaftClient::cas(std::string key, std::string expected, std::string value) {
    return execute(make_command(Operation::cas, std::move(key), std::move(value), std::move(expected)));
}

NodeId RaftClient::pick_server() {
    if (leader_ != no_node) return leader_;
    NodeId server = servers_[next_server_ % servers_.size()];
    next_server_ = (next_server_ + 1) % servers_.size();
    return server;
}

ClientResult RaftClient::execute(Command command) {
    FL_ASSERT(ctx_.in_fiber(), "RaftClient blocks: call it from a fiber");
    FL_ASSERT(command.operation != Operation::noop, "clients do not send no-ops");
    command.client_id = client_id_;
    command.sequence = ++sequence_;
    const bool trace = options_.trace_operations;
    uint64_t operation = trace ? ctx_.client_invoke(command.describe()) : 0;
    for (int attempt = 0; attempt < options_.attempts_max; ++attempt) {
        NodeId server = pick_server();
        // Buggify (client layer): an impatient client gives up on this attempt after 1 ms and
        // sends the same request again to the same server at once, while the first copy is
        // still on its way: the leader sees it twice and must apply it once (client sessions).
        const bool impatient = ctx_.buggify("raft.client_impatient_retry", 0.1);
        const Duration timeout = impatient ? milliseconds(1) : milliseconds(options_.call_timeout_ms);
        std::optional<Envelope> reply = ctx_.call(server, ClientRequest{command}, timeout);
        if (!reply) {
            if (!impatient) leader_ = no_node;  // crashed, partitioned or deposed: try someone else
            continue;
        }
        const ClientReply* answer = reply->as<ClientReply>();
        FL_ASSERT(answer != nullptr, "a Raft server answered with {}", reply->payload.type_name());
        switch (answer->status) {
            case ClientStatus::ok:
                if (trace) ctx_.client_complete(operation, ClientOutcome::ok, answer->result.describe(command.operation));
                return ClientResult{ClientOutcome::ok, answer->result, server};
            case ClientStatus::rejected:
                if (trace) ctx_.client_complete(operation, ClientOutcome::fail, "rejected");
                return ClientResult{ClientOutcome::fail, {}, server};
            case ClientStatus::not_leader:
            case ClientStatus::retry: {
                bool member = std::find(servers_.begin(), servers_.end(), answer->leader_hint) != servers_.end();
                bool fresh_hint = member && answer->leader_hint != server;
                leader_ = fresh_hint ? answer->leader_hint : no_node;
                // Follow a fresh hint at once; otherwise give the election time to finish.
                if (!fresh_hint) ctx_.sleep(milliseconds(options_.retry_backoff_ms));
                break;
            }
        }
    }
    // Any attempt may have reached a leader and may still commit: the outcome is unknown.
    if (trace) ctx_.client_complete(operation, ClientOutcome::info, "timeout");
    return ClientResult{ClientOutcome::info, {}};
}

}  // namespace faultline::raft
