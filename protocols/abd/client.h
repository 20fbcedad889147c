// ABD's KvClient: the client coordinates its own operations, as in the original algorithm.
//   put(k, v): 1. query a majority for their tags of k; 2. store v under (highest counter + 1,
//              this client's name) at a majority.
//   get(k):    1. query a majority for their tags and values of k; take the newest; 2. store it
//              back at a majority (the write-back), then return it. The write-back is skipped
//              when every reply of phase 1 already had the newest tag (a majority holds it).
// Without the write-back a get could return a value that only a minority holds, and a later
// get that queries another majority the older one: a new-old inversion, not linearizable. The
// planted bug `read_skips_write_back` does exactly that.
//
// Each phase sends to every server and waits for a majority of distinct replies; every attempt
// timeout it sends again to those that have not answered (the network may lose messages), for
// attempts_max attempts. A put that cannot finish ends `info` (phase 2 may have reached some
// servers); a get ends `fail` (its write-back only spreads a value that was already stored).
#pragma once

#include "protocols/abd/messages.h"
#include "protocols/kv/kv_client.h"
#include "sim/node.h"

#include <set>
#include <string>
#include <vector>

namespace faultline::abd {

struct ClientOptions {
    bool read_skips_write_back = false;
    bool always_write_back = false;  // no fast path: every get stores back (for comparison)
};

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::vector<std::string>& servers, Duration timeout, int attempts_max, ClientOptions o);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    // One phase: sends `message` (a Query or Store for operation `op`) to every server until a
    // majority answered; false when the attempts ran out. Replies of phase 1 land in `replies`.
    template <typename Message>
    bool phase(uint64_t op, const Message& message, std::vector<Stamped>* replies);

    Context& ctx_;
    std::vector<NodeId> servers_;
    Duration timeout_;
    int attempts_max_;
    ClientOptions o_;
    uint64_t next_operation_;
};

}  // namespace faultline::abd
