// Hinted handoff: a server that stored a write while standing in for a silent replica keeps a
// hint (replica, key), and every handoff_ms offers the key's versions to that replica. Once the
// replica acknowledges, the hint is dropped, and so is the key when this server is not one of its
// own replicas. (server.h tells the whole story.)
#include "protocols/dynamo/server.h"

namespace faultline::dynamo {

namespace {
std::string hint_record(const std::string& replica, const std::string& key) { return "h/" + replica + "/" + key; }
}  // namespace

void Server::keep_hint(Context& ctx, const std::string& replica, const std::string& key) {
    if (!hints_.emplace(replica, key).second) return;
    ++hinted_writes_;
    ctx.disk().write(hint_record(replica, key), "");
    ctx.sync();
}

void Server::hand_off(Context& ctx) {
    // The planted bug: hints pile up and the replicas they were meant for never get the writes
    // (only read repair and anti-entropy can still bring them).
    if (o_.hints_never_handed_off) return;
    handoffs_.clear();  // unanswered offers are made again below
    for (const auto& [replica, key] : hints_) {
        auto it = data_.find(key);
        auto to = ctx.find_node(replica);
        if (it == data_.end() || !to) continue;
        const uint64_t id = next_request_++;
        handoffs_[id] = {replica, key, it->second};
        ctx.send(*to, Replicate{id, key, it->second, "", false});
    }
}

void Server::on_handoff_ack(Context& ctx, uint64_t request, NodeId from) {
    auto it = handoffs_.find(request);
    const Handoff h = std::move(it->second);
    handoffs_.erase(it);
    const std::string& replica = h.replica;
    const std::string& key = h.key;
    if (name_of(from) != replica) return;
    // Versions that arrived after the offer was sent are still owed: keep the hint for the next
    // round.
    if (auto held = data_.find(key); held != data_.end() && !covers(o_.conflicts, h.sent, held->second)) return;
    if (!hints_.erase({replica, key})) return;
    ctx.disk().erase(hint_record(replica, key));
    ctx.logf("handed {} back to {}", key, replica);
    bool still_hinted = false;
    for (const auto& [r, k] : hints_) still_hinted |= k == key;
    if (!still_hinted && !replicates(my_id_, key)) return forget(ctx, key);
    ctx.sync();
}

}  // namespace faultline::dynamo
