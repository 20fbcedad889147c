#include "protocols/dynamo/versions.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace faultline::dynamo {

namespace {

bool lww_newer(const Version& a, const Version& b) {
    return std::tie(a.stamp_ns, a.stamp_node) > std::tie(b.stamp_ns, b.stamp_node);
}

std::string encode_one(const Version& v) {
    return fmt::format("{} {} {} {}:{}", v.stamp_ns, v.stamp_node, v.clock.empty() ? "-" : v.clock.text(), v.value.size(),
                       v.value);
}

template <typename T>
bool read_number(std::string_view& text, T& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
}

bool skip(std::string_view& text, char c) {
    if (text.empty() || text.front() != c) return false;
    text.remove_prefix(1);
    return true;
}

std::optional<Version> decode_one(std::string_view& text) {
    Version v;
    std::size_t length = 0;
    if (!read_number(text, v.stamp_ns) || !skip(text, ' ') || !read_number(text, v.stamp_node) || !skip(text, ' '))
        return std::nullopt;
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string_view clock = text.substr(0, space);
    text.remove_prefix(space + 1);
    if (clock != "-") {
        auto parsed = VersionVector::parse(clock);
        if (!parsed) return std::nullopt;
        v.clock = std::move(*parsed);
    }
    if (!read_number(text, length) || !skip(text, ':') || text.size() < length) return std::nullopt;
    v.value = std::string(text.substr(0, length));
    text.remove_prefix(length);
    return v;
}

void sort_canonically(Siblings& s) {
    std::sort(s.begin(), s.end(), [](const Version& a, const Version& b) { return encode_one(a) < encode_one(b); });
}

}  // namespace

bool reconcile(ConflictMode mode, Siblings& held, const Version& incoming) {
    if (mode == ConflictMode::lww) {
        if (!held.empty() && !lww_newer(incoming, held.front())) return false;
        held = {incoming};
        return true;
    }
    for (const Version& v : held) {
        const Causality c = incoming.clock.compare(v.clock);
        if (c == Causality::before || c == Causality::equal) return false;  // nothing new
    }
    std::erase_if(held, [&](const Version& v) { return v.clock.compare(incoming.clock) == Causality::before; });
    held.push_back(incoming);
    sort_canonically(held);
    return true;
}

bool reconcile_all(ConflictMode mode, Siblings& into, const Siblings& from) {
    bool changed = false;
    for (const Version& v : from) changed |= reconcile(mode, into, v);
    return changed;
}

bool covers(ConflictMode mode, const Siblings& held, const Siblings& other) {
    Siblings copy = held;
    return !reconcile_all(mode, copy, other);
}

VersionVector context_of(const Siblings& s) {
    VersionVector out;
    for (const Version& v : s) out.merge(v.clock);
    return out;
}

std::vector<std::string> values_of(const Siblings& s) {
    std::vector<std::string> out;
    for (const Version& v : s) out.push_back(v.value);
    std::sort(out.begin(), out.end());
    return out;
}

std::string encode(const Siblings& s) {
    std::string out;
    for (const Version& v : s) out += encode_one(v) + '\n';
    return out;
}

std::optional<Siblings> decode(std::string_view text) {
    Siblings out;
    while (!text.empty()) {
        auto v = decode_one(text);
        if (!v || !skip(text, '\n')) return std::nullopt;
        out.push_back(std::move(*v));
    }
    return out;
}

}  // namespace faultline::dynamo
