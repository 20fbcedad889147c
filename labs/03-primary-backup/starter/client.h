// Lab 03's client. You need not change this file.
//
// It asks the view service who the primary is, sends each operation there, and keeps using that
// primary until it refuses ("not the primary") or does not answer; then it asks the view service
// again. Every retry of an operation carries the same (client, sequence), so the primary's
// kv::Store applies it once. When no attempt succeeds the operation ends `info`.
#pragma once

#include "messages.h"

namespace faultline::lab03 {

class Client final : public kv::KvClient {
public:
    Client(Context& ctx, const std::string& view_service, Duration attempt_timeout, int attempts_max);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    void refresh_view();

    Context& ctx_;
    NodeId view_service_;
    Duration attempt_timeout_;
    int attempts_max_;
    View view_;
    uint64_t client_id_ = 0;
    uint64_t sequence_ = 0;
};

}  // namespace faultline::lab03
