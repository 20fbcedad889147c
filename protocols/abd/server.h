// An ABD server: a passive replica of every key. It answers a Query with its tag and value, and
// keeps a Store's tag and value when they are newer than its own, writing them to disk and
// syncing before it acknowledges (so a crash forgets nothing it acknowledged). All coordination
// is the client's (client.h).
#pragma once

#include "protocols/abd/messages.h"
#include "sim/node.h"

#include <map>
#include <string>

namespace faultline::abd {

class Server final : public Process {
public:
    void on_start(Context& ctx) override;
    void on_message(Context& ctx, const Envelope& m) override;
    std::string describe_state() const override;

    const std::map<std::string, Stamped>& data() const { return data_; }

private:
    Stamped stamped(const std::string& key) const;

    std::map<std::string, Stamped> data_;
};

ProcessFactory server();

}  // namespace faultline::abd
