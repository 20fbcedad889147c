// Lab 05's reference plug-in: the starter's entry.cpp plus the `mistake` option.
#include "client.h"
#include "lab_entry.h"

namespace faultline::lab05 {

plugin::ProtocolEntry entry() {
    return raft_lab::lab_entry({"lab05",
                                "lab 05: Raft log replication and a linearizable key-value store",
                                true,
                                raft_lab::make_client,
                                {"reads_not_logged", "entries_not_persisted", "no_log_check", "commit_old_term_entries"}});
}

}  // namespace faultline::lab05
