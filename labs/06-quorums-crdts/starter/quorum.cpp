// Part 1 (yours): a leaderless store's quorums and read repair. Read node.h first.
//
// What the starter does: a replica keeps only the last version to arrive, a get is answered with
// the first replica's versions (its own: R = 1), a put as soon as one replica keeps it (W = 1),
// and no replica is ever repaired.
#include "node.h"

namespace faultline::lab06 {

void keep(std::vector<Version>& held, const Version& incoming) {
    // TODO: if a held version is the same put (same dot) or supersedes `incoming`, change nothing.
    // Otherwise drop the held versions `incoming` supersedes and keep it beside the others (they
    // are its siblings). Version::supersedes tells.
    held = {incoming};
}

void Node::on_held_versions(Context& ctx, NodeId from, PendingRead& read) {
    // TODO: answer once settings_.r replicas answered (read.replies), with the versions none of
    // them superseded (keep() builds that set), and only once (read.answered). Replies keep
    // coming after the answer: once every replica answered (servers()), merge all of them the
    // same way and repair each replica whose versions differ from that merge of all N.
    if (!read.answered) answer(ctx, read, read.replies.at(from));
}

void Node::on_stored(Context& ctx, PendingWrite& write) {
    // TODO: answer once settings_.w replicas keep the new version (write.acks), and only once
    // (write.answered).
    if (!write.answered) answer(ctx, write);
}

}  // namespace faultline::lab06
