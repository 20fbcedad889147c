// The scenario writer (scenario_writer.h): sections in the order of docs/scenarios.md.
//
// Every key written is one the parser reads back into the same field; every key left out is one
// whose default (scenario.h) is the field's value. Where the parser needs a key that the value
// would not otherwise produce (a link override or link fault that changes nothing, a disk fault
// with every probability 0), the writer writes the first field explicitly.
#include "scenario/scenario_writer.h"

#include "sim/assert.h"
#include "sim/faults/fault_kind.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace faultline::scenario {

namespace {

//-------------------------------------------------------------------------------------------------
// Values
//-------------------------------------------------------------------------------------------------

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

// Digits grouped by `_` from 10_000 up, as the house scenarios write times.
std::string integer(int64_t v) {
    const std::string digits = fmt::format("{}", v < 0 ? -static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
    std::string out;
    if (v < 0) out += '-';
    if (digits.size() < 5) return out + digits;
    const std::size_t head = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out += digits.substr(0, head);
    for (std::size_t i = head; i < digits.size(); i += 3) {
        out += '_';
        out += digits.substr(i, 3);
    }
    return out;
}

// A real in its shortest form that reads back exactly: integral values as integers (the parser
// takes an integer wherever a real is expected), others as fmt's shortest round-trip form.
std::string real(double v) {
    FL_ASSERT(std::isfinite(v), "a scenario real must be finite, got {}", v);
    constexpr double exact_integers = 1e15;
    if (v == std::floor(v) && std::fabs(v) < exact_integers) {  // -0 is written as 0: equal as a double
        return integer(static_cast<int64_t>(v));
    }
    std::string out = fmt::format("{}", v);
    FL_ASSERT(out.find_first_of(".e") != std::string::npos, "'{}' is not a TOML float", out);
    return out;
}

std::string boolean(bool v) { return v ? "true" : "false"; }

std::string string_list(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ", ";
        out += quote(names[i]);
    }
    return out + "]";
}

std::string option_value(const OptionValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return integer(*i);
    if (const auto* d = std::get_if<double>(&v)) return real(*d);
    if (const auto* b = std::get_if<bool>(&v)) return boolean(*b);
    return quote(std::get<std::string>(v));
}

class Out {
public:
    void line(std::string_view text) {
        text_ += text;
        text_ += '\n';
    }
    void key(std::string_view name, const std::string& value) { line(fmt::format("{} = {}", name, value)); }
    // A table header, after one blank line (none at the very top).
    void header(std::string_view name) {
        if (!text_.empty()) text_ += '\n';
        line(name);
    }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
};

//-------------------------------------------------------------------------------------------------
// Description
//-------------------------------------------------------------------------------------------------

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (true) {
        const std::size_t end = text.find('\n', pos);
        lines.emplace_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) break;
        pos = end + 1;
    }
    return lines;
}

// Whether the parser's leading-comment rule (scenario_parser.cpp, leading_comment) gives back
// exactly `description` from its lines written as "# line".
bool comment_block_is_exact(std::string_view description) {
    if (description.find('\r') != std::string_view::npos) return false;
    const std::vector<std::string> lines = split_lines(description);
    if (lines.front().empty() || lines.back().empty()) return false;  // trimmed by the parser
    const std::string& head = lines.front();
    const bool looks_like_path = head.find(' ') == std::string::npos && head.size() > 5 &&
                                 head.substr(head.size() - 5) == ".toml";
    return !looks_like_path;
}

void write_description(Out& out, const std::string& description) {
    if (description.empty()) return;
    for (const std::string& line : split_lines(description)) out.line(line.empty() ? "#" : "# " + line);
}

//-------------------------------------------------------------------------------------------------
// Sections
//-------------------------------------------------------------------------------------------------

void write_scenario(Out& out, const Scenario& s) {
    out.header("[scenario]");
    out.key("version", integer(s.version));
    out.key("name", quote(s.name));
    if (!s.description.empty() && !comment_block_is_exact(s.description)) out.key("description", quote(s.description));
    out.key("duration_ms", real(s.duration_ms));
    out.key("seed", fmt::format("{}", s.seed));
}

void write_cluster(Out& out, const Scenario& s) {
    bool numbered = true;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) numbered &= s.nodes[i] == fmt::format("n{}", i + 1);
    out.header("[cluster]");
    if (numbered) {
        out.key("nodes", integer(static_cast<int64_t>(s.nodes.size())));
    } else {
        out.key("names", string_list(s.nodes));
    }
}

void write_systems(Out& out, const Scenario& s) {
    for (const System& system : s.systems) {
        out.header("[[system]]");
        out.key("name", quote(system.name));
        out.key("protocol", quote(system.protocol));
        if (system.options.empty()) continue;
        out.line("[system.options]");
        for (const auto& [name, value] : system.options) out.key(name, option_value(value));
    }
}

// The link fields of `link` that differ from `base`, in docs order. With `at_least_one`, a link
// equal to its base still gets `latency_ms`, because the parser wants at least one field.
void write_link_fields(Out& out, const LinkSpec& link, const LinkSpec& base, bool at_least_one) {
    int written = 0;
    auto field = [&](std::string_view name, bool differs, const std::string& value) {
        if (!differs) return;
        out.key(name, value);
        ++written;
    };
    field("latency", link.latency != base.latency, quote(link.latency));
    field("latency_ms", link.latency_ms != base.latency_ms, real(link.latency_ms));
    field("latency_spread_ms", link.latency_spread_ms != base.latency_spread_ms, real(link.latency_spread_ms));
    field("latency_shape", link.latency_shape != base.latency_shape, real(link.latency_shape));
    field("latency_cap_ms", link.latency_cap_ms != base.latency_cap_ms, real(link.latency_cap_ms));
    field("loss", link.loss != base.loss, real(link.loss));
    field("duplicate", link.duplicate != base.duplicate, real(link.duplicate));
    field("reorder", link.reorder != base.reorder, real(link.reorder));
    field("reorder_window_ms", link.reorder_window_ms != base.reorder_window_ms, real(link.reorder_window_ms));
    if (written == 0 && at_least_one) out.key("latency_ms", real(link.latency_ms));
}

void write_network(Out& out, const Scenario& s) {
    const LinkSpec defaults;
    Out fields;
    write_link_fields(fields, s.network.link, defaults, false);
    const std::string base = fields.take();
    if (!base.empty()) {
        out.header("[network]");
        for (const std::string& line : split_lines(base)) {
            if (!line.empty()) out.line(line);
        }
    }
    for (const LinkOverride& o : s.network.overrides) {
        out.header("[[network.link]]");
        out.key("from", quote(o.from));
        out.key("to", quote(o.to));
        if (o.both_ways) out.key("both_ways", "true");
        write_link_fields(out, o.link, s.network.link, true);
    }
}

void write_workload(Out& out, const Workload& w) {
    const Workload defaults;
    out.header("[workload]");
    out.key("clients", integer(w.clients));
    // With no clients the parser refuses an explicit ops_per_client other than 0.
    if (w.clients > 0 || w.ops_per_client == 0) out.key("ops_per_client", integer(w.ops_per_client));
    out.key("think_time_ms", real(w.think_time_ms));
    if (w.start_delay_ms != defaults.start_delay_ms) out.key("start_delay_ms", real(w.start_delay_ms));
    if (w.stop_at_ms) out.key("stop_at_ms", real(*w.stop_at_ms));
    out.key("keys", integer(w.keys));
    if (w.key_distribution != defaults.key_distribution) out.key("key_distribution", quote(w.key_distribution));
    if (w.zipf_exponent != defaults.zipf_exponent) out.key("zipf_exponent", real(w.zipf_exponent));
    if (w.mix() != defaults.mix()) {
        // Left-out operations weigh 0, so only the others are written.
        std::vector<std::string> weights;
        for (const auto& [op, weight] : w.mix())
            if (weight != 0) weights.push_back(fmt::format("{} = {}", op, real(weight)));
        std::string mix = "{ ";
        for (std::size_t i = 0; i < weights.size(); ++i) mix += (i > 0 ? ", " : "") + weights[i];
        out.key("mix", mix + " }");
    }
    out.key("timeout_ms", real(w.timeout_ms));
    if (w.attempts_max != defaults.attempts_max) out.key("attempts_max", integer(w.attempts_max));
    if (w.elements != defaults.elements) out.key("elements", integer(w.elements));
}

std::string fault_value(const faults::FaultValue& v) {
    if (const auto* d = std::get_if<double>(&v)) return real(*d);
    if (const auto* t = std::get_if<std::string>(&v)) return quote(*t);
    if (const auto* l = std::get_if<std::vector<std::string>>(&v)) return string_list(*l);
    std::string groups = "[";
    const auto& g = std::get<std::vector<std::vector<std::string>>>(v);
    for (std::size_t i = 0; i < g.size(); ++i) groups += (i > 0 ? ", " : "") + string_list(g[i]);
    return groups + "]";
}

// The fields in the order the kind lists them (sim/faults/fault_kind.h).
void write_fault(Out& out, const FaultSpec& f) {
    const faults::FaultKind* kind = faults::find_fault_kind(f.kind);
    FL_ASSERT(kind != nullptr, "fault kind '{}' passed validation but is not in the table", f.kind);
    out.header("[[fault]]");
    out.key("kind", quote(f.kind));
    out.key("at_ms", real(f.at_ms));
    for (const faults::FaultField& field : kind->fields) {
        auto it = f.args.values().find(field.key);
        if (it != f.args.values().end()) out.key(field.key, fault_value(it->second));
    }
    FL_ASSERT(f.args.values().size() <= kind->fields.size(), "a {} fault carries fields its kind does not take", f.kind);
    if (f.until_ms) out.key("until_ms", real(*f.until_ms));
}

void write_nemesis(Out& out, const Nemesis& n) {
    const Nemesis d;
    const bool is_default = n.enabled == d.enabled && n.kinds == d.kinds && n.targets == d.targets &&
                            n.start_ms == d.start_ms && n.end_ms == d.end_ms && n.interval_ms == d.interval_ms &&
                            n.episode_ms == d.episode_ms && n.swarm == d.swarm &&
                            n.clock_jump_ms_max == d.clock_jump_ms_max && n.clock_drift_ppm_max == d.clock_drift_ppm_max;
    if (is_default) return;
    out.header("[nemesis]");
    out.key("enabled", boolean(n.enabled));
    out.key("kinds", string_list(n.kinds));
    if (!n.targets.empty()) out.key("targets", string_list(n.targets));  // empty means every server
    out.key("start_ms", real(n.start_ms));
    out.key("end_ms", real(n.end_ms));
    out.key("interval_ms", real(n.interval_ms));
    out.key("episode_ms", real(n.episode_ms));
    out.key("swarm", boolean(n.swarm));
    if (n.clock_jump_ms_max != d.clock_jump_ms_max) out.key("clock_jump_ms_max", integer(n.clock_jump_ms_max));
    if (n.clock_drift_ppm_max != d.clock_drift_ppm_max) out.key("clock_drift_ppm_max", real(n.clock_drift_ppm_max));
}

void write_buggify(Out& out, const Buggify& b) {
    if (!b.enabled && b.sites.empty()) return;
    out.header("[buggify]");
    out.key("enabled", boolean(b.enabled));
    if (!b.sites.empty()) out.key("sites", string_list(b.sites));  // empty means every site
}

void write_explored(Out& out, const Explored& e) {
    if (e.choices.empty()) return;
    out.header("[explored]");
    std::vector<std::string> items;
    for (const ExploredChoice& c : e.choices) items.push_back(fmt::format("{} {}", c.index, choice_name(c.choice)));
    out.key("choices", string_list(items));
    const Explored d;
    if (e.late_ms != d.late_ms) out.key("late_ms", real(e.late_ms));
    if (e.restart_ms != d.restart_ms) out.key("restart_ms", real(e.restart_ms));
}

void write_checkers_and_liveness(Out& out, const Scenario& s) {
    if (!s.checkers.switches.empty() || !s.checkers.options.empty()) {
        out.header("[checkers]");
        for (const auto& [name, on] : s.checkers.switches) out.key(name, boolean(on));
        for (const auto& [name, value] : s.checkers.options) out.key(name, option_value(value));
    }
    const Liveness l;
    if (s.liveness.enabled != l.enabled || s.liveness.heal_at_ms || s.liveness.within_ms != l.within_ms) {
        out.header("[liveness]");
        out.key("enabled", boolean(s.liveness.enabled));
        if (s.liveness.heal_at_ms) out.key("heal_at_ms", real(*s.liveness.heal_at_ms));
        out.key("within_ms", real(s.liveness.within_ms));
    }
}

std::string expect_value(const ExpectValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) return boolean(*b);
    if (const auto* i = std::get_if<int64_t>(&v)) return integer(*i);
    return real(std::get<double>(v));
}

void write_expect_fields(Out& out, const Expect& e) {
    for (const ExpectItem& item : e.items) out.key(item.key, expect_value(item.value));
}

void write_expect(Out& out, const Scenario& s) {
    if (!s.expect_all.empty()) {
        out.header("[expect]");
        write_expect_fields(out, s.expect_all);
    }
    // std::map: the systems in name order. An empty [expect.<name>] is kept: it is in the map.
    for (const auto& [system, e] : s.expect) {
        out.header(fmt::format("[expect.{}]", system));
        write_expect_fields(out, e);
    }
}

}  // namespace

std::string write_fault_toml(const FaultSpec& f) {
    Out out;
    write_fault(out, f);
    return out.take();
}

std::string write_scenario_toml(const Scenario& s) {
    FL_ASSERT(!s.systems.empty(), "a scenario to write has at least one system; write a parsed scenario");
    FL_ASSERT(!s.nodes.empty(), "a scenario to write has at least one node; write a parsed scenario");
    Out out;
    write_description(out, s.description);
    write_scenario(out, s);
    write_cluster(out, s);
    write_systems(out, s);
    write_network(out, s);
    write_workload(out, s.workload);
    for (const FaultSpec& f : s.faults) write_fault(out, f);
    write_nemesis(out, s.nemesis);
    write_buggify(out, s.buggify);
    write_explored(out, s.explored);
    write_checkers_and_liveness(out, s);
    write_expect(out, s);
    std::string text = out.take();
    FL_ASSERT(!text.empty() && text.back() == '\n', "the written scenario ends with a newline");
    return text;
}

}  // namespace faultline::scenario
