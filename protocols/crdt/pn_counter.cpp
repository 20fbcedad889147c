#include "protocols/crdt/pn_counter.h"

#include "sim/assert.h"

namespace faultline::crdt {

PnCounter PnCounter::increment(const std::string& replica, int64_t amount) const {
    FL_ASSERT(amount >= -static_cast<int64_t>(count_max) && amount <= static_cast<int64_t>(count_max),
              "increment {} is beyond count_max: the store must refuse it first", amount);
    PnCounter delta;
    if (amount > 0) delta.up_ = up_.increment(replica, static_cast<uint64_t>(amount));
    if (amount < 0) delta.down_ = down_.increment(replica, static_cast<uint64_t>(-amount));
    return delta;
}

bool PnCounter::merge(const PnCounter& other) {
    const bool up = up_.merge(other.up_);
    const bool down = down_.merge(other.down_);
    return up || down;
}

int64_t PnCounter::total() const {
    // Each half is below 2^63 (GCounter::total), so the difference fits.
    return static_cast<int64_t>(up_.total()) - static_cast<int64_t>(down_.total());
}

std::string PnCounter::encode() const { return up_.encode() + '|' + down_.encode(); }

std::optional<PnCounter> PnCounter::decode(std::string_view text) {
    const std::size_t bar = text.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    auto up = GCounter::decode(text.substr(0, bar));
    auto down = GCounter::decode(text.substr(bar + 1));
    if (!up || !down) return std::nullopt;
    PnCounter out;
    out.up_ = std::move(*up);
    out.down_ = std::move(*down);
    return out;
}

}  // namespace faultline::crdt
