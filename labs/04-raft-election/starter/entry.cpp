// Lab 04's plug-in: the Raft labs' plug-in (lab_entry.h) as `lab04`, without clients. You need
// not change it.
#include "lab_entry.h"

namespace faultline::lab04 {

plugin::ProtocolEntry entry() {
    return raft_lab::lab_entry({"lab04", "lab 04: Raft leader election, with the term and vote persisted", false, {}, {}});
}

}  // namespace faultline::lab04
