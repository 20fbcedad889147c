// Part 1 (yours): a leaderless store's quorums and read repair. Read node.h first.
//
// What the starter does: a replica keeps only the last version to arrive, a get is answered with
// the first replica's versions (its own: R = 1), a put as soon as one replica keeps it (W = 1),
// and no replica is ever repaired.
#include "node.h"

namespace faultline::lab06 {

void keep(std::vector<Version>& held, const Version& incoming) {
    // TODO: keep `incoming` beside the versions it does not supersede (siblings), unless a held
    // version is the same put or supersedes it (Version::supersedes).
    held = {incoming};
}

void Node::on_held_versions(Context& ctx, NodeId from, PendingRead& read) {
    // TODO: answer once settings_.r replicas answered (read.replies), with the versions none of
    // them superseded (keep() builds that set). Then, once every replica answered (servers()),
    // repair those whose versions differ from that set.
    if (!read.answered) answer(ctx, read, read.replies.at(from));
}

void Node::on_stored(Context& ctx, PendingWrite& write) {
    // TODO: answer once settings_.w replicas keep the new version (write.acks).
    if (!write.answered) answer(ctx, write);
}

}  // namespace faultline::lab06
