// Lab 04's reference plug-in: the starter's entry.cpp plus the `mistake` option.
#include "lab_entry.h"

namespace faultline::lab04 {

plugin::ProtocolEntry entry() {
    return raft_lab::lab_entry({"lab04",
                                "lab 04: Raft leader election, with the term and vote persisted",
                                false,
                                {},
                                {"nothing_persisted", "vote_not_recorded", "votes_counted_twice", "leader_runs_elections"}});
}

}  // namespace faultline::lab04
