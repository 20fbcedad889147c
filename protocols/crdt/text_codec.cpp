#include "protocols/crdt/text_codec.h"

#include <charconv>

namespace faultline::crdt {

namespace {

bool plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;  // lower case is not what escape() writes: one text, one encoding
}

}  // namespace

std::string escape(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (plain(c)) {
            out += c;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    return out;
}

std::optional<std::string> unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (plain(text[i])) {
            out += text[i];
            continue;
        }
        if (text[i] != '%' || i + 2 >= text.size()) return std::nullopt;
        const int high = hex_digit(text[i + 1]);
        const int low = hex_digit(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        const char c = static_cast<char>(high * 16 + low);
        if (plain(c)) return std::nullopt;  // escaped needlessly: not an encoding escape() writes
        out += c;
        i += 2;
    }
    return out;
}

std::optional<uint64_t> parse_u64(std::string_view digits) {
    if (digits.empty() || digits.size() > 20) return std::nullopt;
    if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // one number, one text
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return n;
}

std::optional<int64_t> parse_i64(std::string_view text) {
    const bool negative = !text.empty() && text[0] == '-';
    auto magnitude = parse_u64(negative ? text.substr(1) : text);
    if (!magnitude || *magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    if (negative && *magnitude == 0) return std::nullopt;  // "-0"
    return negative ? -static_cast<int64_t>(*magnitude) : static_cast<int64_t>(*magnitude);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    if (text.empty()) return out;
    while (true) {
        const std::size_t at = text.find(separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text = text.substr(at + 1);
    }
}

std::string encode_counts(const ReplicaCounts& counts) {
    std::string out;
    for (const auto& [replica, n] : counts) {
        if (!out.empty()) out += ',';
        out += escape(replica) + ':' + std::to_string(n);
    }
    return out;
}

std::optional<ReplicaCounts> decode_counts(std::string_view text) {
    ReplicaCounts out;
    const std::vector<std::string_view> items = split(text, ',');
    if (items.size() > replicas_max) return std::nullopt;
    for (std::string_view item : items) {
        const std::size_t colon = item.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        auto replica = unescape(item.substr(0, colon));
        auto n = parse_u64(item.substr(colon + 1));
        if (!replica || replica->empty() || !n || *n == 0 || *n > count_max) return std::nullopt;
        if (!out.emplace(std::move(*replica), *n).second) return std::nullopt;
    }
    return out;
}

}  // namespace faultline::crdt
