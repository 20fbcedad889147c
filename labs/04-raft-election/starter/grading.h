// What the Raft labs' grader watches (the plug-in's invariant monitor and figures). You need not
// change or read this file; the handout says what each check means.
//
// Invariants, checked as the run goes, from what node.cpp reports to the trace:
//   election_safety        at most one leader per term
//   one_vote_per_term      a server votes for at most one candidate per term, even across a crash
//   term_never_decreases   a server's term never goes back, even across a crash
//   state_machine_safety   (lab 05) no two servers commit different entries at one index
//   leader_commits_own_term  (lab 05) a leader moves its commit index only onto an entry of its
//                          own term (Figure 2's last rule for leaders; Figure 8 shows why)
//
// Figures, at the end of the run. "The cluster has a leader" while some server is leader in a
// term that a majority of all servers are in:
//   first_leader_ms   when the cluster first had a leader (the whole run if never)
//   longest_gap_ms    the longest stretch without a leader after the first one
//   leader_changes    how many leaders (server and term) the cluster had
//   leaders_at_end    servers that believe they lead, at the end (a stale leader counts)
#pragma once

#include "protocols/plugin/protocol_entry.h"

#include <memory>
#include <string>
#include <vector>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

std::vector<std::string> invariant_names(bool logs);
std::vector<scenario::FigureSpec> figure_specs();

// The monitor and the figures of one run; `logs`: also check committed entries (lab 05).
struct Grading {
    std::unique_ptr<plugin::InvariantMonitor> invariants;
    std::function<std::map<std::string, double>(const plugin::FigureInputs&)> figures;
};
Grading grading(std::vector<NodeId> servers, bool logs);

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
