// A CRDT store's server: one replica of every key, each key an independent CRDT of the store's
// type (key_state.h). An AP design: a client's request is served from this replica's state at
// once, with no coordination with other replicas; replicas converge by gossip, because the
// join of states is commutative, associative and idempotent (any order, any repetition).
//
// Requests. A get reads the local value. An update (incr, add, remove, put) makes a delta
// (the type's delta-mutator), joins it into the key's state, writes the state to disk and syncs
// before it acknowledges, so an acknowledged update survives a crash. Each client request is
// applied once: the server remembers, per client, the last request it applied (on disk too).
// An operation the type does not serve, or a malformed argument, fails (changes nothing).
//
// Identity. A replica's id is "<node>.<incarnation>": a new one at every start. The dots and
// counter entries a replica creates carry its id, and a restarted node can have lost state it
// once created under its old id (a disk wipe, a lost fsync): a fresh id can never reuse a dot.
//
// Gossip (gossip.cpp). Every gossip_ms (local time) a server picks `fanout` random peers and
// sends each either its full state (delta_state = false) or, with delta_state = true, the join
// of its deltas since what that peer last acknowledged (Almeida et al. 2018, Algorithm 2,
// delta-interval anti-entropy): deltas it made and deltas it received that changed it, kept in
// a bounded buffer numbered by a sequence. When unsure what a peer holds (never heard from it,
// the peer restarted, or the buffer dropped deltas the peer has not acknowledged) it sends the
// full state. Receivers join, persist and sync, then acknowledge.
//
// Trace: each change of a key's state is annotated "state" = "<escaped key> <encoded state>"
// for the state_only_grows monitor (invariants.h).
//
// File map: server.cpp (start, requests, storage), gossip.cpp (anti-entropy).
#pragma once

#include "protocols/crdt/key_state.h"
#include "protocols/crdt/messages.h"
#include "protocols/crdt/options.h"
#include "sim/node.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace faultline::crdt {

class Server final : public Process {
public:
    explicit Server(Options options);

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    // Keys with their states (a key appears once something was applied to it).
    const std::map<std::string, KeyState>& data() const { return data_; }
    const std::string& replica_id() const { return replica_; }
    const Options& options() const { return o_; }

    // The gossip buffer's limit: past it the oldest deltas go, and a peer that had not
    // acknowledged them gets the full state.
    static constexpr std::size_t delta_buffer_max = 1024;

private:
    // What a peer acknowledged: its replica id (its incarnation) and the sequence number up to
    // which it holds this server's deltas (none: unknown, send the full state).
    struct PeerAck {
        std::string replica;
        std::optional<uint64_t> upto;
    };

    // --- requests and storage (server.cpp) ---
    void load(Context& ctx);
    void on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r);
    kv::KvResult read(const kv::KvOp& op) const;
    // The delta of an update, or the reason it is refused.
    std::optional<KeyState> delta_of(Context& ctx, const kv::KvOp& op, std::string& refusal) const;
    // Joins `state` into the key's; on a change writes it to disk (unsynced) and annotates.
    bool absorb(Context& ctx, const std::string& key, const KeyState& state);

    // --- gossip (gossip.cpp) ---
    void gossip_round(Context& ctx);
    void send_gossip(Context& ctx, NodeId peer);
    void on_gossip(Context& ctx, const Envelope& m, const Gossip& g);
    void on_gossip_ack(const Envelope& m, const GossipAck& a);
    void remember_delta(const std::string& key, const KeyState& delta);
    void forget_acknowledged();
    uint64_t last_seq() const { return next_seq_ - 1; }

    Options o_;
    std::string replica_;
    std::vector<NodeId> peers_;  // the other servers, in the order of o_.servers
    std::map<std::string, KeyState> data_;
    std::map<std::string, uint64_t> applied_;  // client -> the last request seq applied (on disk)
    // Delta gossip (volatile: a restart starts again from full states).
    std::map<uint64_t, std::pair<std::string, KeyState>> deltas_;  // seq -> (key, delta)
    uint64_t first_seq_ = 1;  // this incarnation's first sequence number
    uint64_t next_seq_ = 1;
    std::map<NodeId, PeerAck> acked_;
};

ProcessFactory server(Options options);

}  // namespace faultline::crdt
