// Client requests (thesis §6.2, §6.3) and applying committed entries to the state machine.
#include "protocols/raft/raft_node.h"

namespace faultline::raft {

void RaftNode::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& request) {
    const Command& command = request.command;
    Waiter waiter{m.from, m.call_id, command.client_id, command.sequence};
    if (role_ != Role::leader) {
        // Thesis §6.2: a follower redirects to the leader it knows of (none during elections).
        return reply_to_client(ctx, waiter, ClientReply{ClientStatus::not_leader, leader_hint_, {}});
    }
    if (options_.lease_reads && command.operation == Operation::get && holds_read_lease(ctx)) {
        // Thesis §6.4.1: answer from the applied state; every acknowledged write is applied
        // (commit_index covers an entry of our term, and we apply as we commit).
        FL_ASSERT(last_applied_ == commit_index_, "a leader applies what it commits at once");
        ++lease_reads_served_;
        ctx.logf("raft: lease_read: get {} answered from the lease at commit_index {}", command.key, commit_index_);
        return reply_to_client(ctx, waiter, ClientReply{ClientStatus::ok, self(), state_machine_.read(command.key)});
    }
    bool malformed = command.operation == Operation::noop || command.client_id == 0 || command.sequence == 0;
    bool too_large = command.key.size() > options_.key_bytes_max || command.value.size() > options_.value_bytes_max ||
                     command.expected.size() > options_.value_bytes_max;
    if (malformed || too_large) {
        // Never appended, so definitely not applied: the client may report `fail`.
        return reply_to_client(ctx, waiter, ClientReply{ClientStatus::rejected, self(), {}});
    }
    uint64_t last_sequence = state_machine_.last_sequence(command.client_id);
    if (command.sequence < last_sequence) {
        // A stale duplicate: the client has moved on and waits for nobody's answer to this one.
        return;
    }
    if (command.sequence == last_sequence) {
        // Already applied (thesis §6.3): answer from the session, without a second application.
        auto result = state_machine_.session_result(command.client_id, command.sequence);
        FL_ASSERT(result.has_value(), "the session holds its last result");
        return reply_to_client(ctx, waiter, ClientReply{ClientStatus::ok, self(), *result});
    }
    // Already in our log this term and not yet applied (a retry or a network duplicate): wait
    // for that entry rather than appending a second copy.
    for (auto& [index, list] : waiters_) {
        const Command& logged = entry_at(index).command;
        if (logged.client_id == command.client_id && logged.sequence == command.sequence) {
            FL_ASSERT(logged == command, "client {} reused sequence {} for a different command", command.client_id,
                      command.sequence);
            if (waiter_count_ >= options_.pending_requests_max) break;
            list.push_back(waiter);
            ++waiter_count_;
            return;
        }
    }
    if (waiter_count_ >= options_.pending_requests_max) {
        return reply_to_client(ctx, waiter, ClientReply{ClientStatus::retry, self(), {}});
    }
    uint64_t index = append_entry(ctx, LogEntry{term_, command});
    waiters_[index].push_back(waiter);
    ++waiter_count_;
    FL_ASSERT(waiter_count_ <= options_.pending_requests_max, "pending client requests over the limit");
    broadcast_append_entries(ctx);  // persists the entry first
    maybe_commit(ctx);              // a one-server cluster commits at once
}

void RaftNode::apply_committed(Context& ctx) {
    FL_ASSERT(commit_index_ <= last_log_index(), "commit_index {} beyond the log {}", commit_index_, last_log_index());
    FL_ASSERT(last_applied_ <= commit_index_, "applied {} beyond commit_index {}", last_applied_, commit_index_);
    while (last_applied_ < commit_index_) {
        ++last_applied_;
        const LogEntry& entry = entry_at(last_applied_);
        const Command& command = entry.command;
        if (command.client_id != 0 && command.sequence <= state_machine_.last_sequence(command.client_id))
            ctx.logf("raft: duplicate: client {} seq {} at index {} is not applied again", command.client_id,
                     command.sequence, last_applied_);
        CommandResult result = state_machine_.apply(command);
        auto it = waiters_.find(last_applied_);
        if (it == waiters_.end()) continue;
        FL_ASSERT(role_ == Role::leader, "only a leader holds waiting clients");
        // Waiters are attached only to entries this leader appended in its own term, and a
        // leader's entries are never overwritten, so the entry is the one they wait for.
        for (const Waiter& w : it->second) {
            FL_ASSERT(entry.command.client_id == w.client_id && entry.command.sequence == w.sequence,
                      "waiter for client {} seq {} on a different entry", w.client_id, w.sequence);
            // Buggify: the write committed, its answer is lost; the client retries or gives up.
            if (ctx.buggify("raft.drop_commit_reply", 0.1)) continue;
            reply_to_client(ctx, w, ClientReply{ClientStatus::ok, self(), result});
        }
        waiter_count_ -= it->second.size();
        waiters_.erase(it);
    }
    maybe_compact(ctx);
}

void RaftNode::release_waiters(Context& ctx) {
    FL_ASSERT(role_ != Role::leader, "a leader keeps its waiting clients");
    std::size_t released = 0;
    for (const auto& [index, list] : waiters_)  // index order: oldest requests hear first
        for (const Waiter& w : list) {
            reply_to_client(ctx, w, ClientReply{ClientStatus::retry, leader_hint_, {}});
            ++released;
        }
    FL_ASSERT(released == waiter_count_, "waiter count {} out of step with {} waiters", waiter_count_, released);
    waiters_.clear();
    waiter_count_ = 0;
}

void RaftNode::reply_to_client(Context& ctx, const Waiter& waiter, ClientReply reply) {
    FL_ASSERT(waiter.client != no_node, "a waiter knows its client");
    FL_ASSERT(reply.status != ClientStatus::ok || role_ == Role::leader, "only a leader answers ok");
    // Answer the client's call (Context::call) by echoing its call id, as Context::reply does.
    ctx.send_payload(waiter.client, Payload::make(std::move(reply)), 0, waiter.call_id);
}

}  // namespace faultline::raft
