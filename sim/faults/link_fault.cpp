// The link and clear_links kinds (link_fault.h says what they model).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void LinkChange::apply(World& w) const {
    if (from && to) {
        w.set_link(*from, *to, config);
    } else {
        w.set_default_link(config);
    }
}
std::string LinkChange::describe(const std::vector<std::string>& names) const {
    if (from && to) return fmt::format("link {}->{}: {}", node_label(*from, names), node_label(*to, names), config.describe());
    return fmt::format("all links: {}", config.describe());
}
void ClearLinkOverrides::apply(World& w) const { w.clear_link_overrides(); }
std::string ClearLinkOverrides::describe(const std::vector<std::string>&) const { return "clear link overrides"; }

namespace {

std::vector<FaultField> link_fields() {
    std::vector<std::string_view> models(latency_models.begin(), latency_models.end());
    return {
        node_field("from", "one directed link: its sender (with to; neither: every link)"),
        node_field("to", "one directed link: its receiver"),
        choice_field("latency", "the latency model", models),
        number_field("latency_ms", "latency (constant), low end (uniform), base (exponential, long_tail), mean (normal), ms",
                     0, 1e15, false),
        number_field("latency_spread_ms", "uniform: high - low; exponential: mean extra; normal: stddev (ms)", 0, 1e15, false),
        number_field("latency_shape", "long_tail: the Pareto alpha", 0, 1e15, false, true),
        number_field("latency_cap_ms", "long_tail: the cap (ms)", 0, 1e15, false, true),
        probability_field("loss", "probability a message is lost"),
        probability_field("duplicate", "probability a message is delivered twice"),
        probability_field("reorder", "probability a message gets extra delay"),
        number_field("reorder_window_ms", "the extra delay of a reordered message, at most (ms)", 0, 1e15, false),
    };
}

std::vector<FieldProblem> check_link(const FaultArgs& a, const std::vector<std::string>&) {
    std::vector<FieldProblem> out;
    if (a.has("from") != a.has("to")) {
        out.push_back({a.has("from") ? "to" : "from", "give both from and to (one directed link), or neither (every link)"});
    } else if (a.has("from") && a.text("from") == a.text("to")) {
        out.push_back({"to", fmt::format("a link joins two different nodes; from and to are both '{}'", a.text("to"))});
    }
    bool any = false;
    for (std::string_view key : link_keys) any = any || a.has(key);
    if (!any) {
        std::string keys;
        for (std::string_view key : link_keys) keys += (keys.empty() ? "" : ", ") + std::string(key);
        out.push_back({"", fmt::format("a link fault needs at least one link field ({})", keys)});
    }
    return out;
}

// The link as the fault leaves it: [network]'s link with the fault's fields on top.
LinkConfig changed_link(const FaultArgs& a, const FaultContext& c) {
    LinkSpec spec = c.base_link;
    if (a.has("latency")) spec.latency = a.text("latency");
    for (std::string_view key : link_keys)
        if (key != "latency" && a.has(key)) set_link_number(spec, key, a.number(key));
    return link_config(spec);
}

}  // namespace

std::vector<FaultKind> link_kinds() {
    FaultKind link;
    link.name = "link";
    link.summary = "change loss, duplication, reordering or latency, on every link or from -> to";
    link.fields = link_fields();
    link.until = "restore it (one link: clear the overrides; every link: back to [network])";
    link.trace_kinds = {EventKind::link_change};
    link.check = check_link;
    link.make = [](const FaultArgs& a, const FaultContext& c) -> Fault {
        std::optional<NodeId> from, to;
        if (a.has("from")) from = node(a, c, "from");
        if (a.has("to")) to = node(a, c, "to");
        return LinkChange{changed_link(a, c), from, to};
    };
    link.undo = [](const FaultArgs& a, const FaultContext& c) -> Fault {
        if (a.has("from") && a.has("to")) return ClearLinkOverrides{};
        return LinkChange{link_config(c.base_link), std::nullopt, std::nullopt};
    };

    FaultKind clear;
    clear.name = "clear_links";
    clear.summary = "remove per-link overrides";
    clear.trace_kinds = {EventKind::link_change};
    clear.make = [](const FaultArgs&, const FaultContext&) -> Fault { return ClearLinkOverrides{}; };
    clear.args_of = [](const Fault&, const std::vector<std::string>&) { return std::optional<FaultArgs>(FaultArgs{}); };
    return {link, clear};
}

}  // namespace faultline::faults
