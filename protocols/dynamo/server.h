// A Dynamo-style store server (DeCandia et al., "Dynamo: Amazon's Highly Available Key-value
// Store", 2007): a leaderless replica and, for the requests clients send it, a coordinator.
//
// Every server knows the ring (ring.h), so it knows each key's preference list. A put or get
// goes to a coordinator in the key's list, which sends it to the key's first N servers and
// answers the client once W of them stored the write (or R answered the read):
//   - strict quorum (sloppy_quorum = false): the N are the key's own replicas; if fewer than W
//     (R) of them answer, the request fails. R + W > N makes every read quorum meet every write
//     quorum, so a read sees the latest acknowledged write;
//   - sloppy quorum: a replica silent for hint_after_ms is replaced by the next server along the
//     ring, which stores the write with a hint naming the replica it stands in for and hands it
//     back later (hinted handoff). Writes stay available under partitions; but the stand-ins are
//     outside the read quorum's overlap, so a read can miss an acknowledged write.
// Conflicts (versions.h): last-writer-wins by the coordinator's local clock, or version vectors
// with siblings. Replicas drift apart under faults and are brought back by three mechanisms:
// read repair (a coordinator sends the merged result to replicas that answered with less),
// hinted handoff, and anti-entropy (Merkle trees compared with a random peer every
// anti_entropy_ms).
//
// Durability: a replica writes a key's versions (and its hints) to disk and syncs before it
// acknowledges; a restart reloads them.
//
// File map: server.cpp (replica side: storage, Replicate, Read), coordinator.cpp (client
// requests), handoff.cpp (hints), anti_entropy.cpp (Merkle exchange).
#pragma once

#include "protocols/dynamo/merkle.h"
#include "protocols/dynamo/messages.h"
#include "protocols/dynamo/options.h"
#include "protocols/dynamo/ring.h"
#include "sim/node.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace faultline::dynamo {

class Server final : public Process {
public:
    explicit Server(Options options);

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    const std::map<std::string, Siblings>& data() const { return data_; }
    // Hints held: (replica stood in for, key).
    const std::set<std::pair<std::string, std::string>>& hints() const { return hints_; }
    uint64_t hinted_writes() const { return hinted_writes_; }
    const Options& options() const { return o_; }

private:
    enum TimerKind : uint64_t { hint_check = 1, request_timeout = 2, handoff_tick = 3, anti_entropy_tick = 4 };
    static uint64_t timer_tag(TimerKind kind, uint64_t request) { return request << 3 | kind; }

    // A request this server coordinates.
    struct Request {
        Envelope client;                 // the client's request, to reply to
        kv::KvOp op;
        Version written;                 // a put's new version
        std::vector<NodeId> targets;     // asked so far (replicas and stand-ins)
        std::map<NodeId, std::string> stand_in_for;  // target -> the replica it replaces
        std::set<NodeId> answered;
        std::map<NodeId, Siblings> read;  // a get's replies, by replica
        NodeId first_read = no_node;      // whose reply came first
        bool replied = false;
    };

    // --- replica side (server.cpp) ---
    void load(Context& ctx);
    // Merges `versions` into the key (or, forced, replaces it); persists and syncs when it changed.
    bool store(Context& ctx, const std::string& key, const Siblings& versions, bool force = false);
    void forget(Context& ctx, const std::string& key);
    void on_replicate(Context& ctx, const Envelope& m, const Replicate& r);
    void on_read(Context& ctx, const Envelope& m, const Read& r);
    std::vector<NodeId> preference_list(const std::string& key) const;
    bool replicates(NodeId server, const std::string& key) const;
    NodeId node_of(std::size_t ring_index) const { return ids_[ring_index]; }
    const std::string& name_of(NodeId server) const;
    static constexpr std::string_view counter_record = "c";

    // --- coordinator (coordinator.cpp) ---
    void on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r);
    void choose_targets(Context& ctx, Request& q);
    void send_to(Context& ctx, uint64_t id, Request& q, NodeId target);
    void on_replicate_ack(Context& ctx, const Envelope& m, const ReplicateAck& a);
    void on_read_reply(Context& ctx, const Envelope& m, const ReadReply& r);
    void answer_if_ready(Context& ctx, uint64_t id, Request& q);
    void replace_silent(Context& ctx, uint64_t id, Request& q);
    void give_up(Context& ctx, uint64_t id);
    void repair(Context& ctx, const Request& q);
    Version new_version(Context& ctx, const std::string& key, const ClientRequest& r);
    bool suspected(Context& ctx, NodeId server) const;

    // --- hinted handoff (handoff.cpp) ---
    void keep_hint(Context& ctx, const std::string& replica, const std::string& key);
    void hand_off(Context& ctx);
    void on_handoff_ack(Context& ctx, uint64_t request, NodeId from);

    // --- anti-entropy (anti_entropy.cpp) ---
    void start_anti_entropy(Context& ctx);
    void on_merkle_offer(Context& ctx, const Envelope& m, const MerkleOffer& o);
    void on_merkle_diff(Context& ctx, const Envelope& m, const MerkleDiff& d);
    void on_merkle_repair(Context& ctx, const MerkleRepair& r);
    MerkleTree tree_shared_with(NodeId peer) const;
    Entries entries_in(const std::vector<uint32_t>& leaves, NodeId peer) const;

    Options o_;
    Ring ring_;
    std::vector<NodeId> ids_;  // by ring index
    std::string me_;
    NodeId my_id_ = no_node;
    std::map<std::string, Siblings> data_;
    std::set<std::pair<std::string, std::string>> hints_;
    // A hint offered to its replica and not yet acknowledged: what was sent, so that an
    // acknowledgement of an older offer does not retire a hint for versions that came later.
    struct Handoff {
        std::string replica, key;
        Siblings sent;
    };
    std::map<uint64_t, Handoff> handoffs_;  // by request
    std::map<uint64_t, Request> requests_;
    std::map<NodeId, Instant> suspect_until_;  // local time
    uint64_t next_request_ = 1;
    uint64_t hinted_writes_ = 0;
    uint64_t issued_ = 0;  // the highest counter this server put in a version vector (on disk)
};

ProcessFactory server(Options options);

}  // namespace faultline::dynamo
