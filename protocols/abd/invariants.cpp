// majority_holds_what_completed: when a put completes, its tag is held (or passed) by a majority
// of the servers; when a get completes, so is the tag of the value it returns. This is the whole
// of ABD's argument: any later operation queries a majority, which meets that one, so nothing
// older can be returned afterwards.
//
// Read from annotations: a server emits "store" "<key> <tag>" each time it keeps a newer tag, a
// client "complete" "<key> <tag>" just before an operation completes ok (client.cpp). A server
// whose disk lost data (a wipe, a lost fsync, a torn or corrupt record) forgets what it held.
// The planted bug read_skips_write_back breaks it whenever a get returns a tag only a minority
// holds.
#include "protocols/abd/invariants.h"

#include "protocols/abd/messages.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <utility>

namespace faultline::abd {

namespace {

// "<key> <counter>@<writer>" -> (key, tag).
std::optional<std::pair<std::string, Tag>> parse(std::string_view text) {
    const auto space = text.find(' ');
    const auto at = text.find('@', space);
    if (space == std::string_view::npos || at == std::string_view::npos) return std::nullopt;
    Tag t;
    const auto [end, err] = std::from_chars(text.data() + space + 1, text.data() + at, t.counter);
    if (err != std::errc() || end != text.data() + at) return std::nullopt;
    t.writer = std::string(text.substr(at + 1));
    if (t.writer == "-") t.writer.clear();
    return std::pair(std::string(text.substr(0, space)), t);
}

class AbdInvariants final : public plugin::InvariantMonitor {
public:
    explicit AbdInvariants(std::vector<NodeId> servers) : servers_(std::move(servers)) {}

    void attach(const plugin::ClusterView& cluster) override {
        cluster_ = &cluster;
        cluster.trace().add_observer([this](const TraceEvent& e, const Trace& t) {
            if (plugin::disk_lost_data(e.kind)) {
                plugin::erase_node(held_, e.node);
                return;
            }
            if (e.kind != EventKind::annotate) return;
            const std::string_view name = t.name(e.name);
            if (name != "store" && name != "complete") return;
            auto parsed = parse(e.text);
            if (!parsed) return;
            auto& [key, tag] = *parsed;
            if (name == "store") {
                held_[{e.node, key}] = tag;
                return;
            }
            std::size_t holders = 0;
            for (NodeId s : servers_)
                if (auto it = held_.find({s, key}); it != held_.end() && tag <= it->second) ++holders;
            if (tag.counter > 0 && holders < servers_.size() / 2 + 1)
                report("majority_holds_what_completed",
                       fmt::format("{} completed an operation on {} with tag {}, which only {} of {} servers hold",
                                   cluster_->node_name(e.node), key, tag.text(), holders, servers_.size()),
                       e.time, e.index);
        }, plugin::disk_lost_data_kinds | EventKinds{EventKind::annotate});
    }

private:
    std::vector<NodeId> servers_;
    const plugin::ClusterView* cluster_ = nullptr;
    std::map<std::pair<NodeId, std::string>, Tag> held_;
};

}  // namespace

std::unique_ptr<plugin::InvariantMonitor> invariants(std::vector<NodeId> servers) {
    return std::make_unique<AbdInvariants>(std::move(servers));
}

}  // namespace faultline::abd
