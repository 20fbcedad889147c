// The Raft labs' plug-in (labs 04 and 05): the protocol's spec (options, roles, invariants,
// figures) and how a run builds it. Each lab's entry.cpp calls lab_entry. You need not change
// this file.
#pragma once

#include "protocols/plugin/protocol_entry.h"

#include <string>
#include <vector>

namespace faultline::raft_lab {
inline namespace RAFT_LAB {

struct LabSpec {
    std::string name;         // "lab04"
    std::string description;
    bool logs = false;        // lab 05: a replicated log serving clients (get, put, append, cas)
    std::function<std::unique_ptr<kv::KvClient>(Context&, const std::vector<std::string>& servers,
                                                const plugin::ClientSettings&)>
        make_client;          // lab 05
    std::vector<std::string> mistakes;  // the reference's typical partial solutions (option `mistake`)
};

plugin::ProtocolEntry lab_entry(LabSpec lab);

}  // namespace RAFT_LAB
}  // namespace faultline::raft_lab
