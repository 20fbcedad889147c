// LinkSpec: a link's behaviour as a scenario writes it (a latency model by name, numbers in
// milliseconds, probabilities), and its conversion to the kernel's LinkConfig. Scenarios use it
// for [network] and [[network.link]]; the link fault kind for what a link fault changes.
#pragma once

#include "sim/network.h"

#include <array>
#include <string>
#include <string_view>

namespace faultline {

struct LinkSpec {
    // latency model: "constant" | "uniform" | "exponential" | "normal" | "long_tail"
    std::string latency = "constant";
    double latency_ms = 1.0;         // constant: the latency; uniform: low; exponential: base;
                                     // normal: mean; long_tail: base
    double latency_spread_ms = 0.0;  // uniform: high - low; exponential: mean extra; normal: stddev
    double latency_shape = 2.0;      // long_tail: Pareto alpha
    double latency_cap_ms = 10'000;  // long_tail: cap
    double loss = 0;
    double duplicate = 0;
    double reorder = 0;
    double reorder_window_ms = 10;
};

// The latency models by name, and the LinkSpec fields as scenario keys.
inline constexpr std::array<std::string_view, 5> latency_models{"constant", "uniform", "exponential", "normal",
                                                                "long_tail"};
inline constexpr std::array<std::string_view, 9> link_keys{
    "latency", "latency_ms", "latency_spread_ms", "latency_shape", "latency_cap_ms",
    "loss",    "duplicate",  "reorder",           "reorder_window_ms"};

// Sets one numeric field by its key (a key of link_keys other than "latency"); false if unknown.
bool set_link_number(LinkSpec& spec, std::string_view key, double value);

// The kernel's LinkConfig for a validated spec (the latency model name must be known).
LinkConfig link_config(const LinkSpec& spec);

}  // namespace faultline
