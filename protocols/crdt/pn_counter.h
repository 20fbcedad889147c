// PNCounter: a counter that goes up and down (Shapiro et al. 2011, §3.1.2), state-based: two
// grow-only counters, P for the increments and N for the decrements; the value is P - N. Each
// half joins as a GCounter does (pointwise maximum), so the pair does too.
#pragma once

#include "protocols/crdt/g_counter.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::crdt {

class PnCounter {
public:
    // The delta of `replica` adding `amount` (< 0: a decrement of -amount), |amount| <= count_max.
    PnCounter increment(const std::string& replica, int64_t amount) const;
    bool merge(const PnCounter& other);

    int64_t total() const;
    std::string value() const { return std::to_string(total()); }
    bool empty() const { return up_.empty() && down_.empty(); }
    const GCounter& increments() const { return up_; }
    const GCounter& decrements() const { return down_; }

    // "<P>|<N>", each as GCounter::encode writes it.
    std::string encode() const;
    static std::optional<PnCounter> decode(std::string_view text);
    bool operator==(const PnCounter&) const = default;

private:
    GCounter up_;    // P
    GCounter down_;  // N
};

}  // namespace faultline::crdt
