#include "protocols/crdt/mv_register.h"

#include <set>

namespace faultline::crdt {

MvRegister MvRegister::put(const std::string& replica, const std::string& value) const {
    FL_ASSERT(!replica.empty(), "a put needs the replica's id");
    MvRegister delta;
    for (const auto& [dot, held] : kernel_.entries) delta.kernel_.context.insert(dot);
    const Dot dot = kernel_.context.next(replica);
    delta.kernel_.entries.emplace(dot, value);
    delta.kernel_.context.insert(dot);
    return delta;
}

std::vector<std::string> MvRegister::values() const {
    std::set<std::string> distinct;
    for (const auto& [dot, value] : kernel_.entries) distinct.insert(value);
    return {distinct.begin(), distinct.end()};
}

std::string MvRegister::encode() const {
    std::string out;
    for (const auto& [dot, value] : kernel_.entries) {
        if (!out.empty()) out += ',';
        out += dot.text() + '=' + escape(value);
    }
    return out + '|' + kernel_.context.encode();
}

std::optional<MvRegister> MvRegister::decode(std::string_view text) {
    const std::size_t bar = text.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    auto context = DotContext::decode(text.substr(bar + 1));
    if (!context) return std::nullopt;
    MvRegister out;
    out.kernel_.context = std::move(*context);
    for (std::string_view item : split(text.substr(0, bar), ',')) {
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos) return std::nullopt;
        auto dot = Dot::parse(item.substr(0, equals));
        auto value = unescape(item.substr(equals + 1));
        if (!dot || !value) return std::nullopt;
        if (!out.kernel_.entries.emplace(*dot, std::move(*value)).second) return std::nullopt;
    }
    if (!out.kernel_.consistent()) return std::nullopt;
    return out;
}

}  // namespace faultline::crdt
