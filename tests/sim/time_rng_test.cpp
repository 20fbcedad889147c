// Virtual time arithmetic and the seeded generator with our own distributions.
// Method: known-answer checks for determinism across builds, and statistics over many draws that
// a broken distribution (wrong mean, wrong support, biased bound) would fail.
#include "sim/rng.h"
#include "sim/time.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

using namespace faultline;

TEST_CASE("time: durations and instants add, subtract and saturate", "[sim][time]") {
    Instant t = Instant::zero() + milliseconds(1500);
    REQUIRE(t.ns() == 1'500'000'000);
    REQUIRE((t - Instant::zero()) == seconds(1) + milliseconds(500));
    REQUIRE(Instant::max() + seconds(1) == Instant::max());
    REQUIRE(to_string(Instant::from_ns(1'000'000'001)) == "1.000000001");
    REQUIRE(to_string(milliseconds(12)) == "12.000ms");
}

TEST_CASE("rng: the same seed gives the same stream, a different seed a different one", "[sim][rng]") {
    Rng a(42), b(42), c(43);
    for (int i = 0; i < 1000; ++i) {
        uint64_t x = a.next_u64();
        REQUIRE(x == b.next_u64());
    }
    int same = 0;
    Rng a2(42);
    for (int i = 0; i < 1000; ++i) same += a2.next_u64() == c.next_u64();
    REQUIRE(same == 0);
}

TEST_CASE("rng: xoshiro256** with splitmix64 seeding matches its known first outputs", "[sim][rng]") {
    // Pinned values: if these change, every stored run's replay changes. Change them only on
    // purpose, with a note in the changelog.
    Rng r(0);
    uint64_t first = r.next_u64();
    uint64_t second = r.next_u64();
    Rng again(0);
    REQUIRE(again.next_u64() == first);
    REQUIRE(again.next_u64() == second);
    REQUIRE(first == 0x99ec5f36cb75f2b4ull);
    REQUIRE(second == 0xbf6e1f784956452aull);
}

TEST_CASE("rng: derived streams are independent of each other and of creation order", "[sim][rng]") {
    Rng n1 = Rng::derive(7, "node", "n1");
    Rng n2 = Rng::derive(7, "node", "n2");
    Rng n1_again = Rng::derive(7, "node", "n1");
    REQUIRE(n1.next_u64() == n1_again.next_u64());
    REQUIRE(n1.next_u64() != n2.next_u64());
    REQUIRE(Rng::derive(7, "ab", "c").next_u64() != Rng::derive(7, "a", "bc").next_u64());
}

TEST_CASE("rng: below() is unbiased over a small bound", "[sim][rng]") {
    Rng r(1);
    std::vector<int> counts(6, 0);
    const int n = 600'000;
    for (int i = 0; i < n; ++i) ++counts[r.below(6)];
    for (int c : counts) REQUIRE(std::abs(c - n / 6) < n / 6 / 50);  // within 2%
    for (int i = 0; i < 1000; ++i) {
        int64_t v = r.uniform_int(-3, 3);
        REQUIRE(v >= -3);
        REQUIRE(v <= 3);
    }
}

TEST_CASE("rng: distributions have the right mean and spread", "[sim][rng]") {
    Rng r(99);
    const int n = 200'000;
    double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0;
    int hits = 0;
    double pareto_min = 1e300;
    for (int i = 0; i < n; ++i) {
        double u = r.uniform_real();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum_u += u;
        sum_e += r.exponential(5.0);
        double x = r.normal(10.0, 2.0);
        sum_n += x;
        sum_n2 += x * x;
        hits += r.bernoulli(0.3);
        pareto_min = std::min(pareto_min, r.pareto(2.0, 3.0));
    }
    REQUIRE(sum_u / n == Approx(0.5).epsilon(0.01));
    REQUIRE(sum_e / n == Approx(5.0).epsilon(0.02));
    double mean = sum_n / n;
    REQUIRE(mean == Approx(10.0).epsilon(0.01));
    REQUIRE(std::sqrt(sum_n2 / n - mean * mean) == Approx(2.0).epsilon(0.02));
    REQUIRE(static_cast<double>(hits) / n == Approx(0.3).epsilon(0.02));
    REQUIRE(pareto_min >= 2.0);  // Pareto's support starts at the scale
}

TEST_CASE("rng: shuffle is a permutation and depends on the seed", "[sim][rng]") {
    std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, w = v;
    Rng a(5), b(6);
    a.shuffle(v);
    b.shuffle(w);
    REQUIRE(std::set<int>(v.begin(), v.end()).size() == 10);
    REQUIRE(v != w);
}
