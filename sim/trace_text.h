// TraceText: the text of a trace event (a log line, an annotation's value, a partition's shape),
// held in one pointer.
//
// A stored trace keeps millions of events and most carry no text (a send's payload description
// exists only at level `full`). A std::string in every event was 32 of its 96 bytes, and the
// memory a stored trace touches is most of what tracing costs (the kernel zeroing fresh pages).
// Here an event without text costs 8 bytes and no allocation; one with text owns a std::string
// on the heap.
//
// It reads like a const std::string: str(), empty(), size(), comparisons with any string, and
// implicit conversion to `const std::string&` and to `std::string_view`. Assigning a string
// reuses the string already held (the kernel's scratch event at level off holds one for good).
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>

namespace faultline {

class TraceText {
public:
    TraceText() = default;
    TraceText(std::string s) { *this = std::move(s); }  // NOLINT: implicit, as a std::string member was
    TraceText(const char* s) : TraceText(std::string(s)) {}  // NOLINT
    TraceText(const TraceText& o) : p_(o.empty() ? nullptr : std::make_unique<std::string>(*o.p_)) {}
    TraceText(TraceText&&) noexcept = default;
    TraceText& operator=(const TraceText& o) {
        if (this != &o) *this = std::string(o.str());
        return *this;
    }
    TraceText& operator=(TraceText&&) noexcept = default;
    TraceText& operator=(std::string&& s) {
        if (p_) {
            *p_ = std::move(s);
        } else if (!s.empty()) {
            p_ = std::make_unique<std::string>(std::move(s));
        }
        return *this;
    }
    TraceText& operator=(const std::string& s) { return *this = std::string(s); }
    TraceText& operator=(std::string_view s) { return *this = std::string(s); }
    TraceText& operator=(const char* s) { return *this = std::string(s); }

    const std::string& str() const { return p_ ? *p_ : empty_string(); }
    operator const std::string&() const { return str(); }  // NOLINT: reads as the string it holds
    operator std::string_view() const { return str(); }    // NOLINT
    std::string_view view() const { return str(); }

    bool empty() const { return !p_ || p_->empty(); }
    std::size_t size() const { return p_ ? p_->size() : 0; }
    const char* c_str() const { return str().c_str(); }
    const char* data() const { return str().data(); }
    void clear() {
        if (p_) p_->clear();
    }
    std::size_t find(std::string_view s, std::size_t pos = 0) const { return view().find(s, pos); }
    std::size_t find(char c, std::size_t pos = 0) const { return view().find(c, pos); }
    std::size_t rfind(std::string_view s, std::size_t pos = std::string_view::npos) const { return view().rfind(s, pos); }
    std::string substr(std::size_t pos, std::size_t n = std::string::npos) const { return str().substr(pos, n); }
    bool starts_with(std::string_view s) const { return view().starts_with(s); }

    friend bool operator==(const TraceText& a, std::string_view b) { return a.view() == b; }

private:
    static const std::string& empty_string() {
        static const std::string empty;
        return empty;
    }
    std::unique_ptr<std::string> p_;  // null when there is no text
};

}  // namespace faultline

template <>
struct fmt::formatter<faultline::TraceText> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const faultline::TraceText& t, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(t.view(), ctx);
    }
};
