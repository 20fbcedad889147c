// Lab 06's reference (instructors' copy): quorums and read repair.
#include "node.h"
#include "planted.h"

#include <algorithm>

namespace faultline::lab06 {

namespace {

// The versions none of the replies superseded: every reply kept in turn.
std::vector<Version> merged(const std::map<NodeId, std::vector<Version>>& replies) {
    std::vector<Version> out;
    for (const auto& [replica, versions] : replies)
        for (const Version& v : versions) keep(out, v);
    return out;
}

bool same_versions(std::vector<Version> a, std::vector<Version> b) {
    const auto by_dot = [](const Version& x, const Version& y) { return x.dot < y.dot; };
    std::sort(a.begin(), a.end(), by_dot);
    std::sort(b.begin(), b.end(), by_dot);
    return a == b;
}

}  // namespace

void keep(std::vector<Version>& held, const Version& incoming) {
    if (planted("last_arrival_wins")) {
        held = {incoming};
        return;
    }
    for (const Version& h : held)
        if (h.dot == incoming.dot || h.supersedes(incoming)) return;
    std::erase_if(held, [&](const Version& h) { return incoming.supersedes(h); });
    held.push_back(incoming);
}

void Node::on_held_versions(Context& ctx, NodeId, PendingRead& read) {
    const int needed = planted("one_reply") ? 1 : settings_.r;
    if (!read.answered && static_cast<int>(read.replies.size()) >= needed) answer(ctx, read, merged(read.replies));
    if (static_cast<int>(read.replies.size()) < servers() || planted("no_read_repair")) return;
    const std::vector<Version> all = merged(read.replies);
    for (const auto& [replica, versions] : read.replies)
        if (planted("repairs_every_replica") || !same_versions(versions, all)) repair(ctx, replica, read.key, all);
}

void Node::on_stored(Context& ctx, PendingWrite& write) {
    const int needed = planted("one_reply") ? 1 : settings_.w;
    if (!write.answered && write.acks >= needed) answer(ctx, write);
}

}  // namespace faultline::lab06
