// versions_never_regress: what a replica holds for a key only ever moves forward. Each time a
// replica changes a key it annotates the trace with "store" and the key's versions as stamps
// (server.cpp, stamps_text: "<stamp_ns>/<stamp_node>/<vector>" per sibling). Between two stores
// of the same key on the same replica:
//   lww  the single version's (stamp, node) never decreases;
//   vv   every old sibling's vector is covered by (equal to or happened before) some new one.
// A replica forgets legitimately only when its disk loses data (a wipe, or a crash after a lost
// fsync, a torn or corrupt record; stores sync before they acknowledge, so a crash alone loses
// nothing): its history restarts there. The planted bug
// read_repair_overwrites_newer breaks this invariant whenever the first reply a coordinator gets
// is older than another's.
#include "protocols/dynamo/invariants.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <utility>

namespace faultline::dynamo {

namespace {

struct Stamp {
    int64_t ns = 0;
    uint64_t node = 0;
    VersionVector clock;
    std::string text;
};

std::vector<Stamp> parse_stamps(std::string_view text) {
    std::vector<Stamp> out;
    std::istringstream in{std::string(text)};
    std::string word;
    while (in >> word) {
        Stamp s;
        s.text = word;
        const auto a = word.find('/');
        const auto b = word.find('/', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        s.ns = std::strtoll(word.substr(0, a).c_str(), nullptr, 10);
        s.node = std::strtoull(word.substr(a + 1, b - a - 1).c_str(), nullptr, 10);
        const std::string clock = word.substr(b + 1);
        if (clock != "-")
            if (auto v = VersionVector::parse(clock)) s.clock = *v;
        out.push_back(std::move(s));
    }
    return out;
}

bool regressed(ConflictMode mode, const std::vector<Stamp>& before, const std::vector<Stamp>& after, std::string& which) {
    if (mode == ConflictMode::lww) {
        if (before.empty() || after.empty()) return false;
        const Stamp& b = before.front();
        const Stamp& a = after.front();
        if (std::pair(a.ns, a.node) >= std::pair(b.ns, b.node)) return false;
        which = b.text;
        return true;
    }
    for (const Stamp& old : before) {
        bool covered = false;
        for (const Stamp& now : after) {
            const Causality c = old.clock.compare(now.clock);
            if (c == Causality::equal || c == Causality::before) covered = true;
        }
        if (!covered) {
            which = old.text;
            return true;
        }
    }
    return false;
}

class DynamoInvariants final : public plugin::InvariantMonitor {
public:
    explicit DynamoInvariants(ConflictMode mode) : mode_(mode) {}

    void attach(const plugin::ClusterView& cluster) override {
        cluster_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) {
            if (plugin::disk_lost_data(e.kind)) {
                plugin::erase_node(held_, e.node);
                return;
            }
            if (e.kind != EventKind::annotate) return;
            const std::string_view name = t.name(e.name);
            if (name == "drop") {
                held_.erase({e.node, std::string(e.text)});
                return;
            }
            if (name != "store") return;
            const std::string_view text = e.text;
            const auto space = text.find(' ');
            std::string key(text.substr(0, space));
            std::vector<Stamp> now = parse_stamps(space == std::string_view::npos ? "" : text.substr(space + 1));
            auto& before = held_[{e.node, key}];
            std::string which;
            if (regressed(mode_, before, now, which))
                report("versions_never_regress",
                       fmt::format("{} replaced {}'s version {} with the older or unrelated {}", cluster_->node_name(e.node),
                                   key, which, text.substr(space + 1)),
                       e.time, e.index);
            before = std::move(now);
        }, plugin::disk_lost_data_kinds | EventKinds{EventKind::annotate});
    }

private:
    ConflictMode mode_;
    const plugin::ClusterView* cluster_ = nullptr;
    std::map<std::pair<NodeId, std::string>, std::vector<Stamp>> held_;
};

}  // namespace

std::unique_ptr<plugin::InvariantMonitor> invariants(ConflictMode mode) { return std::make_unique<DynamoInvariants>(mode); }

}  // namespace faultline::dynamo
