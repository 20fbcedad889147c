// Virtual time: Duration and Instant, both whole nanoseconds in a signed 64-bit integer.
//
// A run never reads a wall clock. True time (Instant) is known only to the kernel and the trace;
// node code reads its own local clock (see clock.h), which is also an Instant on the node's own
// axis. 2^63 ns is about 292 years, so overflow is not a practical concern, but arithmetic that
// could overflow (Instant::max() + d) saturates instead of wrapping.
#pragma once

#include <cstdint>
#include <compare>
#include <limits>
#include <string>

namespace faultline {

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }
    static constexpr Duration zero() { return Duration(0); }
    static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

    constexpr int64_t ns() const { return ns_; }
    constexpr double seconds_f() const { return static_cast<double>(ns_) / 1e9; }
    constexpr double ms_f() const { return static_cast<double>(ns_) / 1e6; }

    constexpr Duration operator+(Duration o) const { return Duration(sat_add(ns_, o.ns_)); }
    constexpr Duration operator-(Duration o) const { return Duration(sat_add(ns_, -o.ns_)); }
    constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
    constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
    constexpr Duration& operator+=(Duration o) { return *this = *this + o; }
    constexpr Duration& operator-=(Duration o) { return *this = *this - o; }
    constexpr Duration operator-() const { return Duration(-ns_); }
    constexpr auto operator<=>(const Duration&) const = default;

    static constexpr int64_t sat_add(int64_t a, int64_t b) {
        int64_t r = 0;
        if (__builtin_add_overflow(a, b, &r)) {
            return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
        }
        return r;
    }

private:
    constexpr explicit Duration(int64_t ns) : ns_(ns) {}
    int64_t ns_ = 0;
};

constexpr Duration nanoseconds(int64_t n) { return Duration::nanoseconds(n); }
constexpr Duration microseconds(int64_t n) { return Duration::nanoseconds(n * 1'000); }
constexpr Duration milliseconds(int64_t n) { return Duration::nanoseconds(n * 1'000'000); }
constexpr Duration seconds(int64_t n) { return Duration::nanoseconds(n * 1'000'000'000); }

class Instant {
public:
    constexpr Instant() = default;
    static constexpr Instant from_ns(int64_t ns) { return Instant(ns); }
    static constexpr Instant zero() { return Instant(0); }
    static constexpr Instant max() { return Instant(std::numeric_limits<int64_t>::max()); }

    constexpr int64_t ns() const { return ns_; }
    constexpr Instant operator+(Duration d) const { return Instant(Duration::sat_add(ns_, d.ns())); }
    constexpr Instant operator-(Duration d) const { return Instant(Duration::sat_add(ns_, -d.ns())); }
    constexpr Duration operator-(Instant o) const { return Duration::nanoseconds(ns_ - o.ns_); }
    constexpr Instant& operator+=(Duration d) { return *this = *this + d; }
    constexpr auto operator<=>(const Instant&) const = default;

private:
    constexpr explicit Instant(int64_t ns) : ns_(ns) {}
    int64_t ns_ = 0;
};

// "1.250000s", "12.5ms", "800ns": human text for summaries and traces (fixed format, no locale).
std::string to_string(Duration d);
std::string to_string(Instant t);

}  // namespace faultline
