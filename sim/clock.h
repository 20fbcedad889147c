// LocalClock: a node's own clock, with offset, drift and jumps.
//
// Model: local(t) = base_local + (t - base_true) * (1 + drift_ppb / 1e9), in integer arithmetic
// (128-bit intermediates), piecewise over changes. A change (jump, new drift, new offset) at true
// time `now` re-bases the line at `now`, so the clock is continuous across a drift change and
// steps by exactly the jump on a jump. With drift > -1e9 ppb the clock is strictly increasing
// between changes, so a local deadline maps back to one earliest true time (true_time_for).
//
// Node code sees only local(); timers are set in local time and the kernel maps them to true
// time, re-mapping pending timers whenever the clock changes. True time belongs to the kernel.
#pragma once

#include "sim/time.h"

#include <cstdint>

namespace faultline {

class LocalClock {
public:
    LocalClock() = default;
    // A clock that reads `offset` ahead of true time at true time zero, drifting by `drift_ppm`.
    LocalClock(Duration offset, double drift_ppm);

    // Inline for the common case (no drift), which every traced event of a node reads.
    Instant local(Instant true_now) const {
        if (drift_ppb_ == 0) return base_local_ + (true_now - base_true_);
        return drifted(true_now);
    }
    // The earliest true time t >= base at which local(t) >= local_deadline.
    Instant true_time_for(Instant local_deadline) const;

    // Steps the clock by `delta` (negative: backwards) at true time `now`.
    void jump(Instant now, Duration delta);
    // Changes the drift rate at `now`; the reading stays continuous.
    void set_drift(Instant now, double drift_ppm);
    double drift_ppm() const { return static_cast<double>(drift_ppb_) / 1000.0; }
    // Offset of the reading from true time at `now` (local - true).
    Duration offset(Instant now) const { return local(now) - now; }

private:
    Instant drifted(Instant true_now) const;

    Instant base_true_;
    Instant base_local_;
    int64_t drift_ppb_ = 0;
};

}  // namespace faultline
