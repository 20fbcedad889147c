// Lab 05's plug-in: the Raft labs' plug-in (lab_entry.h) as `lab05`, serving clients. You need
// not change it.
#include "client.h"
#include "lab_entry.h"

namespace faultline::lab05 {

plugin::ProtocolEntry entry() {
    return raft_lab::lab_entry({"lab05", "lab 05: Raft log replication and a linearizable key-value store", true, raft_lab::make_client, {}});
}

}  // namespace faultline::lab05
