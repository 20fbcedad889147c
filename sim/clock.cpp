#include "sim/clock.h"

#include "sim/assert.h"

#include <cmath>

namespace faultline {

namespace {
int64_t ppm_to_ppb(double ppm) {
    FL_ASSERT(std::isfinite(ppm), "clock drift must be finite");
    FL_ASSERT(ppm > -1e6 && ppm < 1e6, "clock drift {} ppm is out of range (-1e6, 1e6)", ppm);
    return static_cast<int64_t>(std::llround(ppm * 1000.0));
}
}  // namespace

LocalClock::LocalClock(Duration offset, double drift_ppm)
    : base_true_(Instant::zero()), base_local_(Instant::zero() + offset), drift_ppb_(ppm_to_ppb(drift_ppm)) {}

Instant LocalClock::drifted(Instant t) const {
    __int128 elapsed = static_cast<__int128>(t.ns()) - base_true_.ns();
    __int128 scaled = elapsed + (elapsed * drift_ppb_) / 1'000'000'000;
    return Instant::from_ns(static_cast<int64_t>(base_local_.ns() + scaled));
}

Instant LocalClock::true_time_for(Instant deadline) const {
    if (deadline <= base_local_) return base_true_;
    // Solve elapsed * (1e9 + ppb) / 1e9 >= want for the smallest integer elapsed, then correct
    // for the truncation in local() by stepping forward (at most a couple of steps).
    __int128 want = static_cast<__int128>(deadline.ns()) - base_local_.ns();
    __int128 rate = 1'000'000'000 + drift_ppb_;
    FL_ASSERT(rate > 0, "clock rate must be positive");
    __int128 elapsed = (want * 1'000'000'000 + rate - 1) / rate;
    if (elapsed > 0) --elapsed;
    Instant t = Instant::from_ns(static_cast<int64_t>(base_true_.ns() + elapsed));
    int guard = 0;
    while (local(t) < deadline) {
        t = t + nanoseconds(1);
        FL_ASSERT(++guard < 8, "clock inverse did not converge");
    }
    return t;
}

void LocalClock::jump(Instant now, Duration delta) {
    Instant reading = local(now);
    base_true_ = now;
    base_local_ = reading + delta;
}

void LocalClock::set_drift(Instant now, double drift_ppm) {
    Instant reading = local(now);
    base_true_ = now;
    base_local_ = reading;
    drift_ppb_ = ppm_to_ppb(drift_ppm);
}

}  // namespace faultline
