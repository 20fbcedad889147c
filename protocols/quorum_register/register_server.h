// The quorum register: the protocol of docs/tutorial.md, small enough to read in one sitting.
//
// Every server keeps a copy of every key, each with a version. A client sends its get or put to
// any server, which coordinates it in two phases, each of which needs `quorum()` answers (its
// own included) before it goes on (after Attiya, Bar-Noy and Dolev's shared register, 1995):
//   1. query: ask every server for its newest version of the key;
//   2. store: a put stores its value with a version above every one the query saw; a get
//      stores back the newest value it saw (so no later get can return anything older), then
//      returns it.
// Any two majorities share a server, so a query always meets the latest completed store. That
// is the whole argument, and it needs quorum() to be a majority.
// With the option wait_for_majority = false (the default) it is not: quorum() is n / 2, which
// for 3 servers is 1, so a server answers on its own, and under a partition the two sides drift
// apart. The tutorial finds that bug with a sweep, shrinks it and fixes it.
//
// Limits: state lives in memory only (a crash forgets it: this lesson is about partitions), a
// register has no append or cas (they complete `fail`), and a server coordinates at most
// operations_max operations at once (more are dropped; the client times out). An operation
// that cannot reach a quorum is never answered; its client times out and records `info`.
#pragma once

#include "protocols/quorum_register/messages.h"
#include "sim/node.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace faultline::quorum_register {

struct Options {
    std::vector<std::string> servers;  // every server's name, this one included
    bool wait_for_majority = false;    // false: the tutorial's bug (see quorum())
};

class RegisterServer final : public Process {
public:
    static constexpr std::size_t operations_max = 10'000;

    explicit RegisterServer(Options options) : o_(std::move(options)) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    std::string describe_state() const override;

    // How many servers (this one included) must answer in each phase.
    std::size_t quorum() const;
    const std::map<std::string, Stamped>& data() const { return data_; }

private:
    // One client operation this server coordinates, from its request to its reply.
    struct Operation {
        Envelope request;          // the client's, to reply to
        kv::KvOp op;
        bool storing = false;      // false: phase 1 (query); true: phase 2 (store)
        Stamped newest;            // the newest value seen so far; in phase 2, the one stored
        std::set<NodeId> answered; // servers that answered in this phase, this one included
    };

    void on_client_request(Context& ctx, const Envelope& m, const ClientRequest& r);
    void on_query_reply(Context& ctx, const Envelope& m, const QueryReply& q);
    void on_store_ack(Context& ctx, const Envelope& m, const StoreAck& a);
    void start_store(Context& ctx, uint64_t id, Operation& op);
    void finish(Context& ctx, uint64_t id, Operation& op);
    // Keeps `s` for `key` if it is newer than what this server has.
    void adopt(Context& ctx, const std::string& key, const Stamped& s);
    Stamped stamped(const std::string& key) const;

    Options o_;
    std::vector<NodeId> servers_;
    std::map<std::string, Stamped> data_;
    std::map<uint64_t, Operation> operations_;  // by operation number
    std::map<NodeId, uint64_t> last_call_;      // per client, its newest request's call id
    uint64_t next_operation_ = 1;
};

ProcessFactory register_server(Options options);

}  // namespace faultline::quorum_register
