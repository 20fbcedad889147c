// Lab 06's server. You need not change this file: you write the bodies of the functions it marks
// "yours", in quorum.cpp (part 1) and crdt.cpp (part 2).
//
// Every server holds every key (N = the number of servers) and any server coordinates any
// request: there is no leader.
// - Store (part 1, `type = "store"`). A put: the coordinator makes a new version (a dot of its own,
//   the client's context), keeps it, and sends it to every other replica (StoreVersions); the put
//   succeeds once W replicas keep it (Stored). A get: the coordinator asks every replica for its
//   versions (ReadVersions, itself included) and answers once R replicas answered (HeldVersions)
//   with the versions none of the answers superseded. With R + W > N every read quorum meets every
//   write quorum, so a get sees every put that succeeded before it began. Replies that come after
//   the answer still count for read repair: once every replica answered, those that lacked a
//   version get it (StoreVersions with write 0).
// - Counter and set (part 2, `type = "counter"` or `"set"`). A server applies an update to its own
//   copy and answers at once; every gossip interval it sends its whole state to one random peer,
//   which merges it in (crdt.h).
//
// node.cpp (given) runs the requests, the timers and the gossip, and reports what the grader
// reads; what it leaves to you is declared below.
#pragma once

#include "messages.h"

#include "sim/node.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace faultline::lab06 {

enum class Kind { store, counter, set };

// The scenario's options (`faultline list` lists them under lab06).
struct Settings {
    Kind kind = Kind::store;
    int r = 2;                                    // replies a get waits for
    int w = 2;                                    // acknowledgements a put waits for
    Duration request_timeout = milliseconds(500);  // a coordinator forgets a request after this
    Duration gossip_interval = milliseconds(50);
};

// Messages the servers sent, counted for the grader's budget (messages per operation).
struct Meter {
    uint64_t messages = 0;
    uint64_t requests = 0;  // client requests the servers received
};

// Part 1 (yours, quorum.cpp): a replica keeps `incoming` among the versions it holds of a key.
// Afterwards `held` holds no two versions one of which supersedes the other, and it has lost
// nothing that was not superseded: a version already held (or superseded by one held) changes
// nothing; versions `incoming` supersedes go.
void keep(std::vector<Version>& held, const Version& incoming);

class Node final : public Process {
public:
    Node(Settings settings, std::vector<std::string> servers, std::shared_ptr<Meter> meter)
        : settings_(std::move(settings)), server_names_(std::move(servers)), meter_(std::move(meter)) {}

    // Given (node.cpp).
    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    // What the grader and the lab's plug-in read: each key's value(s) on this replica.
    std::map<std::string, std::vector<std::string>> values() const;

private:
    // A get this server coordinates.
    struct PendingRead {
        Envelope client;                                  // the request, to answer with answer()
        std::string key;
        std::map<NodeId, std::vector<Version>> replies;  // replica -> the versions it holds
        bool answered = false;
        Instant started;
    };
    // A put this server coordinates.
    struct PendingWrite {
        Envelope client;
        std::string key;
        Version version;  // the new version
        int acks = 0;     // replicas that keep it (this one included)
        std::set<NodeId> stored_at;
        bool answered = false;
        Instant started;
    };

    // ---- part 1 (yours, quorum.cpp) -----------------------------------------------------------
    // A replica's versions arrived for get `read` (this server's own too: from == ctx.id()).
    void on_held_versions(Context& ctx, NodeId from, PendingRead& read);
    // A replica keeps put `write`'s version (this server too).
    void on_stored(Context& ctx, PendingWrite& write);

    // ---- given, for you to call (node.cpp) -----------------------------------------------------
    // Answers the client of a get with these versions (their values and their context). Once per
    // get: it sets read.answered, and a second answer stops the run (an assertion).
    void answer(Context& ctx, PendingRead& read, const std::vector<Version>& versions);
    // Answers the client of a put: it succeeded. Once per put: it sets write.answered.
    void answer(Context& ctx, PendingWrite& write);
    // Read repair: `replica` is to keep these versions of `key` (this server itself: at once).
    void repair(Context& ctx, NodeId replica, const std::string& key, const std::vector<Version>& versions);
    int servers() const { return static_cast<int>(servers_.size()); }

    // ---- given (node.cpp) ----------------------------------------------------------------------
    void on_request(Context& ctx, const Envelope& m, const Request& r);
    void start_get(Context& ctx, const Envelope& m, const Request& r);
    void start_put(Context& ctx, const Envelope& m, const Request& r);
    void apply_update(Context& ctx, const Envelope& m, const Request& r);
    void on_gossip_timer(Context& ctx);
    void send(Context& ctx, NodeId to, Payload message);
    void report(Context& ctx, const std::string& key);
    std::vector<std::string> held(const std::string& key) const;  // what values() says of one key
    void expire(Context& ctx);

    Settings settings_;
    std::vector<std::string> server_names_;
    std::shared_ptr<Meter> meter_;
    std::vector<NodeId> servers_;
    std::string me_;  // this replica's name in dots and tags: node.incarnation
    std::map<std::string, std::vector<Version>> versions_;  // the store: key -> its versions here
    std::map<std::string, uint64_t> dots_;                  // key -> the puts this server coordinated
    std::map<std::string, Counter> counters_;
    std::map<std::string, Set> sets_;
    uint64_t tags_ = 0;  // adds this server applied
    uint64_t next_request_ = 1;
    std::map<NodeId, uint64_t> last_call_;  // client -> the last request (call) heard from it
    std::map<uint64_t, PendingRead> reads_;
    std::map<uint64_t, PendingWrite> writes_;
    std::map<std::string, std::string> reported_;  // key -> what the trace was last told it holds
};

ProcessFactory node(Settings settings, std::vector<std::string> servers, std::shared_ptr<Meter> meter);

}  // namespace faultline::lab06
