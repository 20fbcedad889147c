#include "sim/link_spec.h"

#include "sim/assert.h"

#include <cmath>

namespace faultline {

namespace {
Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }
}  // namespace

bool set_link_number(LinkSpec& s, std::string_view key, double v) {
    if (key == "latency_ms") s.latency_ms = v;
    else if (key == "latency_spread_ms") s.latency_spread_ms = v;
    else if (key == "latency_shape") s.latency_shape = v;
    else if (key == "latency_cap_ms") s.latency_cap_ms = v;
    else if (key == "loss") s.loss = v;
    else if (key == "duplicate") s.duplicate = v;
    else if (key == "reorder") s.reorder = v;
    else if (key == "reorder_window_ms") s.reorder_window_ms = v;
    else return false;
    return true;
}

LinkConfig link_config(const LinkSpec& s) {
    LinkConfig c;
    if (s.latency == "constant") c.latency = LatencyModel::constant(ms(s.latency_ms));
    else if (s.latency == "uniform") c.latency = LatencyModel::uniform(ms(s.latency_ms), ms(s.latency_ms + s.latency_spread_ms));
    else if (s.latency == "exponential") c.latency = LatencyModel::exponential(ms(s.latency_ms), ms(s.latency_spread_ms));
    else if (s.latency == "normal") c.latency = LatencyModel::normal(ms(s.latency_ms), ms(s.latency_spread_ms));
    else if (s.latency == "long_tail") c.latency = LatencyModel::long_tail(ms(s.latency_ms), s.latency_shape, ms(s.latency_cap_ms));
    else FL_ASSERT(false, "unknown latency model '{}' passed validation", s.latency);
    c.loss = s.loss;
    c.duplicate = s.duplicate;
    c.reorder = s.reorder;
    c.reorder_window = ms(s.reorder_window_ms);
    return c;
}

}  // namespace faultline
