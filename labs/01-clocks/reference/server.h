// Lab 01's reference replica (instructors' copy): Lamport time carried through clients, and
// dotted version vectors that keep concurrent writes as siblings. `mistake` turns it into one of
// the typical partial solutions the grader must catch (lab.toml's [[mistake]] list).
#pragma once

#include "messages.h"
#include "sim/node.h"

#include <map>
#include <string>
#include <vector>

namespace faultline::lab01 {

enum class Mistake { none, wall_clock, lamport_without_context, last_writer_wins, plain_version_vectors };

class Server final : public Process {
public:
    Server(std::vector<std::string> servers, Mistake mistake) : servers_(std::move(servers)), mistake_(mistake) {}

    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& message) override;
    void on_timer(Context& ctx, TimerId timer, uint64_t tag) override;
    std::string describe_state() const override;

    const std::map<std::string, std::vector<Stored>>& data() const { return data_; }

private:
    Version stamp(Context& ctx, const std::string& key, const Version& context);
    void merge(const std::string& key, const Stored& incoming);
    Version context_of(const std::string& key) const;
    bool last_writer_wins() const;

    std::vector<std::string> servers_;
    Mistake mistake_;
    std::map<std::string, std::vector<Stored>> data_;
    int64_t clock_ = 0;     // Lamport time
    uint64_t counter_ = 0;  // writes made here (plain_version_vectors)
    std::map<std::string, uint64_t> counters_;  // key -> writes made here to it: the dots of this replica
};

ProcessFactory server(std::vector<std::string> servers, Mistake mistake);

}  // namespace faultline::lab01
