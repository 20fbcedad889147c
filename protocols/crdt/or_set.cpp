#include "protocols/crdt/or_set.h"

#include "check/model.h"

#include <set>

namespace faultline::crdt {

OrSet OrSet::observed(const std::string& element) const {
    OrSet delta;
    for (const auto& [dot, entry] : kernel_.entries)
        if (entry.element == element) delta.kernel_.context.insert(dot);
    return delta;
}

OrSet OrSet::add(const std::string& replica, const std::string& element) const {
    FL_ASSERT(!replica.empty(), "an add needs the replica's id");
    OrSet delta = observed(element);
    const Dot dot = kernel_.context.next(replica);
    delta.kernel_.entries.emplace(dot, Entry{element, false});
    delta.kernel_.context.insert(dot);
    return delta;
}

OrSet OrSet::remove(const std::string& element) const { return observed(element); }

OrSet OrSet::remove_by_element(const std::string& replica, const std::string& element) const {
    FL_ASSERT(!replica.empty(), "a remove needs the replica's id");
    OrSet delta = observed(element);
    const Dot dot = kernel_.context.next(replica);
    delta.kernel_.entries.emplace(dot, Entry{element, true});
    delta.kernel_.context.insert(dot);
    return delta;
}

std::vector<std::string> OrSet::elements() const {
    std::set<std::string> added, tombstoned;
    for (const auto& [dot, entry] : kernel_.entries) (entry.tombstone ? tombstoned : added).insert(entry.element);
    std::vector<std::string> out;
    for (const std::string& e : added)
        if (!tombstoned.count(e)) out.push_back(e);
    return out;
}

std::string OrSet::value() const { return check::set_value(elements()); }

std::string OrSet::encode() const {
    std::string out;
    for (const auto& [dot, entry] : kernel_.entries) {
        if (!out.empty()) out += ',';
        out += dot.text() + '=' + (entry.tombstone ? '-' : '+') + escape(entry.element);
    }
    return out + '|' + kernel_.context.encode();
}

std::optional<OrSet> OrSet::decode(std::string_view text) {
    const std::size_t bar = text.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    auto context = DotContext::decode(text.substr(bar + 1));
    if (!context) return std::nullopt;
    OrSet out;
    out.kernel_.context = std::move(*context);
    for (std::string_view item : split(text.substr(0, bar), ',')) {
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos || equals + 1 >= item.size()) return std::nullopt;
        auto dot = Dot::parse(item.substr(0, equals));
        const char sign = item[equals + 1];
        auto element = unescape(item.substr(equals + 2));
        if (!dot || (sign != '+' && sign != '-') || !element) return std::nullopt;
        if (!out.kernel_.entries.emplace(*dot, Entry{std::move(*element), sign == '-'}).second) return std::nullopt;
    }
    if (!out.kernel_.consistent()) return std::nullopt;
    return out;
}

}  // namespace faultline::crdt
