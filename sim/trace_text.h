// TraceText: the text of a trace event (a log line, an annotation's value, a partition's shape),
// held in one pointer.
//
// A stored trace keeps millions of events and most carry no text (a send's payload description
// exists only at level `full`). A std::string in every event was 32 of its 96 bytes, and the
// memory a stored trace touches is most of what tracing costs (the kernel zeroing fresh pages).
// Here an event without text costs 8 bytes and no allocation; one with text owns one heap block
// holding its length and characters (a std::string on the heap would be two allocations, and
// cost more than the inline std::string for the short texts that timers and annotations make).
//
// It reads like a const string: view(), str(), empty(), size(), c_str(), comparisons with any
// string, and implicit conversion to `std::string_view` and to `std::string`.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <utility>
#include <string>
#include <string_view>

namespace faultline {

class TraceText {
public:
    TraceText() = default;
    TraceText(std::string_view s) { assign(s); }  // NOLINT: implicit, as a std::string member was
    TraceText(const std::string& s) : TraceText(std::string_view(s)) {}  // NOLINT
    TraceText(const char* s) : TraceText(std::string_view(s)) {}  // NOLINT
    TraceText(const TraceText& o) { assign(o.view()); }
    TraceText(TraceText&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    TraceText& operator=(const TraceText& o) {
        if (this != &o) assign(o.view());
        return *this;
    }
    TraceText& operator=(TraceText&& o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    TraceText& operator=(std::string_view s) {
        assign(s);
        return *this;
    }
    TraceText& operator=(const std::string& s) { return *this = std::string_view(s); }
    TraceText& operator=(const char* s) { return *this = std::string_view(s); }
    ~TraceText() { std::free(p_); }

    std::string_view view() const { return p_ ? std::string_view(p_ + header, size()) : std::string_view(); }
    std::string str() const { return std::string(view()); }
    operator std::string_view() const { return view(); }  // NOLINT: reads as the string it holds
    operator std::string() const { return str(); }         // NOLINT

    bool empty() const { return size() == 0; }
    std::size_t size() const { return p_ ? word(0) : 0; }
    const char* c_str() const { return p_ ? p_ + header : ""; }
    const char* data() const { return c_str(); }
    void clear() { assign({}); }
    std::size_t find(std::string_view s, std::size_t pos = 0) const { return view().find(s, pos); }
    std::size_t find(char c, std::size_t pos = 0) const { return view().find(c, pos); }
    std::size_t rfind(std::string_view s, std::size_t pos = std::string_view::npos) const { return view().rfind(s, pos); }
    std::string substr(std::size_t pos, std::size_t n = std::string::npos) const { return str().substr(pos, n); }
    bool starts_with(std::string_view s) const { return view().starts_with(s); }

    friend bool operator==(const TraceText& a, std::string_view b) { return a.view() == b; }

private:
    // One allocation: the length, the capacity, the characters and a terminating NUL (for c_str).
    // The block is kept when the text is emptied and reused when the next fits: the kernel's
    // scratch event at level off takes every event's text in turn, and must not allocate for each.
    static constexpr std::size_t header = 2 * sizeof(uint32_t);
    uint32_t word(int i) const {
        uint32_t v;
        std::memcpy(&v, p_ + i * sizeof v, sizeof v);
        return v;
    }
    // Inline for the common case of the kernel's hot path: no text, and none held.
    [[gnu::always_inline]] void assign(std::string_view s) {
        if (s.empty() && !p_) return;
        copy_in(s);
    }
    void copy_in(std::string_view s) {
        if (s.size() > UINT32_MAX - header - 1) throw std::length_error("trace text longer than 4 GiB");
        const auto n = static_cast<uint32_t>(s.size());
        if (!p_ || n > word(1)) {
            char* fresh = static_cast<char*>(std::malloc(header + n + 1));
            if (fresh == nullptr) throw std::bad_alloc();
            std::free(p_);
            p_ = fresh;
            std::memcpy(p_ + sizeof n, &n, sizeof n);  // capacity
        }
        std::memcpy(p_, &n, sizeof n);
        if (n > 0) std::memmove(p_ + header, s.data(), n);  // memmove: `s` may be this text itself;
                                                            // an empty view may have a null data()
        p_[header + n] = '\0';
    }
    char* p_ = nullptr;  // null when there is no text
};

}  // namespace faultline

template <>
struct fmt::formatter<faultline::TraceText> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const faultline::TraceText& t, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(t.view(), ctx);
    }
};
