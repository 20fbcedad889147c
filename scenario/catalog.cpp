#include "scenario/catalog.h"

#include "sim/assert.h"

#include <algorithm>

namespace faultline::scenario {

std::string_view to_string(OptionType t) {
    switch (t) {
        case OptionType::integer: return "integer";
        case OptionType::real: return "real";
        case OptionType::boolean: return "boolean";
        case OptionType::string: return "string";
    }
    return "unknown";
}

std::string_view to_string(CapClass c) {
    switch (c) {
        case CapClass::cp: return "CP";
        case CapClass::ap: return "AP";
        case CapClass::unclassified: return "-";
    }
    return "-";
}

FigureSpec figure(std::string name, std::string description, FigureType type) {
    FigureSpec f;
    f.min_key = name + "_min";
    f.max_key = name + "_max";
    f.name = std::move(name);
    f.description = std::move(description);
    f.type = type;
    return f;
}

const ProtocolSpec* Catalog::protocol(std::string_view name) const {
    auto it = std::find_if(protocols.begin(), protocols.end(), [&](const ProtocolSpec& p) { return p.name == name; });
    return it == protocols.end() ? nullptr : &*it;
}

const CheckerSpec* Catalog::checker(std::string_view name) const {
    auto it = std::find_if(checkers.begin(), checkers.end(), [&](const CheckerSpec& c) { return c.name == name; });
    return it == checkers.end() ? nullptr : &*it;
}

bool checker_enabled(const CheckerSpec& c, const Scenario& s) {
    switch (c.switched_by) {
        case CheckerSwitch::always: return true;
        case CheckerSwitch::liveness_table: return s.liveness.enabled;
        case CheckerSwitch::checkers_table: {
            auto it = s.checkers.switches.find(c.name);
            return it == s.checkers.switches.end() ? c.default_on : it->second;
        }
    }
    FL_ASSERT(false, "checker {} has an unknown switch", c.name);
    return false;
}

bool checker_runs(const CheckerSpec& c, const ProtocolSpec& p, const Scenario& s) {
    return checker_enabled(c, s) && (!c.applies || c.applies(p));
}

namespace {

void add_figure_rows(const FigureSpec& f, const std::string& source, std::vector<ExpectRow>& rows) {
    if (!f.min_key.empty())
        rows.push_back({.key = f.min_key, .comparison = Comparison::at_least, .verdict = {}, .figure = f.name, .type = f.type, .source = source});
    if (!f.max_key.empty())
        rows.push_back({.key = f.max_key, .comparison = Comparison::at_most, .verdict = {}, .figure = f.name, .type = f.type, .source = source});
}

void add_checker_rows(const CheckerSpec& c, std::vector<ExpectRow>& rows) {
    for (const VerdictSpec& v : c.verdicts)
        rows.push_back({.key = v.expect_key, .comparison = Comparison::verdict_is, .verdict = v.name, .figure = {},
                        .type = FigureType::count, .source = c.name});
    for (const FigureSpec& f : c.figures) add_figure_rows(f, c.name, rows);
}

void add_protocol_rows(const ProtocolSpec& p, std::vector<ExpectRow>& rows) {
    for (const FigureSpec& f : p.figures) add_figure_rows(f, "protocol " + p.name, rows);
}

// Keeps the first row of each key (a checker's figure shadows a protocol's of the same key).
std::vector<ExpectRow> unique_keys(std::vector<ExpectRow> rows) {
    std::vector<ExpectRow> out;
    for (auto& r : rows)
        if (!find_row(out, r.key)) out.push_back(std::move(r));
    return out;
}

}  // namespace

std::vector<ExpectRow> all_expect_rows(const Catalog& catalog) {
    std::vector<ExpectRow> rows;
    for (const CheckerSpec& c : catalog.checkers) add_checker_rows(c, rows);
    for (const ProtocolSpec& p : catalog.protocols) add_protocol_rows(p, rows);
    return unique_keys(std::move(rows));
}

std::vector<ExpectRow> expect_rows(const Catalog& catalog, const ProtocolSpec& p, const Scenario& s) {
    std::vector<ExpectRow> rows;
    for (const CheckerSpec& c : catalog.checkers)
        if (checker_runs(c, p, s)) add_checker_rows(c, rows);
    add_protocol_rows(p, rows);
    return unique_keys(std::move(rows));
}

const ExpectRow* find_row(const std::vector<ExpectRow>& rows, std::string_view key) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const ExpectRow& r) { return r.key == key; });
    return it == rows.end() ? nullptr : &*it;
}

}  // namespace faultline::scenario
