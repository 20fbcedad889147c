// The CRDT store server's anti-entropy: gossip of full states or of deltas (server.h tells the
// whole story).
#include "protocols/crdt/server.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::crdt {

void Server::gossip_round(Context& ctx) {
    std::vector<NodeId> order = peers_;
    ctx.rng().shuffle(order);
    const std::size_t n = std::min(order.size(), static_cast<std::size_t>(o_.fanout));
    for (std::size_t i = 0; i < n; ++i) send_gossip(ctx, order[i]);
}

void Server::send_gossip(Context& ctx, NodeId peer) {
    Gossip g;
    g.from_replica = replica_;
    g.ack = o_.delta_state;
    g.upto = last_seq();
    std::optional<uint64_t> known;
    if (auto it = acked_.find(peer); o_.delta_state && it != acked_.end()) known = it->second.upto;
    // Deltas only when the buffer still holds every delta after what the peer acknowledged.
    const uint64_t oldest = deltas_.empty() ? next_seq_ : deltas_.begin()->first;
    g.full = !known || *known + 1 < oldest;
    if (g.full) {
        for (const auto& [key, state] : data_) g.states.emplace_back(key, state.encode());
    } else {
        if (*known >= last_seq()) return;  // it has everything: nothing to say
        std::map<std::string, KeyState> joined;  // by key, so the message's order is the keys'
        for (auto it = deltas_.upper_bound(*known); it != deltas_.end(); ++it) {
            const auto& [key, delta] = it->second;
            joined.try_emplace(key, o_.type).first->second.merge(delta);
        }
        for (const auto& [key, state] : joined) g.states.emplace_back(key, state.encode());
    }
    if (o_.meter) {
        ++o_.meter->messages;
        for (const auto& [key, text] : g.states) o_.meter->bytes += static_cast<int64_t>(key.size() + text.size());
    }
    ctx.send(peer, std::move(g));
}

void Server::on_gossip(Context& ctx, const Envelope& m, const Gossip& g) {
    // A message from a new incarnation of the peer: what it acknowledged before may be gone.
    if (auto it = acked_.find(m.from); it != acked_.end() && it->second.replica != g.from_replica)
        it->second = PeerAck{g.from_replica, std::nullopt};
    bool changed = false;
    for (const auto& [key, text] : g.states) {
        const std::optional<KeyState> state = KeyState::decode(o_.type, text);
        if (!state) {
            ctx.logf("gossip from {}: unreadable state of {}: ignored", g.from_replica, key);
            continue;
        }
        // What changed this replica is news to its other peers too: forward it (Algorithm 2).
        if (absorb(ctx, key, *state)) {
            remember_delta(key, *state);
            changed = true;
        }
    }
    if (changed) ctx.sync();  // on disk before acknowledged: the sender will not send it again
    if (g.ack) ctx.send(m.from, GossipAck{replica_, g.full, g.upto});
}

void Server::on_gossip_ack(const Envelope& m, const GossipAck& a) {
    if (a.upto + 1 < first_seq_) return;  // acknowledges a delta of an earlier life of this node
    PeerAck& peer = acked_[m.from];
    if (a.full) {
        // A full state brings the peer up to a.upto whatever it held before.
        if (peer.replica != a.replica || !peer.upto || *peer.upto < a.upto) peer = PeerAck{a.replica, a.upto};
    } else if (peer.replica == a.replica && peer.upto) {
        peer.upto = std::max(*peer.upto, a.upto);
    } else {
        peer = PeerAck{a.replica, std::nullopt};  // deltas to an incarnation we knew nothing of
    }
    forget_acknowledged();
}

void Server::remember_delta(const std::string& key, const KeyState& delta) {
    if (!o_.delta_state) return;
    deltas_.emplace(next_seq_++, std::pair(key, delta));
    while (deltas_.size() > delta_buffer_max) deltas_.erase(deltas_.begin());
}

void Server::forget_acknowledged() {
    // The deltas every peer acknowledged are no one's news any more.
    uint64_t everyone = last_seq();
    for (NodeId peer : peers_) {
        auto it = acked_.find(peer);
        if (it == acked_.end() || !it->second.upto) return;
        everyone = std::min(everyone, *it->second.upto);
    }
    deltas_.erase(deltas_.begin(), deltas_.upper_bound(everyone));
}

}  // namespace faultline::crdt
