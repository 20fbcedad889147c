// KeyChooser: which key the next operation touches, uniformly or Zipf-distributed.
//
// Zipf with exponent s over n keys: P(key i) proportional to 1 / (i + 1)^s, so key 0 is the
// hottest. The cumulative table is built once (n is small: a workload's key space); a draw is
// one uniform real and a binary search, from the caller's rng stream. Our own code, no std::
// distributions (their output differs between standard libraries).
#pragma once

#include "sim/rng.h"

#include <string>
#include <vector>

namespace faultline::kv {

enum class KeyDistribution : uint8_t { uniform, zipfian };

class KeyChooser {
public:
    KeyChooser(int key_count, KeyDistribution distribution, double zipf_exponent = 1.0);
    int next_index(Rng& rng) const;
    std::string next(Rng& rng) const { return key_name(next_index(rng)); }
    static std::string key_name(int index) { return "k" + std::to_string(index); }
    int key_count() const { return key_count_; }

private:
    int key_count_;
    KeyDistribution distribution_;
    std::vector<double> cumulative_;  // zipfian only; cumulative_.back() == 1
};

}  // namespace faultline::kv
