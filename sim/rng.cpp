#include "sim/rng.h"

#include "sim/assert.h"

#include <cmath>

namespace faultline {

uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t hash_label(std::string_view label, uint64_t salt) {
    uint64_t h = 0xcbf29ce484222325ull ^ salt;
    for (unsigned char c : label) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return splitmix64(h);
}

Rng::Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& word : s_) word = splitmix64(sm);
}

Rng Rng::derive(uint64_t seed, std::string_view a, std::string_view b) {
    // Separate the labels with their lengths so ("ab","c") and ("a","bc") differ.
    uint64_t h = hash_label(a, seed ^ (a.size() * 0x9E3779B97F4A7C15ull));
    h = hash_label(b, h ^ (b.size() + 0x51ED270B2708D5A1ull));
    return Rng(h);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t Rng::next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

uint64_t Rng::below(uint64_t bound) {
    FL_ASSERT(bound > 0, "Rng::below needs a positive bound");
    // Lemire, "Fast Random Integer Generation in an Interval" (2019).
    unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < bound) {
        uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<unsigned __int128>(next_u64()) * bound;
            low = static_cast<uint64_t>(m);
        }
    }
    return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
    FL_ASSERT(lo <= hi, "uniform_int: empty range [{}, {}]", lo, hi);
    uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
}

double Rng::uniform_real() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_real(double lo, double hi) {
    FL_ASSERT(lo <= hi, "uniform_real: empty range");
    return lo + (hi - lo) * uniform_real();
}

bool Rng::bernoulli(double p) { return uniform_real() < p; }

double Rng::exponential(double mean) {
    FL_ASSERT(mean >= 0, "exponential: negative mean");
    // 1 - u is in (0, 1], so the log is finite.
    return -mean * std::log(1.0 - uniform_real());
}

double Rng::normal(double mean, double stddev) {
    double u1 = 1.0 - uniform_real();  // (0, 1]
    double u2 = uniform_real();
    double r = std::sqrt(-2.0 * std::log(u1));
    return mean + stddev * r * std::cos(2.0 * 3.14159265358979323846 * u2);
}

double Rng::pareto(double scale, double shape) {
    FL_ASSERT(scale > 0 && shape > 0, "pareto: scale and shape must be positive");
    double u = 1.0 - uniform_real();  // (0, 1]
    return scale / std::pow(u, 1.0 / shape);
}

}  // namespace faultline
