// Lab 02's server: one node holding the whole key-value store. THIS IS THE FILE YOU EDIT (with
// server.cpp).
//
// As handed out, the server applies every request it receives. On a perfect network that is
// correct. On a real one it is not: a retry after a lost reply, or a copy the network duplicated,
// applies the same operation a second time (an append appends twice), and a copy that arrives
// late applies an old operation after newer ones. Your job: make every operation take effect at
// most once, answer every copy of it with the answer it first got, and do it with a table that
// stays small (the handout, README.md, says how it is graded).
#pragma once

#include "messages.h"
#include "state_machine.h"
#include "sim/node.h"

#include <string>

namespace faultline::lab02 {

class Server final : public Process {
public:
    void on_message(Context& ctx, const Envelope& message) override;
    std::string describe_state() const override;

    const Data& data() const { return data_; }
    // How many entries your duplicate table holds now (the grader's budget: one per client).
    std::size_t table_entries() const;

private:
    Data data_;  // the store
    // TODO(you): the duplicate table. What must it remember about each client, so that a retry
    // gets the answer its operation first got, and a late copy of an older request is not
    // applied again?
};

ProcessFactory server();

}  // namespace faultline::lab02
