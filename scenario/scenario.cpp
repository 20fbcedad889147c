#include "scenario/scenario.h"

#include "sim/assert.h"
#include "sim/faults/fault_kind.h"

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

namespace {
// The kind's length field (e.g. pause's duration_ms), or null.
const faults::FaultField* length_field(const FaultSpec& f) {
    const faults::FaultKind* kind = faults::find_fault_kind(f.kind);
    FL_ASSERT(kind != nullptr, "fault kind '{}' is not in the table", f.kind);
    for (const faults::FaultField& field : kind->fields)
        if (field.shrinkable_length) return &field;
    return nullptr;
}
}  // namespace

double fault_length_ms(const FaultSpec& f) {
    if (const faults::FaultField* field = length_field(f); field != nullptr && f.args.has(field->key))
        return f.args.number(field->key);
    return f.until_ms ? *f.until_ms - f.at_ms : 0.0;
}

void set_fault_length_ms(FaultSpec& f, double length_ms) {
    FL_ASSERT(length_ms >= 0, "a fault's length is not negative");
    if (const faults::FaultField* field = length_field(f); field != nullptr && f.args.has(field->key)) {
        f.args.set(std::string(field->key), length_ms);
        return;
    }
    FL_ASSERT(f.until_ms.has_value(), "a fault without a length cannot be shortened");
    f.until_ms = f.at_ms + length_ms;
}

std::vector<std::string> fault_nodes(const FaultSpec& f) {
    std::vector<std::string> out;
    for (const auto& [key, value] : f.args.values()) {
        const faults::FaultKind* kind = faults::find_fault_kind(f.kind);
        const faults::FaultField* field = kind ? kind->field(key) : nullptr;
        if (field == nullptr || field->type == faults::FieldType::choice || field->type == faults::FieldType::number) continue;
        if (const auto* name = std::get_if<std::string>(&value)) out.push_back(*name);
        if (const auto* list = std::get_if<std::vector<std::string>>(&value)) out.insert(out.end(), list->begin(), list->end());
        if (const auto* groups = std::get_if<std::vector<std::vector<std::string>>>(&value))
            for (const auto& g : *groups) out.insert(out.end(), g.begin(), g.end());
    }
    return out;
}

double as_number(const ExpectValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::get<bool>(v) ? 1.0 : 0.0;
}

}  // namespace faultline::scenario
