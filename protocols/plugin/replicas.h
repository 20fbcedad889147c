// Helpers for BuiltSystems whose servers each run one process type T (a RaftNode, a Replica, ...):
// roles and replica states read from each live server, in the order of `servers`.
#pragma once

#include "protocols/plugin/protocol_entry.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace faultline::plugin {

// Calls f(id, const T&) for each server that is up and runs a T, in `servers` order.
template <typename T, typename F>
void for_each_live(const ClusterView& c, const std::vector<NodeId>& servers, F&& f) {
    for (NodeId id : servers)
        if (const T* p = c.is_up(id) ? c.process_as<T>(id) : nullptr) f(id, *p);
}

// BuiltSystem::roles from role_of(const T&) -> role name.
template <typename T, typename RoleOf>
std::function<std::map<std::string, std::vector<NodeId>>(const ClusterView&)> roles_by(std::vector<NodeId> servers,
                                                                                          RoleOf role_of) {
    return [servers = std::move(servers), role_of](const ClusterView& c) {
        std::map<std::string, std::vector<NodeId>> out;
        for_each_live<T>(c, servers, [&](NodeId id, const T& p) { out[std::string(role_of(p))].push_back(id); });
        return out;
    };
}

// BuiltSystem::replica_states from role_of(const T&) and data_of(const T&) -> a key -> value map
// (one value per key: a protocol with siblings writes its own).
template <typename T, typename RoleOf, typename DataOf>
std::function<std::vector<ReplicaState>(const ClusterView&)> replica_states_by(std::vector<NodeId> servers, RoleOf role_of,
                                                                               DataOf data_of) {
    return [servers = std::move(servers), role_of, data_of](const ClusterView& c) {
        std::vector<ReplicaState> out;
        for_each_live<T>(c, servers, [&](NodeId id, const T& p) {
            ReplicaState r{id, std::string(role_of(p)), {}};
            for (const auto& [key, value] : data_of(p)) r.values[key] = {value};
            out.push_back(std::move(r));
        });
        return out;
    };
}

// BuiltSystem::replicas_agree for the states of replica_states_by: data_of(const T&) of every
// live server compares equal (data_of returns a reference, so nothing is copied).
template <typename T, typename DataOf>
std::function<bool(const ClusterView&)> replicas_agree_by(std::vector<NodeId> servers, DataOf data_of) {
    return [servers = std::move(servers), data_of](const ClusterView& c) {
        const T* first = nullptr;
        bool agree = true;
        for_each_live<T>(c, servers, [&](NodeId, const T& p) {
            if (!agree) return;
            if (first == nullptr) first = &p;
            else agree = data_of(p) == data_of(*first);
        });
        return agree;
    };
}

}  // namespace faultline::plugin
