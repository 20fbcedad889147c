#include "protocols/crdt/g_counter.h"

#include "sim/assert.h"

namespace faultline::crdt {

GCounter GCounter::increment(const std::string& replica, uint64_t amount) const {
    FL_ASSERT(!replica.empty(), "an increment needs the replica's id");
    GCounter delta;
    if (amount == 0) return delta;
    auto it = counts_.find(replica);
    const uint64_t before = it == counts_.end() ? 0 : it->second;
    FL_ASSERT(amount <= count_max - before, "replica {}'s count {} + {} passes count_max: the store must refuse it first",
              replica, before, amount);
    FL_ASSERT(it != counts_.end() || counts_.size() < replicas_max, "more than {} replicas in one counter", replicas_max);
    delta.counts_[replica] = before + amount;
    return delta;
}

bool GCounter::merge(const GCounter& other) {
    bool changed = false;
    for (const auto& [replica, n] : other.counts_) {
        uint64_t& mine = counts_[replica];
        if (mine < n) {
            mine = n;
            changed = true;
        }
    }
    FL_ASSERT(counts_.size() <= replicas_max, "a join made {} replica entries (limit {})", counts_.size(), replicas_max);
    return changed;
}

uint64_t GCounter::total() const {
    // At most replicas_max entries of at most count_max each: below 2^63, no overflow.
    uint64_t sum = 0;
    for (const auto& [replica, n] : counts_) sum += n;
    return sum;
}

std::optional<GCounter> GCounter::decode(std::string_view text) {
    auto counts = decode_counts(text);
    if (!counts) return std::nullopt;
    GCounter out;
    out.counts_ = std::move(*counts);
    return out;
}

}  // namespace faultline::crdt
