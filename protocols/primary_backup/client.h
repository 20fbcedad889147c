// PbClient: the KvClient of primary-backup, for client fibers.
//
// Sends each request to the replica it believes is primary; a not_primary answer redirects it,
// a timeout moves it to the next replica. Retries reuse (client, sequence), so the primary's
// sessions apply a request at most once. After attempts_max tries it gives up with `info`: the
// request may still have been applied. Buggify site primary_backup.client_impatient_retry
// (client layer) resends a request to the same replica 1 ms after sending it.
#pragma once

#include "protocols/kv/kv_client.h"
#include "protocols/primary_backup/messages.h"

namespace faultline::primary_backup {

struct ClientOptions {
    std::vector<std::string> replicas;
    Duration call_timeout = milliseconds(200);
    Duration retry_backoff = milliseconds(20);
    int attempts_max = 10;
};

class PbClient final : public kv::KvClient {
public:
    PbClient(Context& ctx, ClientOptions options);
    kv::KvResult execute(const kv::KvOp& op) override;

private:
    Context& ctx_;
    ClientOptions o_;
    std::vector<NodeId> replicas_;
    std::size_t target_ = 0;
    uint64_t client_id_ = 0;
    uint64_t sequence_ = 0;
};

}  // namespace faultline::primary_backup
