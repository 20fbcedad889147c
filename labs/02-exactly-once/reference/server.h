// Lab 02's reference server (instructors' copy: a student's build does not use it). The starter's
// server.h with the duplicate table in place.
//
// `mistake` turns it into one of the typical partial solutions the grader must catch (lab.toml's
// [[mistake]] list; tests/labs/ grades each one).
#pragma once

#include "messages.h"
#include "state_machine.h"
#include "sim/node.h"

#include <map>
#include <string>

namespace faultline::lab02 {

enum class Mistake { none, no_duplicate_table, no_cached_reply, applies_late_copies, keeps_every_request };

class Server final : public Process {
public:
    explicit Server(Mistake mistake) : mistake_(mistake) {}
    void on_message(Context& ctx, const Envelope& message) override;
    std::string describe_state() const override;

    const Data& data() const { return data_; }
    std::size_t table_entries() const;

private:
    // What the table remembers of a client: its latest operation's sequence number and the reply
    // that operation got. One entry per client: a client has one operation outstanding at a
    // time, so once it sends sequence s + 1 it will never again wait for the reply to s.
    struct Session {
        uint64_t sequence = 0;
        kv::KvResult reply;
    };
    Mistake mistake_;
    Data data_;
    std::map<uint64_t, Session> sessions_;  // by client id
    std::map<std::pair<uint64_t, uint64_t>, kv::KvResult> every_request_;  // keeps_every_request only
};

ProcessFactory server(Mistake mistake);

}  // namespace faultline::lab02
