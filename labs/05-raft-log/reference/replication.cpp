// Lab 05's reference solution: log replication (§5.3), the commit rule (§5.4.2, Figure 8), the
// up-to-date check of votes (§5.4.1) and a key-value store served through the log.
// settings_.mistake plants one of lab.toml's typical partial solutions, for the grader's tests.
#include "node.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {
bool planted(const Settings& s, std::string_view mistake) { return s.mistake == mistake; }
constexpr std::size_t entries_per_message_max = 64;
}  // namespace

void RaftNode::on_heartbeat_timeout(Context& ctx) {
    if (role_ != Role::leader) return;
    for (NodeId peer : peers(ctx)) send_append_entries(ctx, peer);
    reset_heartbeat_timer(ctx);
}

void RaftNode::send_append_entries(Context& ctx, NodeId peer) {
    const uint64_t next = std::clamp<uint64_t>(next_index_[peer], 1, last_log_index() + 1);
    AppendEntries a{current_term_, next - 1, term_at(next - 1), {}, commit_index_};
    for (uint64_t i = next; i <= last_log_index() && a.entries.size() < entries_per_message_max; ++i)
        a.entries.push_back(log_[i - 1]);
    ctx.send(peer, std::move(a));
}

void RaftNode::on_append_entries(Context& ctx, const Envelope& m, const AppendEntries& a) {
    const bool durable = !planted(settings_, "entries_not_persisted");
    if (a.term < current_term_) {
        ctx.send(m.from, AppendReply{current_term_, false, 0});
        return;
    }
    if (a.term > current_term_ || role_ != Role::follower) become_follower(ctx, a.term);
    leader_ = m.from;
    reset_election_timer(ctx);
    if (a.prev_log_index > last_log_index() || term_at(a.prev_log_index) != a.prev_log_term) {
        persist(ctx);  // the term may be new
        ctx.send(m.from, AppendReply{current_term_, false, 0});
        return;
    }
    // Append what is new, cutting the log only at the first entry that conflicts: a late copy of
    // an older AppendEntries must not remove entries this server has already acknowledged.
    uint64_t index = a.prev_log_index;
    for (const LogEntry& e : a.entries) {
        ++index;
        if (index <= last_log_index() && term_at(index) == e.term) continue;
        log_.resize(index - 1);
        log_.push_back(e);
    }
    const uint64_t match = a.prev_log_index + a.entries.size();
    if (durable) persist(ctx);
    else on_disk_ = log_;  // the mistake: the log is never written (persist() would write it)
    commit_index_ = std::max(commit_index_, std::min(a.leader_commit, match));
    apply_committed(ctx);
    ctx.send(m.from, AppendReply{current_term_, true, match});
}

void RaftNode::on_append_reply(Context& ctx, const Envelope& m, const AppendReply& r) {
    if (r.term > current_term_) {
        become_follower(ctx, r.term);
        persist(ctx);
        return;
    }
    if (role_ != Role::leader || r.term != current_term_) return;
    const NodeId peer = m.from;
    if (r.success) {
        match_index_[peer] = std::max(match_index_[peer], r.match_index);
        next_index_[peer] = std::max(next_index_[peer], r.match_index + 1);
        advance_commit_index(ctx);
        if (next_index_[peer] <= last_log_index() && r.match_index + 1 == next_index_[peer]) send_append_entries(ctx, peer);
    } else {
        next_index_[peer] = std::max<uint64_t>(1, std::min(next_index_[peer], last_log_index() + 1) - 1);
        send_append_entries(ctx, peer);
    }
}

void RaftNode::advance_commit_index(Context& ctx) {
    for (uint64_t n = last_log_index(); n > commit_index_; --n) {
        // Figure 8: an entry of an earlier term is not committed by counting its replicas; it
        // commits with the first entry of this term stored on a majority.
        if (term_at(n) != current_term_ && !planted(settings_, "commit_old_term_entries")) break;
        std::size_t holders = 1;  // this leader
        for (const auto& [peer, match] : match_index_) holders += match >= n;
        if (holders >= majority()) {
            commit_index_ = n;
            break;
        }
    }
    apply_committed(ctx);
}

void RaftNode::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    if (role_ != Role::leader) {
        ctx.reply(m, ClientReply{false, leader_, {}});
        return;
    }
    if (r.op.f == kv::Function::get && planted(settings_, "reads_not_logged")) {
        apply_committed(ctx);
        ctx.reply(m, ClientReply{true, ctx.id(), store_.apply(r.op, r.client, r.sequence)});
        return;
    }
    log_.push_back(LogEntry{current_term_, r.op, r.client, r.sequence});
    waiting_[last_log_index()] = m;
    persist(ctx);
    for (NodeId peer : peers(ctx)) send_append_entries(ctx, peer);
    advance_commit_index(ctx);  // a cluster of one commits at once
}

bool RaftNode::log_is_up_to_date(uint64_t last_index, uint64_t last_term) const {
    if (planted(settings_, "no_log_check")) return true;
    return last_term != last_log_term() ? last_term > last_log_term() : last_index >= last_log_index();
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
