// LatencyModel: how long one message takes on a link, one draw per message.
//
// Kinds (all parameters in nanoseconds of virtual time; draws come from the sender's network
// stream, so they are reproducible per seed):
// - constant:    always `base`.
// - uniform:     uniform in [base, base + spread].
// - exponential: base + Exp(mean = spread).
// - normal:      Normal(base, spread) clipped below at `floor`.
// - long_tail:   base * Pareto(shape) (heavy tail: most messages near base, a few very late),
//                capped at `cap` so one message cannot stall a run forever.
// Every draw is at least `floor` (default 0) and at most `cap`.
#pragma once

#include "sim/rng.h"
#include "sim/time.h"

#include <string>

namespace faultline {

struct LatencyModel {
    enum class Kind : uint8_t { constant, uniform, exponential, normal, long_tail };
    Kind kind = Kind::constant;
    Duration base = milliseconds(1);
    Duration spread = Duration::zero();
    double shape = 2.0;  // long_tail only (Pareto alpha)
    Duration floor = Duration::zero();
    Duration cap = seconds(60);

    static LatencyModel constant(Duration d) { return {Kind::constant, d}; }
    static LatencyModel uniform(Duration lo, Duration hi) { return {Kind::uniform, lo, hi - lo}; }
    static LatencyModel exponential(Duration base, Duration mean_extra) { return {Kind::exponential, base, mean_extra}; }
    static LatencyModel normal(Duration mean, Duration stddev) { return {Kind::normal, mean, stddev}; }
    static LatencyModel long_tail(Duration base, double shape, Duration cap = seconds(10)) {
        LatencyModel m{Kind::long_tail, base};
        m.shape = shape;
        m.cap = cap;
        return m;
    }

    // Constant models draw nothing, so they leave the stream untouched.
    Duration sample(Rng& rng) const;
    std::string describe() const;
};

}  // namespace faultline
