#include "sim/latency.h"

#include "sim/assert.h"

#include <cmath>
#include <fmt/format.h>

namespace faultline {

Duration LatencyModel::sample(Rng& rng) const {
    double ns = 0;
    switch (kind) {
        case Kind::constant: return base;
        case Kind::uniform:
            FL_ASSERT(spread >= Duration::zero(), "uniform latency: hi < lo");
            return base + nanoseconds(rng.uniform_int(0, spread.ns()));
        case Kind::exponential: ns = static_cast<double>(base.ns()) + rng.exponential(static_cast<double>(spread.ns())); break;
        case Kind::normal: ns = rng.normal(static_cast<double>(base.ns()), static_cast<double>(spread.ns())); break;
        case Kind::long_tail: ns = static_cast<double>(base.ns()) * rng.pareto(1.0, shape); break;
    }
    double lo = static_cast<double>(floor.ns());
    double hi = static_cast<double>(cap.ns());
    if (!(ns >= lo)) ns = lo;  // also catches NaN
    if (ns > hi) ns = hi;
    return nanoseconds(static_cast<int64_t>(std::llround(ns)));
}

std::string LatencyModel::describe() const {
    switch (kind) {
        case Kind::constant: return fmt::format("constant {}", to_string(base));
        case Kind::uniform: return fmt::format("uniform [{}, {}]", to_string(base), to_string(base + spread));
        case Kind::exponential: return fmt::format("{} + exp(mean {})", to_string(base), to_string(spread));
        case Kind::normal: return fmt::format("normal({}, sd {})", to_string(base), to_string(spread));
        case Kind::long_tail: return fmt::format("{} x pareto({}) cap {}", to_string(base), shape, to_string(cap));
    }
    return "?";
}

}  // namespace faultline
