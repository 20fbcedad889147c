// Sections: [start and timers] [clients] [replication] [heartbeats and state transfer] [views].
#include "protocols/primary_backup/replica.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::primary_backup {

std::string_view to_string(Role r) {
    switch (r) {
        case Role::idle: return "idle";
        case Role::backup: return "backup";
        case Role::primary: return "primary";
    }
    return "?";
}

ProcessFactory replica(Options options) {
    return [options] { return std::make_unique<Replica>(options); };
}

// ============================================================================================
// [start and timers]
// ============================================================================================

void Replica::on_start(Context& ctx) {
    FL_ASSERT(!o_.replicas.empty(), "primary-backup needs replicas");
    for (const auto& name : o_.replicas) {
        auto id = ctx.find_node(name);
        FL_ASSERT(id.has_value(), "replica '{}' is not a node of this run", name);
        replicas_.push_back(*id);
    }
    if (!naive()) {
        auto vs = ctx.find_node(o_.view_service);
        FL_ASSERT(vs.has_value(), "fenced mode needs the view service node '{}'", o_.view_service);
        view_service_ = *vs;
    }
    last_heard_ = ctx.now();
    // Naive mode: the first replica starts as primary of epoch 1, the others as its backups. A
    // replica that restarts comes back empty, as a backup of nobody, and waits to be told.
    if (naive() && ctx.incarnation() == 0) {
        if (ctx.id() == replicas_.front()) {
            std::set<NodeId> others(replicas_.begin() + 1, replicas_.end());
            become_primary(ctx, 1, others);
        } else {
            become_backup(ctx, 1, replicas_.front());
        }
    }
    annotate(ctx);
    ctx.set_timer(o_.heartbeat_interval, tag_heartbeat);
}

void Replica::on_timer(Context& ctx, TimerId id, uint64_t tag) {
    if (tag == tag_heartbeat) {
        tick(ctx);
        ctx.set_timer(o_.heartbeat_interval, tag_heartbeat);
        return;
    }
    if (tag == tag_replicate_timeout && in_flight_ && in_flight_->timer == id) {
        in_flight_->timer = 0;
        if (naive()) {
            // Naive availability: whoever did not answer is presumed dead and dropped.
            for (NodeId b : in_flight_->waiting) {
                backups_.erase(b);
                ctx.logf("dropping silent backup {}", ctx.node_name(b));
            }
            in_flight_->waiting.clear();
            finish_in_flight(ctx);
        } else {
            // Fenced: the primary may not drop a backup on its own; send again and let the view
            // service change the view if the backup is really gone.
            for (NodeId b : in_flight_->waiting) send_replicate(ctx, b);
            in_flight_->timer = ctx.set_timer(o_.replicate_timeout, tag_replicate_timeout);
        }
    }
}

void Replica::tick(Context& ctx) {
    if (!naive()) {
        ctx.send(view_service_, Ping{ctx.incarnation() == 0 || epoch_ > 0 ? epoch_ : 0, initialized_epoch_,
                                     role_ == Role::primary ? acked_epoch_ : 0, ctx.incarnation()});
    }
    if (role_ == Role::primary) {
        for (NodeId r : replicas_) {
            if (r != ctx.id()) ctx.send(r, Heartbeat{epoch_, applied_});
        }
        return;
    }
    // Naive failure detector: no heartbeat for promote_after, and I promote myself. Nothing
    // stops two backups doing it at once, or a backup doing it while the primary is alive on
    // the other side of a partition.
    if (naive() && role_ == Role::backup && ctx.now() - last_heard_ > o_.promote_after) {
        std::set<NodeId> others;
        for (NodeId r : replicas_)
            if (r != ctx.id()) others.insert(r);
        ctx.logf("no heartbeat from the primary for {}: promoting myself", to_string(ctx.now() - last_heard_));
        become_primary(ctx, max_epoch_seen_ + 1, others);
    }
}

// ============================================================================================
// [clients]
// ============================================================================================

void Replica::on_message(Context& ctx, const Envelope& m) {
    if (auto* r = m.as<ClientRequest>()) return on_client_request(ctx, m, *r);
    if (auto* r = m.as<Replicate>()) return on_replicate(ctx, m, *r);
    if (auto* a = m.as<ReplicateAck>()) return on_replicate_ack(ctx, m, *a);
    if (auto* h = m.as<Heartbeat>()) return on_heartbeat(ctx, m, *h);
    if (auto* h = m.as<HeartbeatReply>()) return on_heartbeat_reply(ctx, m, *h);
    if (auto* s = m.as<StateTransfer>()) return on_state_transfer(ctx, m, *s);
    if (auto* a = m.as<StateAck>()) return on_state_ack(ctx, m, *a);
    if (auto* v = m.as<ViewReply>()) return on_view(ctx, v->view);
}

void Replica::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    if (role_ != Role::primary) {
        ctx.reply(m, ClientReply{ReplyStatus::not_primary, {}, primary_});
        return;
    }
    // A retry of something already applied gets its original answer, applied once. Fenced: only
    // once the view is set up (start_next answers it then), since "applied here" is not
    // "committed": this replica may have applied it as a backup of a view whose other members
    // never saw it (fenced seed 843: an append acknowledged from a new primary's memory, lost
    // when a backup without it took over).
    const kv::KvResult* done = naive() || ready_to_serve() ? store_.applied(r.client, r.sequence) : nullptr;
    if (done != nullptr) {
        ctx.reply(m, ClientReply{ReplyStatus::ok, *done, ctx.id()});
        return;
    }
    // Naive reads come straight from the primary's memory: fast, and stale under split brain.
    if (naive() && r.op.f == kv::Function::get) {
        kv::KvResult res = store_.apply(r.op, r.client, r.sequence);
        ctx.reply(m, ClientReply{ReplyStatus::ok, res, ctx.id()});
        return;
    }
    FL_ASSERT(queue_.size() < 100'000, "primary queue overflow");
    queue_.push_back(m);
    start_next(ctx);
}

// ============================================================================================
// [replication]
// ============================================================================================

bool Replica::ready_to_serve() const {
    // Fenced: not before every backup of the view holds the primary's state.
    return role_ == Role::primary && awaiting_state_.empty();
}

void Replica::start_next(Context& ctx) {
    if (in_flight_ || queue_.empty() || !ready_to_serve()) return;
    InFlight f;
    f.request = std::move(queue_.front());
    queue_.pop_front();
    f.body = f.request.get<ClientRequest>();
    if (const kv::KvResult* done = store_.applied(f.body.client, f.body.sequence)) {
        ctx.reply(f.request, ClientReply{ReplyStatus::ok, *done, ctx.id()});
        return start_next(ctx);
    }
    if (store_.superseded(f.body.client, f.body.sequence)) return start_next(ctx);  // its client moved on
    f.index = applied_ + 1;
    f.waiting = backups_;
    in_flight_ = std::move(f);
    for (NodeId b : in_flight_->waiting) send_replicate(ctx, b);
    if (in_flight_->waiting.empty()) return finish_in_flight(ctx);
    in_flight_->timer = ctx.set_timer(o_.replicate_timeout, tag_replicate_timeout);
}

void Replica::send_replicate(Context& ctx, NodeId to) {
    FL_ASSERT(in_flight_.has_value(), "replicating with nothing in flight");
    ctx.send(to, Replicate{epoch_, in_flight_->index, in_flight_->body.op, in_flight_->body.client,
                           in_flight_->body.sequence});
}

void Replica::finish_in_flight(Context& ctx) {
    FL_ASSERT(in_flight_.has_value(), "finishing with nothing in flight");
    FL_ASSERT(in_flight_->waiting.empty(), "finishing before every backup acknowledged");
    FL_ASSERT(in_flight_->index == applied_ + 1, "operation {} out of order (applied {})", in_flight_->index, applied_);
    if (in_flight_->timer != 0) ctx.cancel_timer(in_flight_->timer);
    kv::KvResult res = store_.apply(in_flight_->body.op, in_flight_->body.client, in_flight_->body.sequence);
    ++applied_;
    ctx.annotate("complete", fmt::format("{}:{}", epoch_, applied_));
    ctx.annotate("applied", std::to_string(applied_));
    ctx.reply(in_flight_->request, ClientReply{ReplyStatus::ok, res, ctx.id()});
    in_flight_.reset();
    start_next(ctx);
}

void Replica::on_replicate(Context& ctx, const Envelope& m, const Replicate& r) {
    max_epoch_seen_ = std::max(max_epoch_seen_, r.epoch);
    // Fencing: an operation from an older epoch's primary is refused, so that primary cannot
    // complete anything once a newer view exists.
    if (r.epoch < epoch_) {
        ctx.reply(m, ReplicateAck{epoch_, r.index, false, false});
        return;
    }
    if (!naive() && (r.epoch != epoch_ || role_ != Role::backup || primary_ != m.from)) {
        // Fenced: views come from the view service only. A replica that has not heard of this
        // view (it restarted, or is behind) must not join it on a peer's word: the sender may be
        // a deposed primary, and a freshly restarted replica knows of no newer epoch to refuse
        // it with (fenced seeds 33 and 34: a deposed primary completed writes through one).
        // Refused; the sender retries, and the view service brings this replica up to date.
        ctx.reply(m, ReplicateAck{epoch_, r.index, false, false});
        return;
    }
    if (r.epoch > epoch_ || role_ != Role::backup || primary_ != m.from) become_backup(ctx, r.epoch, m.from);
    last_heard_ = ctx.now();
    if (!naive() && initialized_epoch_ != epoch_) {
        // Fenced: a backup applies nothing in an epoch before it holds that epoch's state (an
        // index that happens to follow on from an older epoch's state proves nothing). Otherwise
        // the transfer that follows would overwrite what it applied (fenced seed 18: a lost
        // append).
        ctx.reply(m, ReplicateAck{epoch_, r.index, false, true});
        return;
    }
    if (r.index <= applied_) {  // a duplicate or a resend of something already applied
        ctx.reply(m, ReplicateAck{epoch_, r.index, true, false});
        return;
    }
    if (r.index > applied_ + 1) {  // a gap: this backup missed operations
        ctx.reply(m, ReplicateAck{epoch_, r.index, false, true});
        return;
    }
    store_.apply(r.op, r.client, r.sequence);
    ++applied_;
    ctx.annotate("applied", std::to_string(applied_));
    ctx.annotate("accept", fmt::format("{}:{}", epoch_, applied_));
    ctx.reply(m, ReplicateAck{epoch_, r.index, true, false});
    // Buggify: the backup crashes with its acknowledgement on the wire (it comes back empty).
    if (ctx.buggify("primary_backup.crash_after_ack", 0.02))
        ctx.crash_and_restart(milliseconds(ctx.rng().uniform_int(5, 40)));
}

void Replica::on_replicate_ack(Context& ctx, const Envelope& m, const ReplicateAck& a) {
    max_epoch_seen_ = std::max(max_epoch_seen_, a.epoch);
    if (role_ != Role::primary) return;
    if (a.epoch > epoch_) {
        // Someone is in a newer epoch than mine: I am no longer the primary.
        step_down(ctx);
        return;
    }
    if (!in_flight_ || a.index != in_flight_->index || !in_flight_->waiting.count(m.from)) return;
    if (!a.ok) {
        if (a.need_state) send_state(ctx, m.from);
        return;  // fenced: keep waiting; naive: the timeout drops it
    }
    in_flight_->waiting.erase(m.from);
    if (in_flight_->waiting.empty()) finish_in_flight(ctx);
}

// ============================================================================================
// [heartbeats and state transfer]
// ============================================================================================

void Replica::on_heartbeat(Context& ctx, const Envelope& m, const Heartbeat& h) {
    max_epoch_seen_ = std::max(max_epoch_seen_, h.epoch);
    if (!naive()) {
        if (role_ == Role::backup && m.from == primary_ && h.epoch == epoch_) {
            ctx.reply(m, HeartbeatReply{epoch_, applied_, initialized_epoch_ != epoch_});
        }
        return;
    }
    if (role_ == Role::primary) {
        // Two primaries meet (a healed split brain): the lower (epoch, id) gives way and takes
        // the other's state, losing whatever it acknowledged on its own.
        bool other_wins = h.epoch > epoch_ || (h.epoch == epoch_ && m.from > ctx.id());
        if (!other_wins) return;
        ctx.logf("primary {} of epoch {} outranks me: stepping down", ctx.node_name(m.from), h.epoch);
        become_backup(ctx, h.epoch, m.from);
        ctx.reply(m, HeartbeatReply{epoch_, applied_, true});
        return;
    }
    if (h.epoch < epoch_) return;
    if (primary_ != m.from || h.epoch != epoch_) become_backup(ctx, h.epoch, m.from);
    last_heard_ = ctx.now();
    ctx.reply(m, HeartbeatReply{epoch_, applied_, h.applied != applied_ || initialized_epoch_ != epoch_});
}

void Replica::on_heartbeat_reply(Context& ctx, const Envelope& m, const HeartbeatReply& h) {
    if (role_ != Role::primary || h.epoch != epoch_) return;
    if (naive() && !backups_.count(m.from)) {
        // A dropped backup is back: bring it up to date before replicating to it again.
        send_state(ctx, m.from);
        return;
    }
    if (h.need_state) {
        send_state(ctx, m.from);
    } else if (!naive() && awaiting_state_.count(m.from)) {
        // It holds this epoch's state (so the transfer arrived) but its StateAck was lost: the
        // heartbeat reply confirms it instead, or the view would never be set up.
        on_state_ack(ctx, m, StateAck{epoch_, h.applied});
    }
}

void Replica::send_state(Context& ctx, NodeId to) {
    FL_ASSERT(role_ == Role::primary, "only a primary transfers state");
    ctx.send(to, StateTransfer{epoch_, applied_, store_});
}

void Replica::on_state_transfer(Context& ctx, const Envelope& m, const StateTransfer& s) {
    if (s.epoch < epoch_) return;  // fencing: never accept an older epoch's state
    if (role_ == Role::primary && s.epoch == epoch_) return;
    // Fenced: only from the primary of the view this replica learned from the view service (see
    // on_replicate). The primary sends again when a heartbeat reply asks for state.
    if (!naive() && (s.epoch != epoch_ || role_ != Role::backup || primary_ != m.from)) return;
    if (!naive() && s.epoch == epoch_ && initialized_epoch_ == epoch_ && primary_ == m.from && s.applied < applied_) {
        // A delayed or duplicated transfer of this epoch: this backup has applied more since.
        // Installing it would forget acknowledged operations; confirm what it holds instead.
        ctx.reply(m, StateAck{epoch_, applied_});
        return;
    }
    if (role_ != Role::backup || primary_ != m.from || s.epoch != epoch_) become_backup(ctx, s.epoch, m.from);
    store_ = s.store;
    applied_ = s.applied;
    initialized_epoch_ = s.epoch;
    last_heard_ = ctx.now();
    annotate(ctx);
    ctx.annotate("accept", fmt::format("{}:{}", epoch_, applied_));
    ctx.reply(m, StateAck{epoch_, applied_});
}

void Replica::on_state_ack(Context& ctx, const Envelope& m, const StateAck& a) {
    if (role_ != Role::primary || a.epoch != epoch_) return;
    awaiting_state_.erase(m.from);
    if (naive()) backups_.insert(m.from);
    if (in_flight_ && in_flight_->waiting.count(m.from)) {
        if (a.applied >= in_flight_->index) {
            in_flight_->waiting.erase(m.from);
            if (in_flight_->waiting.empty()) return finish_in_flight(ctx);
        } else {
            send_replicate(ctx, m.from);
        }
    }
    start_next(ctx);
}

// ============================================================================================
// [views]
// ============================================================================================

void Replica::become_primary(Context& ctx, uint64_t epoch, std::set<NodeId> backups) {
    FL_ASSERT(epoch >= epoch_, "a primary for an older epoch {} (now {})", epoch, epoch_);
    role_ = Role::primary;
    epoch_ = epoch;
    max_epoch_seen_ = std::max(max_epoch_seen_, epoch);
    primary_ = ctx.id();
    backups_ = std::move(backups);
    initialized_epoch_ = epoch;
    awaiting_state_.clear();
    if (!naive()) {
        // Every backup of a new view gets the primary's whole state first; the view is set up
        // (acknowledged to the view service) once all of them confirm it.
        awaiting_state_ = backups_;
        for (NodeId b : backups_) send_state(ctx, b);
    }
    // Anything in flight from an older epoch must be replicated again in this one.
    // (Backups still awaiting state get it re-sent by on_state_ack.)
    if (in_flight_) {
        in_flight_->waiting = backups_;
        if (awaiting_state_.empty()) {
            for (NodeId b : in_flight_->waiting) send_replicate(ctx, b);
        }
        if (in_flight_->waiting.empty()) finish_in_flight(ctx);
    }
    annotate(ctx);
    for (NodeId r : replicas_)
        if (r != ctx.id()) ctx.send(r, Heartbeat{epoch_, applied_});
}

void Replica::become_backup(Context& ctx, uint64_t epoch, NodeId primary) {
    if (role_ == Role::primary) step_down(ctx);
    role_ = Role::backup;
    epoch_ = epoch;
    primary_ = primary;
    max_epoch_seen_ = std::max(max_epoch_seen_, epoch);
    last_heard_ = ctx.now();
    annotate(ctx);
}

void Replica::step_down(Context& ctx) {
    // Requests waiting here get no answer: their clients time out and retry elsewhere, and the
    // sessions make the retry safe. The in-flight one may or may not have been applied by the
    // backups: that is exactly an `info` outcome for its client.
    if (in_flight_ && in_flight_->timer != 0) ctx.cancel_timer(in_flight_->timer);
    in_flight_.reset();
    queue_.clear();
    backups_.clear();
    awaiting_state_.clear();
    role_ = Role::idle;
    annotate(ctx);
}

void Replica::on_view(Context& ctx, const View& v) {
    FL_ASSERT(!naive(), "naive replicas have no view service");
    if (v.epoch < epoch_) return;
    if (v.epoch == epoch_ && role_ != Role::idle) {
        if (role_ == Role::primary && v.primary == ctx.id() && awaiting_state_.empty()) acked_epoch_ = epoch_;
        return;
    }
    if (v.primary == ctx.id()) {
        // Promoted (or kept, with new backups). The view service promotes only a backup that
        // reported holding the current view's state; but this replica may have crashed and
        // restarted since that report, empty. Then it must refuse: serving would lose every
        // acknowledged write. The view stays unacknowledged and the system unavailable (the
        // known limit of a single view service, as in MIT 6.824's design) but safe.
        if (v.epoch > 1 && initialized_epoch_ == 0 && role_ != Role::primary) {
            ctx.logf("promoted to primary of epoch {} without state: refusing", v.epoch);
            epoch_ = v.epoch;
            role_ = Role::idle;
            annotate(ctx);
            return;
        }
        become_primary(ctx, v.epoch, std::set<NodeId>(v.backups.begin(), v.backups.end()));
        return;
    }
    bool mine = std::find(v.backups.begin(), v.backups.end(), ctx.id()) != v.backups.end();
    if (mine) {
        become_backup(ctx, v.epoch, v.primary);
    } else {
        if (role_ == Role::primary) step_down(ctx);
        epoch_ = v.epoch;
        role_ = Role::idle;
        annotate(ctx);
    }
}

void Replica::annotate(Context& ctx) {
    ctx.annotate("role", to_string(role_));
    ctx.annotate("epoch", std::to_string(epoch_));
}

std::string Replica::describe_state() const {
    return fmt::format("{} epoch {} applied {} keys {} backups {} queue {}", to_string(role_), epoch_, applied_,
                       store_.data().size(), backups_.size(), queue_.size());
}

}  // namespace faultline::primary_backup
