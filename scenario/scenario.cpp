#include "scenario/scenario.h"

#include <algorithm>

namespace faultline::scenario {

const ExpectItem* Expect::find(std::string_view key) const {
    auto it = std::find_if(items.begin(), items.end(), [&](const ExpectItem& i) { return i.key == key; });
    return it == items.end() ? nullptr : &*it;
}

void Expect::set(std::string key, ExpectValue value) {
    auto it = std::find_if(items.begin(), items.end(), [&](const ExpectItem& i) { return i.key == key; });
    if (it != items.end()) {
        it->value = std::move(value);
        return;
    }
    items.push_back({std::move(key), std::move(value)});
}

void Expect::erase(std::string_view key) {
    std::erase_if(items, [&](const ExpectItem& i) { return i.key == key; });
}

double as_number(const ExpectValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::get<bool>(v) ? 1.0 : 0.0;
}

}  // namespace faultline::scenario
