// The coordinator side of a Dynamo-style server: a client's get or put, from its arrival to its
// answer, and the read repair after it (server.h tells the whole story).
#include "protocols/dynamo/server.h"

#include <algorithm>

namespace faultline::dynamo {


void Server::on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r) {
    if (r.op.f != kv::Function::get && r.op.f != kv::Function::put) {
        kv::KvResult refused;
        refused.outcome = ClientOutcome::fail;  // served nowhere: no effect
        ctx.reply(m, ClientReply{refused, {}});
        return;
    }
    const uint64_t id = next_request_++;
    Request& q = requests_[id];
    q.client = m;
    q.op = r.op;
    if (r.op.f == kv::Function::put) q.written = new_version(ctx, r.op.key, r);
    choose_targets(ctx, q);
    const std::vector<NodeId> targets = q.targets;
    for (NodeId t : targets) send_to(ctx, id, q, t);
    if (o_.sloppy_quorum) ctx.set_timer(milliseconds(o_.hint_after_ms), timer_tag(hint_check, id));
    ctx.set_timer(milliseconds(o_.request_timeout_ms), timer_tag(request_timeout, id));
    answer_if_ready(ctx, id, q);
}

Version Server::new_version(Context& ctx, const std::string& key, const ClientRequest& r) {
    Version v;
    v.value = r.op.value;
    if (o_.conflicts == ConflictMode::lww) {
        v.stamp_ns = ctx.now().ns();
        v.stamp_node = my_id_;
        return v;
    }
    // The new version descends from what the client read (its context) and from nothing else:
    // versions it did not see stay as siblings. Our own counter must pass every one we issued
    // before, or two puts could share a vector.
    v.clock = r.context;
    uint64_t mine = std::max(v.clock.at(me_), issued_);
    if (auto it = data_.find(key); it != data_.end())
        for (const Version& held : it->second) mine = std::max(mine, held.clock.at(me_));
    v.clock.counters[me_] = mine + 1;
    issued_ = mine + 1;
    ctx.disk().write(std::string(counter_record), std::to_string(issued_));
    return v;
}

bool Server::suspected(Context& ctx, NodeId server) const {
    if (server == my_id_) return false;
    auto it = suspect_until_.find(server);
    return it != suspect_until_.end() && ctx.now() < it->second;
}

void Server::choose_targets(Context& ctx, Request& q) {
    const std::vector<NodeId> preferred = preference_list(q.op.key);
    if (!o_.sloppy_quorum) {
        q.targets = preferred;
        return;
    }
    // The first N servers along the ring that are not suspected; each preferred replica left
    // out is stood in for by one of the others, in ring order.
    std::vector<NodeId> skipped;
    for (NodeId p : preferred)
        if (suspected(ctx, p)) skipped.push_back(p);
    for (std::size_t i : ring_.walk(q.op.key)) {
        if (q.targets.size() == preferred.size()) break;
        const NodeId s = node_of(i);
        if (suspected(ctx, s)) continue;
        q.targets.push_back(s);
        const bool is_preferred = std::find(preferred.begin(), preferred.end(), s) != preferred.end();
        if (!is_preferred && !skipped.empty()) {
            q.stand_in_for[s] = name_of(skipped.front());
            skipped.erase(skipped.begin());
        }
    }
}

void Server::send_to(Context& ctx, uint64_t id, Request& q, NodeId target) {
    auto hint = q.stand_in_for.find(target);
    const std::string hint_for = hint == q.stand_in_for.end() ? std::string() : hint->second;
    if (target == my_id_) {
        if (q.op.f == kv::Function::put) {
            store(ctx, q.op.key, {q.written});
            if (!hint_for.empty()) keep_hint(ctx, hint_for, q.op.key);
        } else {
            auto it = data_.find(q.op.key);
            q.read[my_id_] = it == data_.end() ? Siblings{} : it->second;
            if (q.first_read == no_node) q.first_read = my_id_;
        }
        q.answered.insert(my_id_);
        return;
    }
    if (q.op.f == kv::Function::put)
        ctx.send(target, Replicate{id, q.op.key, {q.written}, hint_for, false});
    else
        ctx.send(target, Read{id, q.op.key});
}

void Server::on_replicate_ack(Context& ctx, const Envelope& m, const ReplicateAck& a) {
    suspect_until_.erase(m.from);
    if (handoffs_.count(a.request)) return on_handoff_ack(ctx, a.request, m.from);
    auto it = requests_.find(a.request);
    if (it == requests_.end()) return;
    it->second.answered.insert(m.from);
    answer_if_ready(ctx, a.request, it->second);
}

void Server::on_read_reply(Context& ctx, const Envelope& m, const ReadReply& r) {
    suspect_until_.erase(m.from);
    auto it = requests_.find(r.request);
    if (it == requests_.end()) return;
    Request& q = it->second;
    q.read[m.from] = r.versions;
    if (q.first_read == no_node) q.first_read = m.from;
    q.answered.insert(m.from);
    answer_if_ready(ctx, r.request, q);
}

void Server::answer_if_ready(Context& ctx, uint64_t id, Request& q) {
    const bool put = q.op.f == kv::Function::put;
    const std::size_t needed = static_cast<std::size_t>(put ? o_.w : o_.r);
    if (!q.replied && q.answered.size() >= needed) {
        q.replied = true;
        kv::KvResult result;
        result.outcome = ClientOutcome::ok;
        result.served_by = my_id_;
        VersionVector context = q.written.clock;
        if (!put) {
            Siblings merged;
            for (const auto& [node, versions] : q.read) reconcile_all(o_.conflicts, merged, versions);
            result.found = !merged.empty();
            const std::vector<std::string> values = values_of(merged);
            if (values.size() > 1) result.siblings = values;
            if (!values.empty()) result.value = values.back();  // the client merges siblings again
            context = context_of(merged);
        }
        ctx.reply(q.client, ClientReply{result, context});
    }
    if (q.replied && q.answered.size() == q.targets.size()) {
        if (!put) repair(ctx, q);
        requests_.erase(id);
    }
}

void Server::replace_silent(Context& ctx, uint64_t id, Request& q) {
    const std::vector<NodeId> silent = [&] {
        std::vector<NodeId> out;
        for (NodeId t : q.targets)
            if (!q.answered.count(t)) out.push_back(t);
        return out;
    }();
    if (silent.empty()) return;
    const Instant until = ctx.now() + milliseconds(o_.suspect_ms);
    for (NodeId t : silent) suspect_until_[t] = until;
    bool added = false;
    for (NodeId t : silent) {
        const auto walk = ring_.walk(q.op.key);
        for (std::size_t i : walk) {
            const NodeId s = node_of(i);
            if (std::find(q.targets.begin(), q.targets.end(), s) != q.targets.end() || suspected(ctx, s)) continue;
            auto inherited = q.stand_in_for.find(t);
            const std::string replica = inherited != q.stand_in_for.end() ? inherited->second : name_of(t);
            if (name_of(s) != replica) q.stand_in_for[s] = replica;
            q.targets.push_back(s);
            send_to(ctx, id, q, s);
            added = true;
            break;
        }
    }
    if (added) ctx.set_timer(milliseconds(o_.hint_after_ms), timer_tag(hint_check, id));
    answer_if_ready(ctx, id, q);
}

void Server::give_up(Context& ctx, uint64_t id) {
    auto it = requests_.find(id);
    if (it == requests_.end()) return;
    Request& q = it->second;
    if (!q.replied) {
        // A put may have been stored by some replicas: its outcome is unknown. A get changed
        // nothing: it failed.
        kv::KvResult result;
        result.outcome = q.op.f == kv::Function::put ? ClientOutcome::info : ClientOutcome::fail;
        ctx.reply(q.client, ClientReply{result, {}});
    }
    if (q.op.f == kv::Function::get) repair(ctx, q);
    requests_.erase(it);
}

void Server::repair(Context& ctx, const Request& q) {
    if (!o_.read_repair || q.read.empty()) return;
    const std::string& key = q.op.key;
    if (o_.read_repair_overwrites_newer) {
        // The planted bug: every replica whose answer differs from the first one is "repaired"
        // with the first answer, replacing what it holds, as if differing meant older.
        const Siblings& first = q.read.at(q.first_read);
        for (const auto& [node, versions] : q.read) {
            if (versions == first) continue;
            if (node == my_id_) store(ctx, key, first, true);
            else ctx.send(node, Replicate{0, key, first, "", true});
        }
        return;
    }
    Siblings merged;
    for (const auto& [node, versions] : q.read) reconcile_all(o_.conflicts, merged, versions);
    for (const auto& [node, versions] : q.read) {
        if (covers(o_.conflicts, versions, merged)) continue;
        if (node == my_id_) store(ctx, key, merged);
        else ctx.send(node, Replicate{0, key, merged, "", false});
    }
}

}  // namespace faultline::dynamo
