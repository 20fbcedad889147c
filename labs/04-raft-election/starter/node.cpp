// The Raft labs' server, the given part: start and recovery, dispatch, persistence, timers,
// applying committed entries, and what the trace is told. You need not change this file.
#include "node.h"

#include "storage.h"

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

namespace {
constexpr uint64_t election_tag = 1;
constexpr uint64_t heartbeat_tag = 2;
}  // namespace

std::string_view to_string(Role r) {
    switch (r) {
        case Role::follower: return "follower";
        case Role::candidate: return "candidate";
        case Role::leader: return "leader";
    }
    return "?";
}

void RaftNode::on_start(Context& ctx) {
    for (const std::string& name : server_names_) servers_.push_back(*ctx.find_node(name));
    Recovered r = recover(ctx.disk());
    for (const std::string& line : r.damage) ctx.log(line);
    current_term_ = r.term;
    voted_for_ = r.voted_for;
    log_ = std::move(r.log);
    on_disk_ = log_;
    reset_election_timer(ctx);
    report(ctx);
}

void RaftNode::on_message(Context& ctx, const Envelope& m) {
    if (const auto* r = m.as<RequestVote>()) on_request_vote(ctx, m, *r);
    else if (const auto* v = m.as<VoteReply>()) on_vote_reply(ctx, m, *v);
    else if (const auto* a = m.as<AppendEntries>()) on_append_entries(ctx, m, *a);
    else if (const auto* ar = m.as<AppendReply>()) on_append_reply(ctx, m, *ar);
    else if (const auto* c = m.as<ClientRequest>()) on_client_request(ctx, m, *c);
    report(ctx);
}

void RaftNode::on_timer(Context& ctx, TimerId timer, uint64_t tag) {
    if (tag == election_tag && timer == election_timer_) {
        election_timer_ = 0;
        on_election_timeout(ctx);
    } else if (tag == heartbeat_tag && timer == heartbeat_timer_) {
        heartbeat_timer_ = 0;
        on_heartbeat_timeout(ctx);
    }
    report(ctx);
}

void RaftNode::persist(Context& ctx) {
    Disk& disk = ctx.disk();
    write_hard_state(disk, current_term_, voted_for_);
    // Only what changed: the first index where the log and the disk differ, and on from there.
    std::size_t same = 0;
    while (same < log_.size() && same < on_disk_.size() && log_[same] == on_disk_[same]) ++same;
    for (std::size_t i = same; i < log_.size(); ++i) write_entry(disk, i + 1, log_[i]);
    if (log_.size() != on_disk_.size()) write_log_size(disk, log_.size());
    on_disk_ = log_;
    ctx.sync();
}

void RaftNode::reset_election_timer(Context& ctx) {
    if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
    const int64_t low = settings_.election_timeout_min.ns();
    const int64_t high = std::max(low, settings_.election_timeout_max.ns());
    election_timer_ = ctx.set_timer(Duration::nanoseconds(ctx.rng().uniform_int(low, high)), election_tag);
}

void RaftNode::reset_heartbeat_timer(Context& ctx) {
    if (heartbeat_timer_ != 0) ctx.cancel_timer(heartbeat_timer_);
    heartbeat_timer_ = ctx.set_timer(settings_.heartbeat_interval, heartbeat_tag);
}

void RaftNode::apply_committed(Context& ctx) {
    while (last_applied_ < std::min<uint64_t>(commit_index_, log_.size())) {
        ++last_applied_;
        const LogEntry& e = log_[last_applied_ - 1];
        kv::KvResult result = store_.apply(e.op, e.client, e.sequence);
        auto waiting = waiting_.find(last_applied_);
        if (waiting == waiting_.end()) continue;
        const auto* request = waiting->second.as<ClientRequest>();
        // The entry at this index may not be the one the client asked for (this leader lost its
        // term, and another leader's entry took the index): then the client hears nothing and
        // retries, and its session makes the retry apply once.
        if (role_ == Role::leader && request && request->client == e.client && request->sequence == e.sequence)
            ctx.reply(waiting->second, ClientReply{true, ctx.id(), result});
        waiting_.erase(waiting);
    }
}

std::vector<NodeId> RaftNode::peers(const Context& ctx) const {
    std::vector<NodeId> out;
    for (NodeId s : servers_)
        if (s != ctx.id()) out.push_back(s);
    return out;
}

void RaftNode::report(Context& ctx) {
    // Term first: the role that follows is read as a role in that term.
    if (!reported_.any || current_term_ != reported_.term) ctx.annotate("term", std::to_string(current_term_));
    if (!reported_.any || role_ != reported_.role) ctx.annotate("role", to_string(role_));
    if (voted_for_ != no_node && (!reported_.any || voted_for_ != reported_.voted_for || current_term_ != reported_.term))
        ctx.annotate("vote", fmt::format("{} {}", current_term_, ctx.node_name(voted_for_)));
    if (commit_index_ != reported_.commit_index) ctx.annotate("commit_index", std::to_string(commit_index_));
    reported_ = {role_, current_term_, voted_for_, commit_index_, true};
}

std::string RaftNode::describe_state() const {
    return fmt::format("{} term {} voted {} log {} commit {} applied {}", to_string(role_), current_term_,
                       voted_for_ == no_node ? std::string("-") : std::to_string(voted_for_), log_.size(),
                       commit_index_, last_applied_);
}

ProcessFactory raft_node(Settings settings, std::vector<std::string> servers) {
    return [settings, servers] { return std::make_unique<RaftNode>(settings, servers); };
}

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
