// Lab 01's replica. THIS IS A FILE YOU EDIT (with server.cpp and version.h).
//
// Every replica holds every key. A client sends its get or put to any replica: a get is answered
// from the replica's own copy; a put is stamped with a new Version, stored, answered, and sent to
// the other replicas (an Update). Anti-entropy repairs what the network lost: every
// `gossip_interval` each replica sends everything it holds to one peer picked at random. Whatever
// arrives goes through merge(), which decides what the replica keeps.
//
// As handed out, versions are wall-clock times and merge() keeps the newer one: last writer wins.
// When clocks disagree, a write made later, even by the same client, can lose to an earlier one.
#pragma once

#include "messages.h"
#include "sim/node.h"

#include <map>
#include <string>
#include <vector>

namespace faultline::lab01 {

class Server final : public Process {
public:
    explicit Server(std::vector<std::string> servers) : servers_(std::move(servers)) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& message) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    // Key -> the versions this replica holds (several: concurrent writes, siblings).
    const std::map<std::string, std::vector<Stored>>& data() const { return data_; }

private:
    // The version of a new write, made here for a client whose context is `context`.
    Version stamp(Context& ctx, const std::string& key, const Version& context);
    // Folds one version of `key` (a new write, or one a peer sent) into what this replica holds.
    void merge(const std::string& key, const Stored& incoming);
    // The context a reply on `key` gives the client: what it has now seen of the key.
    Version context_of(const std::string& key) const;

    std::vector<std::string> servers_;
    std::map<std::string, std::vector<Stored>> data_;
    // TODO(you): part 1, a Lamport clock; part 2, what a version vector needs.
};

ProcessFactory server(std::vector<std::string> servers);

}  // namespace faultline::lab01
