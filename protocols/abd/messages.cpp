#include "protocols/abd/messages.h"

#include <fmt/format.h>

#include <charconv>

namespace faultline::abd {

namespace {
std::string describe_stamped(const Stamped& s) { return s.found ? fmt::format("{} ({})", s.value, s.tag.text()) : "absent"; }
}  // namespace

std::string Tag::text() const { return fmt::format("{}@{}", counter, writer.empty() ? "-" : writer); }

std::string Stamped::encode() const { return fmt::format("{} {} {}", tag.counter, tag.writer, value); }

std::optional<Stamped> Stamped::decode(std::string_view text) {
    const auto space = text.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    Stamped s;
    const auto [end, err] = std::from_chars(text.data(), text.data() + space, s.tag.counter);
    if (err != std::errc() || end != text.data() + space) return std::nullopt;
    const auto second = text.find(' ', space + 1);
    if (second == std::string_view::npos || second == space + 1) return std::nullopt;
    s.tag.writer = std::string(text.substr(space + 1, second - space - 1));
    s.value = std::string(text.substr(second + 1));
    s.found = true;
    return s;
}

std::string Query::describe() const { return fmt::format("op {} {}", operation, key); }
std::string QueryReply::describe() const { return fmt::format("op {} {}", operation, describe_stamped(stamped)); }
std::string Store::describe() const { return fmt::format("op {} {}={}", operation, key, describe_stamped(stamped)); }
std::string StoreAck::describe() const { return fmt::format("op {}", operation); }

}  // namespace faultline::abd
