// state_only_grows: what a replica holds for a key only moves up the join order. Each time a
// server changes a key's state it annotates the trace with "state" = "<escaped key> <encoded
// state>" (server.cpp, absorb). Between two annotations of the same key on the same node, the
// new state must hold everything the old one did: old ⊑ new, i.e. old ⊔ new == new
// (KeyState::covered_by). A join is monotone by construction and a delta-mutator's delta joins
// in, so a correct server never breaks this; a merge that forgets (a dot dropped that the other
// side never saw, a counter entry lowered) does.
// A replica forgets legitimately only when its disk loses data: a wipe, or a crash that drops
// unsynced writes, tears one or corrupts a block (every change is synced before anyone is told
// of it, so a plain crash loses nothing). Its history restarts there.
#include "protocols/crdt/invariants.h"

#include "protocols/crdt/text_codec.h"

#include <fmt/format.h>

#include <map>
#include <utility>

namespace faultline::crdt {

namespace {

class CrdtInvariants final : public plugin::InvariantMonitor {
public:
    explicit CrdtInvariants(CrdtType type) : type_(type) {}

    void attach(const plugin::ClusterView& cluster) override {
        cluster_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) {
            if (plugin::disk_lost_data(e.kind)) {
                plugin::erase_node(held_, e.node);
                return;
            }
            if (e.kind == EventKind::annotate && t.name(e.name) == "state") on_state(e);
        }, plugin::disk_lost_data_kinds | EventKinds{EventKind::annotate});
    }

private:
    void on_state(const TraceEvent& e) {
        const std::string_view text = e.text;
        const std::size_t space = text.find(' ');
        auto key = unescape(text.substr(0, space));
        auto now = space == std::string_view::npos ? std::nullopt : KeyState::decode(type_, text.substr(space + 1));
        if (!key || !now) {
            report("state_only_grows", fmt::format("{} annotated a state that does not decode: {}", cluster_->node_name(e.node), text),
                   e.time, e.index);
            return;
        }
        auto [it, fresh] = held_.try_emplace({e.node, *key}, *now);
        if (fresh) return;
        if (!it->second.covered_by(*now))
            report("state_only_grows",
                   fmt::format("{} replaced its state of {} ({}) with one that lacks some of it ({})", cluster_->node_name(e.node),
                               *key, it->second.encode(), now->encode()),
                   e.time, e.index);
        it->second = std::move(*now);
    }

    CrdtType type_;
    const plugin::ClusterView* cluster_ = nullptr;
    std::map<std::pair<NodeId, std::string>, KeyState> held_;
};

}  // namespace

std::unique_ptr<plugin::InvariantMonitor> invariants(CrdtType type) { return std::make_unique<CrdtInvariants>(type); }

}  // namespace faultline::crdt
