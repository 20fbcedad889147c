#include "protocols/dynamo/messages.h"

#include <fmt/format.h>

namespace faultline::dynamo {

namespace {
std::string values_text(const Siblings& s) {
    std::string out;
    for (const std::string& v : values_of(s)) out += (out.empty() ? "" : "|") + v;
    return out.empty() ? "-" : out;
}
}  // namespace

std::string ClientRequest::describe() const {
    return context.empty() ? op.describe() : fmt::format("{} ctx[{}]", op.describe(), context.text());
}

std::string ClientReply::describe() const {
    if (result.outcome != ClientOutcome::ok) return std::string(to_string(result.outcome));
    if (!result.siblings.empty()) return fmt::format("ok siblings {}", fmt::join(result.siblings, "|"));
    return result.found ? fmt::format("ok {}", result.value) : "ok";
}

std::string Replicate::describe() const {
    return fmt::format("#{} {}={}{}{}", request, key, values_text(versions), hint_for.empty() ? "" : " hint for " + hint_for,
                       force ? " FORCE" : "");
}

std::string ReplicateAck::describe() const { return fmt::format("#{}", request); }
std::string Read::describe() const { return fmt::format("#{} {}", request, key); }
std::string ReadReply::describe() const { return fmt::format("#{} {}", request, values_text(versions)); }
std::string MerkleOffer::describe() const { return fmt::format("root {:016x}", tree.empty() ? 0 : tree[0]); }
std::string MerkleDiff::describe() const { return fmt::format("{} leaves, {} keys", leaves.size(), entries.size()); }
std::string MerkleRepair::describe() const { return fmt::format("{} keys", entries.size()); }

}  // namespace faultline::dynamo
