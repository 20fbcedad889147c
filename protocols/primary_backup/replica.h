// Replica: one server of primary-backup replication (see options.h for the two modes).
//
// Roles: primary (serves clients, replicates every operation to its backups one at a time, in
// order), backup (applies the primary's operations in index order, acknowledges), or idle (fenced
// mode, not in the current view). Volatile: a crash loses the replica's state; a restarted
// replica comes back empty and is brought up to date by a state transfer.
//
// Invariants
// - applied_ counts the operations applied to store_; a backup applies index i only after i-1.
// - The primary completes an operation (replies ok) only after every backup it replicates to
//   has acknowledged it (naive: every backup it still believes alive; fenced: every backup of
//   its view). Only then does it apply it itself.
// - Fenced: a replica never accepts a Replicate or StateTransfer of an epoch older than its own.
//
// Annotations: role, epoch, applied; "complete" ("epoch:index") each time a primary completes an
// operation, and "accept" ("epoch:index") each time a backup applies one or installs a state
// transfer up to that index, which the invariant checkers read (runner/primary_backup_invariants).
#pragma once

#include "protocols/primary_backup/messages.h"
#include "protocols/primary_backup/options.h"

#include <deque>
#include <optional>
#include <set>

namespace faultline::primary_backup {

enum class Role : uint8_t { idle, backup, primary };
std::string_view to_string(Role r);

class Replica final : public Process {
public:
    explicit Replica(Options options) : o_(std::move(options)) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId id, uint64_t tag) override;
    std::string describe_state() const override;

    Role role() const { return role_; }
    uint64_t epoch() const { return epoch_; }
    uint64_t applied() const { return applied_; }
    const kv::Store& store() const { return store_; }

private:
    enum Tag : uint64_t { tag_heartbeat = 1, tag_replicate_timeout = 2 };

    struct InFlight {
        Envelope request;  // the client's, to reply to
        ClientRequest body;
        uint64_t index = 0;
        std::set<NodeId> waiting;  // backups that have not acknowledged yet
        TimerId timer = 0;
    };

    void on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r);
    void on_replicate(Context& ctx, const Envelope& m, const Replicate& r);
    void on_replicate_ack(Context& ctx, const Envelope& m, const ReplicateAck& a);
    void on_heartbeat(Context& ctx, const Envelope& m, const Heartbeat& h);
    void on_heartbeat_reply(Context& ctx, const Envelope& m, const HeartbeatReply& h);
    void on_state_transfer(Context& ctx, const Envelope& m, const StateTransfer& s);
    void on_state_ack(Context& ctx, const Envelope& m, const StateAck& a);
    void on_view(Context& ctx, const View& v);

    void tick(Context& ctx);
    void start_next(Context& ctx);
    void send_replicate(Context& ctx, NodeId to);
    void finish_in_flight(Context& ctx);
    void become_primary(Context& ctx, uint64_t epoch, std::set<NodeId> backups);
    void become_backup(Context& ctx, uint64_t epoch, NodeId primary);
    void step_down(Context& ctx);
    void send_state(Context& ctx, NodeId to);
    void annotate(Context& ctx);
    bool naive() const { return o_.mode == Mode::naive; }
    bool ready_to_serve() const;

    Options o_;
    std::vector<NodeId> replicas_;
    NodeId view_service_ = no_node;
    Role role_ = Role::idle;
    uint64_t epoch_ = 0;
    NodeId primary_ = no_node;
    kv::Store store_;
    uint64_t applied_ = 0;
    // Primary side.
    std::set<NodeId> backups_;           // whom it replicates to
    std::set<NodeId> awaiting_state_;    // backups that still need a state transfer for this epoch
    std::deque<Envelope> queue_;         // client requests waiting their turn
    std::optional<InFlight> in_flight_;
    uint64_t acked_epoch_ = 0;           // fenced: the view this primary has fully set up
    // Backup side.
    Instant last_heard_;                 // local time of the primary's last heartbeat (naive)
    uint64_t initialized_epoch_ = 0;     // fenced: epoch whose state this replica holds
    uint64_t max_epoch_seen_ = 0;
};

ProcessFactory replica(Options options);

}  // namespace faultline::primary_backup
