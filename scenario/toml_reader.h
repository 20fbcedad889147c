// TomlReader: typed, checked reads from a toml++ document that record errors instead of throwing.
// Internal to the scenario parser (scenario/*.cpp); not part of the public API.
//
// Every read names the key by its dotted path and reports at the most precise position known: a
// bad value at the value, an unknown key at the key, a missing key at its table's header. Reads
// of absent keys leave the output untouched (the Scenario's defaults stay) and return false; so
// do reads of bad values, after recording the error.
#pragma once

#include "scenario/scenario_parser.h"

#include <toml++/toml.h>

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::scenario::detail {

// The allowed range of a number: [min, max], or (min, max] with min_open.
struct Bounds {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_open = false;

    static Bounds any() { return {}; }
    static Bounds non_negative() { return {0.0}; }
    static Bounds positive() { return {0.0, std::numeric_limits<double>::infinity(), true}; }
    static Bounds probability() { return {0.0, 1.0}; }
    static Bounds between(double lo, double hi) { return {lo, hi}; }
    bool contains(double v) const { return (min_open ? v > min : v >= min) && v <= max; }
    std::string describe() const;  // ">= 0", "> 0", "in [0, 1]"
};

// "fault" + 2 -> "fault[2]"; "network" + "loss" -> "network.loss"; "" + "x" -> "x".
std::string join_key(std::string_view path, std::string_view key);
std::string index_key(std::string_view path, std::size_t index);
// A number as messages show it: 20000, 0.5, 1e+300.
std::string show_number(double v);
// A name from the file as messages show it: whole up to 60 bytes, else its first 40 and its
// length ("xxxx... (5000 bytes)"), so that one hostile line does not become a page of output.
std::string shown_name(std::string_view name);
// "a string (\"20s\")", "an integer (5)", "a table": what a node is, for type errors.
std::string describe_node(const toml::node& node);

class TomlReader {
public:
    explicit TomlReader(std::string file) : file_(std::move(file)) {}

    void error(const toml::source_position& at, std::string key, std::string message);
    void error(const toml::node& at, std::string key, std::string message) {
        error(at.source().begin, std::move(key), std::move(message));
    }
    std::size_t error_count() const { return errors_.size(); }
    std::vector<ScenarioError> take_sorted_errors();

    // Every key of `table` that is not in `allowed` is an error at the key, with a suggestion.
    // `where` names the table in messages ("[network]"; empty at the top level).
    void check_keys(const toml::table& table, std::string_view path, std::span<const std::string_view> allowed,
                    std::string_view where);
    void unknown_key(const toml::key& key, std::string_view path, std::span<const std::string_view> allowed,
                     std::string_view where);
    // Records "missing required key" at the table unless the key is present; true when present.
    bool require(const toml::table& table, std::string_view key, std::string_view path, std::string_view hint = {});

    // Typed reads. Reals accept integers. Integers must be integers and are range-checked as
    // doubles (exact for every value a scenario can sensibly hold). A key in ms (its name says
    // so) must also be a time the kernel can hold: 0, or 1 ns to one week (duration_limits.h).
    bool real(const toml::table& t, std::string_view key, std::string_view path, Bounds bounds, double& out);
    bool integer(const toml::table& t, std::string_view key, std::string_view path, Bounds bounds, int64_t& out);
    bool boolean(const toml::table& t, std::string_view key, std::string_view path, bool& out);
    // With `choices`, the value must be one of them ("did you mean" when close).
    bool string(const toml::table& t, std::string_view key, std::string_view path, std::string& out,
                std::span<const std::string_view> choices = {});
    // An array of strings; `elements` (optional) receives each element's node, for positions.
    bool string_list(const toml::table& t, std::string_view key, std::string_view path, std::vector<std::string>& out,
                     std::vector<const toml::node*>* elements = nullptr);
    // A sub-table (`[a.b]` or `b = { ... }`); nullptr when absent or (after an error) not a table.
    const toml::table* table(const toml::table& t, std::string_view key, std::string_view path);
    // An array of tables (`[[a]]`); nullptr when absent or (after an error) something else.
    const toml::array* table_array(const toml::table& t, std::string_view key, std::string_view path);

    // The value checks behind the typed reads, for values that are not table entries.
    bool real_value(const toml::node& node, std::string_view path, Bounds bounds, double& out);
    bool integer_value(const toml::node& node, std::string_view path, Bounds bounds, int64_t& out);
    bool string_value(const toml::node& node, std::string_view path, std::string& out,
                      std::span<const std::string_view> choices = {});

private:
    // Keys in ms must hold a time the kernel can represent (duration_limits.h); false after the error.
    bool check_duration(const toml::node& node, std::string_view path, double v);

    std::string file_;
    std::vector<ScenarioError> errors_;
};

}  // namespace faultline::scenario::detail
