#include "protocols/crdt/dot_context.h"

#include "sim/assert.h"

namespace faultline::crdt {

std::string Dot::text() const { return escape(replica) + ':' + std::to_string(counter); }

std::optional<Dot> Dot::parse(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto replica = unescape(text.substr(0, colon));
    auto counter = parse_u64(text.substr(colon + 1));
    if (!replica || replica->empty() || !counter || *counter == 0 || *counter > count_max) return std::nullopt;
    return Dot{std::move(*replica), *counter};
}

bool DotContext::contains(const Dot& d) const {
    auto it = prefix_.find(d.replica);
    if (it != prefix_.end() && d.counter <= it->second) return true;
    return cloud_.count(d) != 0;
}

void DotContext::insert(const Dot& d) {
    FL_ASSERT(d.counter >= 1 && d.counter <= count_max, "dot {} has a counter out of range", d.text());
    if (contains(d)) return;
    cloud_.insert(d);
    compact();
    FL_ASSERT(cloud_.size() <= cloud_max, "a causal context holds more than {} loose dots", cloud_max);
}

bool DotContext::merge(const DotContext& other) {
    bool changed = false;
    for (const auto& [replica, n] : other.prefix_) {
        uint64_t& mine = prefix_[replica];
        if (mine < n) {
            mine = n;
            changed = true;
        }
    }
    for (const Dot& d : other.cloud_) {
        if (contains(d)) continue;
        cloud_.insert(d);
        changed = true;
    }
    compact();
    FL_ASSERT(prefix_.size() <= replicas_max, "a causal context names more than {} replicas", replicas_max);
    FL_ASSERT(cloud_.size() <= cloud_max, "a causal context holds more than {} loose dots", cloud_max);
    return changed;
}

uint64_t DotContext::max(const std::string& replica) const {
    auto it = prefix_.find(replica);
    uint64_t out = it == prefix_.end() ? 0 : it->second;
    // The cloud is ordered by (replica, counter): the last dot of `replica` is the highest.
    auto after = cloud_.lower_bound(Dot{replica + '\0', 0});
    if (after != cloud_.begin()) {
        const Dot& last = *std::prev(after);
        if (last.replica == replica && last.counter > out) out = last.counter;
    }
    return out;
}

void DotContext::compact() {
    // In (replica, counter) order, so each replica's cloud dots come up in increasing counter
    // order and a run of consecutive dots folds into the prefix in one pass.
    for (auto it = cloud_.begin(); it != cloud_.end();) {
        uint64_t& prefix = prefix_[it->replica];
        if (it->counter == prefix + 1) prefix = it->counter;
        if (it->counter <= prefix) {
            it = cloud_.erase(it);
        } else {
            if (prefix == 0) prefix_.erase(it->replica);
            ++it;
        }
    }
}

std::string DotContext::encode() const {
    std::string out = encode_counts(prefix_) + ';';
    bool first = true;
    for (const Dot& d : cloud_) {
        if (!first) out += ',';
        out += d.text();
        first = false;
    }
    return out;
}

std::optional<DotContext> DotContext::decode(std::string_view text) {
    const std::size_t semicolon = text.find(';');
    if (semicolon == std::string_view::npos) return std::nullopt;
    auto prefix = decode_counts(text.substr(0, semicolon));
    if (!prefix) return std::nullopt;
    DotContext out;
    out.prefix_ = std::move(*prefix);
    const std::vector<std::string_view> dots = split(text.substr(semicolon + 1), ',');
    if (dots.size() > cloud_max) return std::nullopt;
    for (std::string_view item : dots) {
        auto d = Dot::parse(item);
        if (!d || !out.cloud_.insert(*d).second) return std::nullopt;
    }
    // Canonical only: compact() must have nothing to fold.
    const DotContext as_read = out;
    out.compact();
    if (!(out == as_read)) return std::nullopt;
    return out;
}

}  // namespace faultline::crdt
