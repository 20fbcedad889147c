#include "sim/clock.h"

#include "sim/assert.h"

#include <cmath>
#include <limits>

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
    // 64-bit when the product fits (always, for the drifts and spans a run has), else 128-bit:
    // both truncate toward zero, so the reading is the same either way.
    int64_t elapsed = t.ns() - base_true_.ns();
    int64_t product = 0, scaled = 0, reading = 0;
    if (!__builtin_mul_overflow(elapsed, drift_ppb_, &product) &&
        !__builtin_add_overflow(elapsed, product / 1'000'000'000, &scaled) &&
        !__builtin_add_overflow(base_local_.ns(), scaled, &reading))
        return Instant::from_ns(reading);
    __int128 wide = static_cast<__int128>(elapsed) + (static_cast<__int128>(elapsed) * drift_ppb_) / 1'000'000'000;
    return Instant::from_ns(static_cast<int64_t>(base_local_.ns() + wide));
}

Instant LocalClock::true_time_for(Instant deadline) const {
    if (deadline <= base_local_) return base_true_;
    // Solve elapsed * (1e9 + ppb) / 1e9 >= want for the smallest integer elapsed, then correct
    // for the truncation in local() by stepping forward (at most a couple of steps).
    // A deadline no true time of this run can reach (a timer "never", set near Instant::max())
    // saturates: it fires never. (The 128-bit form wrapped such a time around.)
    int64_t want = 0;  // > 0
    if (__builtin_sub_overflow(deadline.ns(), base_local_.ns(), &want)) return Instant::max();
    // No drift: local time runs with true time, and the loop below would land exactly here.
    int64_t at = 0;
    if (drift_ppb_ == 0) return __builtin_add_overflow(base_true_.ns(), want, &at) ? Instant::max() : Instant::from_ns(at);
    const int64_t rate = 1'000'000'000 + drift_ppb_;
    FL_ASSERT(rate > 0, "clock rate must be positive");
    // ceil(want * 1e9 / rate), split as want = q * rate + r so that every product fits 64 bits
    // (r * 1e9 < rate * 1e9 < 2^63); the 128-bit form only when q * 1e9 would not fit. The
    // same integer either way (tests/sim/clock_test.cpp holds the 128-bit reference).
    int64_t elapsed = 0;
    const int64_t q = want / rate, r = want % rate;
    if (__builtin_mul_overflow(q, int64_t{1'000'000'000}, &elapsed) ||
        __builtin_add_overflow(elapsed, (r * 1'000'000'000 + rate - 1) / rate, &elapsed)) {
        __int128 wide = (static_cast<__int128>(want) * 1'000'000'000 + rate - 1) / rate;
        if (wide > std::numeric_limits<int64_t>::max()) return Instant::max();
        elapsed = static_cast<int64_t>(wide);
    }
    if (elapsed > 0) --elapsed;
    if (__builtin_add_overflow(base_true_.ns(), elapsed, &at) || at == std::numeric_limits<int64_t>::max())
        return Instant::max();
    Instant t = Instant::from_ns(at);
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
