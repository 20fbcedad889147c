// [checkers] and [expect]: both read against the catalog (catalog.h), so a new checker or a
// protocol's new figure needs no edit here.
//
// [checkers] takes each switchable checker's name (true / false) and every checker's options.
// [expect] keys are rows of the expectation table: a key must be a row of every system's table
// ([expect]) or of its own system's ([expect.<system>]); a key that exists elsewhere but not for
// this system says why (the checker is switched off, does not apply to the protocol, or the
// protocol does not report that figure) and lists the keys the system does have.
#include "scenario/parse_internal.h"

#include "scenario/suggest.h"
#include "sim/assert.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::scenario::detail {

namespace {

std::vector<std::string_view> keys_of(const std::vector<ExpectRow>& rows) {
    std::vector<std::string_view> out;
    for (const ExpectRow& r : rows) out.push_back(r.key);
    return out;
}

// Why `row` (a real key) is not in `system`'s table.
std::string why_missing(const Catalog& catalog, const Scenario& s, const System& system, const ProtocolSpec& p,
                        const ExpectRow& row, const std::vector<ExpectRow>& own) {
    std::string why;
    const CheckerSpec* c = catalog.checker(row.source);
    if (c != nullptr && !checker_enabled(*c, s)) {
        why = c->switched_by == CheckerSwitch::liveness_table
                  ? fmt::format("{} is expected but [liveness] enabled = false: nothing would check it", row.key)
                  : fmt::format("{} is expected but [checkers] {} = false: nothing would check it", row.key, c->name);
        return why;
    }
    if (c != nullptr && c->applies && !c->applies(p)) {
        why = fmt::format("{} is expected of system '{}', but the {} checker does not apply to protocol {}", row.key,
                          system.name, c->name, p.name);
    } else {
        why = fmt::format("system '{}' (protocol {}) does not report {}", system.name, p.name,
                          row.figure.empty() ? row.verdict : row.figure);
    }
    return why + fmt::format(" (its [expect] keys: {})", join_names(keys_of(own)));
}

bool read_value(TomlReader& reader, const toml::node& node, const std::string& key, const ExpectRow& row, ExpectValue& out) {
    if (row.comparison == Comparison::verdict_is) {
        const auto* b = node.as_boolean();
        if (b == nullptr) {
            reader.error(node, key,
                         fmt::format("wrong type: expected a boolean (true: {} ok; false: a violation), got {}", row.verdict,
                                     describe_node(node)));
            return false;
        }
        out = b->get();
        return true;
    }
    switch (row.type) {
        case FigureType::count: {
            int64_t v = 0;
            if (!reader.integer_value(node, key, Bounds::non_negative(), v)) return false;
            out = v;
            return true;
        }
        case FigureType::fraction:
        case FigureType::real: {
            double v = 0;
            const Bounds bounds = row.type == FigureType::fraction ? Bounds::probability() : Bounds::non_negative();
            if (!reader.real_value(node, key, bounds, v)) return false;
            out = v;
            return true;
        }
    }
    FL_ASSERT(false, "expectation row {} has an unknown type", row.key);
    return false;
}

// A lower and an upper bound on one figure in the same table must leave room for a value.
void check_bounds_meet(TomlReader& reader, const toml::table& t, std::string_view path, const Expect& e,
                       const std::vector<ExpectRow>& rows) {
    for (const ExpectRow& low : rows) {
        if (low.comparison != Comparison::at_least) continue;
        const ExpectItem* lo = e.find(low.key);
        if (lo == nullptr) continue;
        for (const ExpectRow& high : rows) {
            if (high.comparison != Comparison::at_most || high.figure != low.figure) continue;
            const ExpectItem* hi = e.find(high.key);
            if (hi == nullptr || as_number(lo->value) <= as_number(hi->value) || t.get(high.key) == nullptr) continue;
            reader.error(*t.get(high.key), join_key(path, high.key),
                         fmt::format("{} ({}) is below {} ({}): nothing can meet both", high.key,
                                     show_number(as_number(hi->value)), low.key, show_number(as_number(lo->value))));
        }
    }
}

struct SystemRows {
    const System* system;
    const ProtocolSpec* protocol;  // null when the protocol is unknown (already an error)
    std::vector<ExpectRow> rows;
};

// Reads the expectation keys of table `t` (not its sub-tables) for `systems`.
void read_fields(TomlReader& reader, const toml::table& t, std::string_view path, const Catalog& catalog,
                 const Scenario& s, const std::vector<ExpectRow>& all, const std::vector<SystemRows>& systems, Expect& out) {
    std::vector<std::string_view> all_keys = keys_of(all);
    const bool top = path == "expect";
    for (auto&& [k, node] : t) {
        if (node.is_table() && top) continue;  // [expect.<system>], read by the caller
        const std::string key = join_key(path, k.str());
        const ExpectRow* row = find_row(all, k.str());
        if (row == nullptr) {
            reader.unknown_key(k, path, all_keys, fmt::format("[{}]", path));
            continue;
        }
        bool everywhere = true;
        for (const SystemRows& sr : systems) {
            if (sr.protocol == nullptr || find_row(sr.rows, k.str())) continue;
            reader.error(k.source().begin, key, why_missing(catalog, s, *sr.system, *sr.protocol, *row, sr.rows));
            everywhere = false;
        }
        ExpectValue v;
        if (everywhere && read_value(reader, node, key, *row, v)) out.set(std::string(k.str()), v);
    }
    check_bounds_meet(reader, t, path, out, all);
}

}  // namespace

void read_checkers(TomlReader& reader, const toml::table& root, const Catalog& catalog, Checkers& out) {
    const toml::table* t = reader.table(root, "checkers", "");
    if (t == nullptr) return;
    std::vector<std::string_view> keys;
    for (const CheckerSpec& c : catalog.checkers)
        if (c.switched_by == CheckerSwitch::checkers_table) keys.push_back(c.name);
    for (const CheckerSpec& c : catalog.checkers)
        for (const OptionSpec& o : c.options) keys.push_back(o.name);
    reader.check_keys(*t, "checkers", keys, "[checkers]");
    for (const CheckerSpec& c : catalog.checkers) {
        bool on = c.default_on;
        if (c.switched_by == CheckerSwitch::checkers_table && reader.boolean(*t, c.name, "checkers", on))
            out.switches[c.name] = on;
        for (const OptionSpec& o : c.options)
            if (const toml::node* node = t->get(o.name)) read_option(reader, o, *node, join_key("checkers", o.name), out.options);
    }
}

void read_expect(TomlReader& reader, const toml::table& root, const Catalog& catalog, Scenario& s) {
    const toml::table* t = reader.table(root, "expect", "");
    if (t == nullptr) return;
    const std::vector<ExpectRow> all = all_expect_rows(catalog);
    std::vector<SystemRows> systems;
    std::vector<std::string> names;
    for (const System& system : s.systems) {
        const ProtocolSpec* p = catalog.protocol(system.protocol);
        systems.push_back({&system, p, p ? expect_rows(catalog, *p, s) : std::vector<ExpectRow>{}});
        if (std::find(names.begin(), names.end(), system.name) == names.end()) names.push_back(system.name);
    }
    for (auto&& [key, node] : *t) {
        const toml::table* per_system = node.as_table();
        if (per_system == nullptr) continue;
        const std::string path = join_key("expect", key.str());
        auto it = std::find_if(systems.begin(), systems.end(), [&](const SystemRows& r) { return r.system->name == key.str(); });
        if (it == systems.end()) {
            std::string message =
                fmt::format("unknown system '{}' in [expect.{}]", shown_name(key.str()), shown_name(key.str()));
            if (auto suggestion = closest_match(key.str(), names)) message += fmt::format("; did you mean '{}'?", *suggestion);
            message += fmt::format(" (systems: {})", join_names(names));
            reader.error(key.source().begin, path, std::move(message));
            continue;
        }
        read_fields(reader, *per_system, path, catalog, s, all, {*it}, s.expect[std::string(key.str())]);
    }
    read_fields(reader, *t, "expect", catalog, s, all, systems, s.expect_all);
}

}  // namespace faultline::scenario::detail
