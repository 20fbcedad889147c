// Rng: the one pseudo-random generator of a run, and our own distributions.
//
// Algorithm: xoshiro256** (Blackman & Vigna, 2018), 256-bit state, period 2^256-1, seeded through
// splitmix64 so that any 64-bit seed (including 0) gives a well-mixed state. We never use std::
// distributions: their output differs between standard libraries, which would break "a run is a
// pure function of (scenario, seed, build)". Every distribution below is written out here, and
// the floating-point ones use only IEEE operations plus log/sqrt/cos/pow from the C library of
// the build.
//
// Streams: a run derives an independent stream per subsystem and per node with
// Rng::derive(seed, "network", node_name). The derivation hashes the labels, not an index or a
// counter, so adding a node or a fault does not reshuffle any other stream's randomness.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline {

uint64_t splitmix64(uint64_t& state);
// 64-bit FNV-1a folded through splitmix: stable across builds and platforms.
uint64_t hash_label(std::string_view label, uint64_t salt = 0);

class Rng {
public:
    explicit Rng(uint64_t seed = 0);
    // An independent stream identified by labels, e.g. derive(seed, "node", "n3").
    static Rng derive(uint64_t seed, std::string_view a, std::string_view b = {});

    uint64_t next_u64();
    // Uniform in [0, bound), unbiased (Lemire's multiply-and-reject). bound > 0.
    uint64_t below(uint64_t bound);
    // Uniform integer in [lo, hi], inclusive. lo <= hi.
    int64_t uniform_int(int64_t lo, int64_t hi);
    // Uniform in [0, 1) with 53 random bits.
    double uniform_real();
    double uniform_real(double lo, double hi);
    // True with probability p (p <= 0: never, p >= 1: always; consumes one draw either way so
    // that changing a probability does not shift the stream).
    bool bernoulli(double p);
    // Exponential with the given mean (inverse transform).
    double exponential(double mean);
    // Normal (Box-Muller, one value per call; the second value is discarded for simplicity).
    double normal(double mean, double stddev);
    // Pareto type I: scale x_m > 0, shape alpha > 0; heavy tail for alpha <= 2.
    double pareto(double scale, double shape);

    // Pick an index weighted by non-negative weights (at least one positive).
    template <typename Range>
    std::size_t weighted_index(const Range& weights) {
        double total = 0;
        for (double w : weights) total += w;
        double x = uniform_real() * total;
        std::size_t i = 0;
        for (double w : weights) {
            if (x < w) return i;
            x -= w;
            ++i;
        }
        return i - 1;
    }

    // Fisher-Yates shuffle with our own index draws.
    template <typename Vec>
    void shuffle(Vec& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            std::size_t j = static_cast<std::size_t>(below(i));
            using std::swap;
            swap(v[i - 1], v[j]);
        }
    }

private:
    uint64_t s_[4];
};

}  // namespace faultline
