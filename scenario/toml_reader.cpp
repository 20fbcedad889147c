#include "scenario/toml_reader.h"

#include "scenario/duration_limits.h"
#include "scenario/suggest.h"
#include "sim/assert.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace faultline::scenario::detail {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// What the unit of a key is, from its name (every quantity carries its unit in its name).
std::string unit_hint(std::string_view path) {
    if (ends_with(path, "_ms")) return " (milliseconds)";
    if (ends_with(path, "_ppm")) return " (parts per million)";
    return "";
}

std::string quoted_preview(std::string_view s) {
    constexpr std::size_t preview_max = 40;
    if (s.size() > preview_max) return fmt::format("\"{}...\"", s.substr(0, preview_max));
    return fmt::format("\"{}\"", s);
}

}  // namespace

std::string Bounds::describe() const {
    // Catalog option specs say "unbounded" with +-1e300; so does anything beyond 1e299 here.
    constexpr double unbounded = 1e299;
    const bool has_min = min > -unbounded;
    const bool has_max = max < unbounded;
    if (has_min && has_max) {
        return fmt::format("in {}{}, {}]", min_open ? "(" : "[", show_number(min), show_number(max));
    }
    if (has_min) return fmt::format("{} {}", min_open ? ">" : ">=", show_number(min));
    if (has_max) return fmt::format("<= {}", show_number(max));
    return "any number";
}

std::string shown_name(std::string_view name) {
    constexpr std::size_t whole_max = 60;
    constexpr std::size_t clipped = 40;
    if (name.size() <= whole_max) return std::string(name);
    return fmt::format("{}... ({} bytes)", name.substr(0, clipped), name.size());
}

std::string join_key(std::string_view path, std::string_view key) {
    if (path.empty()) return std::string(key);
    return fmt::format("{}.{}", path, key);
}

std::string index_key(std::string_view path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

std::string show_number(double v) {
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1e15) {
        return fmt::format("{}", static_cast<int64_t>(v));
    }
    return fmt::format("{}", v);
}

std::string describe_node(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return fmt::format("a string ({})", quoted_preview(node.as_string()->get()));
        case toml::node_type::integer: return fmt::format("an integer ({})", node.as_integer()->get());
        case toml::node_type::floating_point: {
            // Shown with its point, so that "expected an integer, got ... (3.0)" makes sense.
            const double v = node.as_floating_point()->get();
            const std::string shown = show_number(v);
            const bool looks_integral = shown.find_first_of(".en") == std::string::npos;
            return fmt::format("a floating-point number ({}{})", shown, looks_integral ? ".0" : "");
        }
        case toml::node_type::boolean: return fmt::format("a boolean ({})", node.as_boolean()->get());
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

void TomlReader::error(const toml::source_position& at, std::string key, std::string message) {
    FL_ASSERT(!message.empty(), "an error needs a message (key {})", key);
    errors_.push_back(ScenarioError{
        .file = file_,
        // Nodes created implicitly (a table named only by a dotted header) may carry no position;
        // the top of the file is the best we can say then.
        .line = at.line > 0 ? static_cast<int>(at.line) : 1,
        .column = at.line > 0 ? static_cast<int>(at.column) : 1,
        .key = std::move(key),
        .message = std::move(message),
    });
}

std::vector<ScenarioError> TomlReader::take_sorted_errors() {
    // Stable: errors on one position keep the order the parser found them in (outer before inner).
    std::stable_sort(errors_.begin(), errors_.end(), [](const ScenarioError& a, const ScenarioError& b) {
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
    return std::move(errors_);
}

void TomlReader::unknown_key(const toml::key& key, std::string_view path, std::span<const std::string_view> allowed,
                             std::string_view where) {
    std::string message = where.empty() ? fmt::format("unknown key '{}'", shown_name(key.str()))
                                        : fmt::format("unknown key '{}' in {}", shown_name(key.str()), where);
    if (auto suggestion = closest_match(key.str(), allowed)) {
        message += fmt::format("; did you mean '{}'?", *suggestion);
    } else if (allowed.empty()) {
        message += where.empty() ? "; this table takes no keys" : fmt::format("; {} takes no keys", where);
    } else {
        message += fmt::format("; accepted keys: {}", join_names(allowed));
    }
    error(key.source().begin, join_key(path, key.str()), std::move(message));
}

void TomlReader::check_keys(const toml::table& table, std::string_view path, std::span<const std::string_view> allowed,
                            std::string_view where) {
    for (auto&& [key, value] : table) {
        if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
            unknown_key(key, path, allowed, where);
        }
    }
}

bool TomlReader::require(const toml::table& table, std::string_view key, std::string_view path, std::string_view hint) {
    if (table.contains(key)) return true;
    std::string message = fmt::format("missing required key '{}'", key);
    if (!hint.empty()) message += fmt::format(" ({})", hint);
    error(table.source().begin, join_key(path, key), std::move(message));
    return false;
}

bool TomlReader::real_value(const toml::node& node, std::string_view path, Bounds bounds, double& out) {
    double v = 0;
    if (const auto* i = node.as_integer()) {
        v = static_cast<double>(i->get());
    } else if (const auto* f = node.as_floating_point()) {
        v = f->get();
    } else {
        error(node, std::string(path),
              fmt::format("wrong type: expected a number{}, got {}", unit_hint(path), describe_node(node)));
        return false;
    }
    if (!std::isfinite(v)) {
        error(node, std::string(path), fmt::format("out of range: must be a finite number, got {}", v));
        return false;
    }
    if (!bounds.contains(v)) {
        error(node, std::string(path),
              fmt::format("out of range: must be {}, got {}", bounds.describe(), show_number(v)));
        return false;
    }
    if (!check_duration(node, path, v)) return false;
    out = v;
    return true;
}

bool TomlReader::check_duration(const toml::node& node, std::string_view path, double v) {
    if (!names_a_duration(path)) return true;
    auto problem = duration_problem(v);
    if (problem) error(node, std::string(path), std::move(*problem));
    return !problem;
}

bool TomlReader::integer_value(const toml::node& node, std::string_view path, Bounds bounds, int64_t& out) {
    const auto* i = node.as_integer();
    if (i == nullptr) {
        error(node, std::string(path),
              fmt::format("wrong type: expected an integer{}, got {}", unit_hint(path), describe_node(node)));
        return false;
    }
    const int64_t v = i->get();
    if (!bounds.contains(static_cast<double>(v))) {
        error(node, std::string(path), fmt::format("out of range: must be {}, got {}", bounds.describe(), v));
        return false;
    }
    if (!check_duration(node, path, static_cast<double>(v))) return false;
    out = v;
    return true;
}

bool TomlReader::string_value(const toml::node& node, std::string_view path, std::string& out,
                              std::span<const std::string_view> choices) {
    const auto* s = node.as_string();
    if (s == nullptr) {
        error(node, std::string(path), fmt::format("wrong type: expected a string, got {}", describe_node(node)));
        return false;
    }
    const std::string& v = s->get();
    if (!choices.empty() && std::find(choices.begin(), choices.end(), v) == choices.end()) {
        std::string message = fmt::format("unknown value '{}'", shown_name(v));
        if (auto suggestion = closest_match(v, choices)) message += fmt::format("; did you mean '{}'?", *suggestion);
        message += fmt::format(" (one of: {})", join_names(choices));
        error(node, std::string(path), std::move(message));
        return false;
    }
    out = v;
    return true;
}

bool TomlReader::real(const toml::table& t, std::string_view key, std::string_view path, Bounds bounds, double& out) {
    const toml::node* node = t.get(key);
    return node != nullptr && real_value(*node, join_key(path, key), bounds, out);
}

bool TomlReader::integer(const toml::table& t, std::string_view key, std::string_view path, Bounds bounds,
                         int64_t& out) {
    const toml::node* node = t.get(key);
    return node != nullptr && integer_value(*node, join_key(path, key), bounds, out);
}

bool TomlReader::boolean(const toml::table& t, std::string_view key, std::string_view path, bool& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return false;
    const auto* b = node->as_boolean();
    if (b == nullptr) {
        error(*node, join_key(path, key),
              fmt::format("wrong type: expected a boolean (true or false), got {}", describe_node(*node)));
        return false;
    }
    out = b->get();
    return true;
}

bool TomlReader::string(const toml::table& t, std::string_view key, std::string_view path, std::string& out,
                        std::span<const std::string_view> choices) {
    const toml::node* node = t.get(key);
    return node != nullptr && string_value(*node, join_key(path, key), out, choices);
}

bool TomlReader::string_list(const toml::table& t, std::string_view key, std::string_view path,
                             std::vector<std::string>& out, std::vector<const toml::node*>* elements) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return false;
    const std::string full = join_key(path, key);
    const auto* array = node->as_array();
    if (array == nullptr) {
        error(*node, full, fmt::format("wrong type: expected an array of strings, got {}", describe_node(*node)));
        return false;
    }
    std::vector<std::string> values;
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        std::string value;
        if (!string_value(element, index_key(full, i), value)) {
            ok = false;
            continue;
        }
        values.push_back(std::move(value));
        if (elements != nullptr) elements->push_back(&element);
    }
    if (!ok) {
        if (elements != nullptr) elements->clear();
        return false;
    }
    out = std::move(values);
    return true;
}

const toml::table* TomlReader::table(const toml::table& t, std::string_view key, std::string_view path) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return nullptr;
    if (const auto* table = node->as_table()) return table;
    error(*node, join_key(path, key),
          fmt::format("wrong type: expected a table ([{}] or {} = {{ ... }}), got {}", join_key(path, key), key,
                      describe_node(*node)));
    return nullptr;
}

const toml::array* TomlReader::table_array(const toml::table& t, std::string_view key, std::string_view path) {
    const toml::node* node = t.get(key);
    if (node == nullptr) return nullptr;
    const auto* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
        error(*node, join_key(path, key),
              fmt::format("wrong type: expected an array of tables ([[{}]]), got {}", join_key(path, key),
                          describe_node(*node)));
        return nullptr;
    }
    return array;
}

}  // namespace faultline::scenario::detail
