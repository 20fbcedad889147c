#include "protocols/kv/key_chooser.h"

#include "sim/assert.h"

#include <algorithm>
#include <cmath>

namespace faultline::kv {

KeyChooser::KeyChooser(int key_count, KeyDistribution distribution, double zipf_exponent)
    : key_count_(key_count), distribution_(distribution) {
    FL_ASSERT(key_count > 0, "a workload needs at least one key");
    FL_ASSERT(key_count <= 1'000'000, "{} keys is beyond the workload's limit", key_count);
    if (distribution_ == KeyDistribution::zipfian) {
        FL_ASSERT(zipf_exponent > 0, "zipf exponent must be positive");
        cumulative_.resize(static_cast<std::size_t>(key_count));
        double total = 0;
        for (int i = 0; i < key_count; ++i) {
            total += 1.0 / std::pow(static_cast<double>(i + 1), zipf_exponent);
            cumulative_[static_cast<std::size_t>(i)] = total;
        }
        for (double& c : cumulative_) c /= total;
        cumulative_.back() = 1.0;
    }
}

int KeyChooser::next_index(Rng& rng) const {
    if (distribution_ == KeyDistribution::uniform) return static_cast<int>(rng.below(static_cast<uint64_t>(key_count_)));
    double u = rng.uniform_real();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    return static_cast<int>(std::min<std::ptrdiff_t>(it - cumulative_.begin(), key_count_ - 1));
}

}  // namespace faultline::kv
