// Lab 05's plug-in: the Raft labs' plug-in (lab_entry.h) as `lab05`, serving clients. You need
// not change it.
#include "client.h"
#include "lab_entry.h"

namespace faultline::lab05 {

namespace {
std::unique_ptr<kv::KvClient> client(Context& ctx, const std::vector<std::string>& servers,
                                     const plugin::ClientSettings& s) {
    return std::make_unique<raft_lab::Client>(ctx, servers, s.attempt_timeout, s.attempts_max);
}
}  // namespace

plugin::ProtocolEntry entry() {
    return raft_lab::lab_entry({"lab05", "lab 05: Raft log replication and a linearizable key-value store", true, client, {}});
}

}  // namespace faultline::lab05
