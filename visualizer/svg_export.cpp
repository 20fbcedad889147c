// Sections: [geometry] [lanes] [messages] [marks] [axis and legend].
#include "visualizer/svg_export.h"

#include "sim/assert.h"
#include "visualizer/palette.h"
#include "visualizer/view_queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace faultline::view {

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default:
            // Control characters are not allowed in XML 1.0 text.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
        }
    }
    return out;
}

namespace {

std::string escape(std::string_view s) { return xml_escape(s); }

std::string rgb(uint32_t c) { return fmt::format("#{:06x}", c & 0xFFFFFF); }

// A tick step of 1, 2 or 5 × 10^k nanoseconds giving about `ticks` ticks over `span_ns`.
int64_t nice_step(double span_ns, int ticks) {
    double raw = std::max(1.0, span_ns / ticks);
    double p = std::pow(10.0, std::floor(std::log10(raw)));
    double m = raw / p;
    double step = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
    return std::max<int64_t>(1, static_cast<int64_t>(step * p));
}

std::string tick_label(int64_t ns, int64_t step_ns) {
    if (step_ns >= 1'000'000'000) return fmt::format("{:g}s", static_cast<double>(ns) / 1e9);
    if (step_ns >= 1'000'000) return fmt::format("{:g}ms", static_cast<double>(ns) / 1e6);
    if (step_ns >= 1'000) return fmt::format("{:g}us", static_cast<double>(ns) / 1e3);
    return fmt::format("{}ns", ns);
}

// ============================================================================================
// [geometry]
// ============================================================================================

struct Geometry {
    double left = 84, right = 0, top = 44, lane_h = 36;
    int64_t from_ns = 0, to_ns = 1;
    double x(Instant t) const {
        double f = static_cast<double>(t.ns() - from_ns) / static_cast<double>(to_ns - from_ns);
        return left + std::clamp(f, -0.01, 1.01) * (right - left);
    }
    double y(NodeId lane) const { return top + lane_h * lane + lane_h / 2; }
    double lane_top(NodeId lane) const { return top + lane_h * lane; }
};

}  // namespace

std::string render_svg(const RunModel& model, const SvgOptions& o) {
    FL_ASSERT(o.width_px >= 300 && o.width_px <= 100'000, "an SVG {} px wide: choose 300..100000", o.width_px);
    FL_ASSERT(o.lane_height_px >= 12 && o.lane_height_px <= 400, "lanes {} px high: choose 12..400", o.lane_height_px);
    Geometry g;
    g.lane_h = o.lane_height_px;
    g.right = o.width_px - 20.0;
    g.from_ns = o.from.value_or(model.begin()).ns();
    g.to_ns = std::max(g.from_ns + 1, o.to.value_or(model.end()).ns());
    const Instant from = Instant::from_ns(g.from_ns), to = Instant::from_ns(g.to_ns);
    const auto lane_count = static_cast<NodeId>(model.lanes().size());
    const double lanes_bottom = g.top + g.lane_h * lane_count;
    const double height = lanes_bottom + 34 + (o.legend ? 64 : 0);

    std::string s;
    s.reserve(1 << 16);
    s += fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{:.0f}\" viewBox=\"0 0 {} {:.0f}\" "
                     "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n",
                     o.width_px, height, o.width_px, height);
    s += "<defs>\n<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" + rgb(palette::paused) + "\" stroke-width=\"2\"/></pattern>\n";
    // A counterexample's window is hatched (the other way), never tinted like a partition's side.
    s += "<pattern id=\"cx-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"" + rgb(palette::counterexample) + "\" stroke-width=\"1.5\" stroke-opacity=\"0.35\"/></pattern>\n";
    for (int i = 0; i < palette::message_type_count; ++i)
        s += fmt::format("<marker id=\"arrow{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
                         "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>\n",
                         i, rgb(palette::message_type(i)));
    s += "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    s += fmt::format("<text x=\"{}\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", g.left,
                     escape(model.info().title));
    s += fmt::format("<text x=\"{}\" y=\"36\" fill=\"#555\">seed {} · trace hash {:016x} · {} events · {} messages · {} "
                     "client operations · showing {} to {}</text>\n",
                     g.left, model.info().seed, model.info().trace_hash, model.events().size(), model.messages().size(),
                     model.ops().size(), escape(to_string(from)), escape(to_string(to)));

    // ========================================================================================
    // [lanes]
    // ========================================================================================
    s += "<g id=\"lanes\">\n";
    for (const Lane& lane : model.lanes()) {
        double top = g.lane_top(lane.node);
        if (lane.node % 2 == 1)
            s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"#f4f4f4\"/>\n", g.left, top,
                             g.right - g.left, g.lane_h);
        if (const StateTrack* role = lane.track("role")) {
            for (std::size_t i = 0; i < role->steps.size(); ++i) {
                uint32_t c = palette::role(role->steps[i].value);
                if (c == 0) continue;
                Instant b = role->steps[i].at, e = i + 1 < role->steps.size() ? role->steps[i + 1].at : model.end();
                if (e < from || b > to) continue;
                s += fmt::format("<rect class=\"role\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" "
                                 "fill-opacity=\"0.35\"><title>{}: role {}</title></rect>\n",
                                 g.x(b), top + 2, std::max(0.5, g.x(e) - g.x(b)), g.lane_h - 4, rgb(c), escape(lane.name),
                                 escape(role->steps[i].value));
            }
        }
    }
    for (const PartitionSpan& p : model.partitions()) {
        if (p.when.end < from || p.when.begin > to) continue;
        double x0 = g.x(p.when.begin), x1 = g.x(p.when.end);
        for (const Lane& lane : model.lanes()) {
            // A clean grouping shades each side in its own tint; any other cut shades the lanes
            // that lose links and names what they cannot reach.
            int grp = p.group_of(lane.node);
            std::vector<NodeId> lost = p.unreachable_from(lane.node);
            bool grouped = p.groups.size() >= 2 && grp >= 0;
            if (!grouped && lost.empty()) continue;
            std::string names;
            for (NodeId n : lost) names += (names.empty() ? "" : ",") + model.node_name(n);
            s += fmt::format("<rect class=\"partition\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" "
                             "fill-opacity=\"{}\"><title>partition {}: {} cannot reach {}</title></rect>\n",
                             x0, g.lane_top(lane.node), std::max(0.5, x1 - x0), g.lane_h,
                             rgb(grouped ? palette::group(grp) : palette::cut), grouped ? 0.22 : 0.14, escape(p.shape),
                             escape(lane.name), escape(names));
            if (!grouped && x1 - x0 > 60)
                s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#a33\" font-size=\"9\">cut from {}</text>\n", x0 + 3,
                                 g.lane_top(lane.node) + 10, escape(names));
        }
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>"
                         "<text x=\"{3:.1f}\" y=\"{4:.1f}\" fill=\"#555\" font-size=\"10\">partition {5}</text>\n",
                         x0, g.top, lanes_bottom, x0 + 3, g.top - 2, escape(p.shape));
    }
    for (const Lane& lane : model.lanes()) {
        double top = g.lane_top(lane.node);
        for (const Interval& d : lane.down) {
            if (d.end < from || d.begin > to) continue;
            s += fmt::format("<rect class=\"down\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" "
                             "fill-opacity=\"0.55\"><title>{} down (crashed) {} to {}</title></rect>\n",
                             g.x(d.begin), top + 1, std::max(0.5, g.x(d.end) - g.x(d.begin)), g.lane_h - 2, rgb(palette::down),
                             escape(lane.name), escape(to_string(d.begin)), escape(to_string(d.end)));
        }
        for (const Interval& p : lane.paused) {
            if (p.end < from || p.begin > to) continue;
            s += fmt::format("<rect class=\"paused\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"url(#hatch)\">"
                             "<title>{} paused {} to {}</title></rect>\n",
                             g.x(p.begin), top + 3, std::max(1.0, g.x(p.end) - g.x(p.begin)), g.lane_h - 6, escape(lane.name),
                             escape(to_string(p.begin)), escape(to_string(p.end)));
        }
        s += fmt::format("<line class=\"lane\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\" stroke-width=\"1\"/>\n",
                         g.left, g.y(lane.node), g.right, g.y(lane.node));
        s += fmt::format("<text x=\"8\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", g.y(lane.node) + 4, escape(lane.name));
        if (lane.is_client) s += fmt::format("<text x=\"30\" y=\"{:.1f}\" fill=\"#777\" font-size=\"10\">client</text>\n", g.y(lane.node) + 4);
    }
    s += "</g>\n";

    // Client operations.
    s += "<g id=\"ops\">\n";
    for (const ClientOp& op : model.ops()) {
        if (op.end < from || op.begin > to) continue;
        uint32_t c = !op.outcome ? palette::op_pending
                     : *op.outcome == ClientOutcome::ok ? palette::op_ok
                     : *op.outcome == ClientOutcome::fail ? palette::op_fail : palette::op_info;
        s += fmt::format("<rect class=\"op\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"12\" fill=\"{}\" fill-opacity=\"0.85\">"
                         "<title>{} → {} ({})</title></rect>\n",
                         g.x(op.begin), g.y(op.client) - 6, std::max(1.5, g.x(op.end) - g.x(op.begin)), rgb(c), escape(op.operation),
                         escape(op.result), op.outcome ? to_string(*op.outcome) : "running");
    }
    s += "</g>\n";

    // ========================================================================================
    // [messages]
    // ========================================================================================
    VisibleMessages vis = visible_messages(model, from, to, o.message_budget);
    s += fmt::format("<g id=\"messages\" data-count=\"{}\" data-aggregated=\"{}\">\n", vis.total, vis.aggregated);
    for (uint32_t mi : vis.items) {
        const Message& m = model.messages()[mi];
        int slot = model.message_type_slot(m.type);
        std::string colour = rgb(palette::message_type(slot));
        double x1 = g.x(m.sent_at), y1 = g.y(m.from);
        double x2 = g.x(m.ended_at), y2 = g.y(m.to);
        if (m.dropped_at_send()) {
            x2 = x1 + 8;
            y2 = y1 + (y2 - y1) * 0.3;
        }
        std::string tip = fmt::format("{} {} → {} sent {} {}{}", model.name(m.type), model.node_name(m.from), model.node_name(m.to),
                                      to_string(m.sent_at), to_string(m.fate),
                                      m.fate == MessageFate::dropped ? fmt::format(" ({})", to_string(m.reason)) : "");
        s += fmt::format("<line class=\"msg\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"1.2\"{}{}>"
                         "<title>{}{}</title></line>\n",
                         x1, y1, x2, y2, colour, m.is_copy() ? " stroke-dasharray=\"4,2\"" : "",
                         m.fate == MessageFate::delivered ? fmt::format(" marker-end=\"url(#arrow{})\"", std::max(0, slot) % palette::message_type_count) : "",
                         escape(tip), m.is_copy() ? " (duplicate copy)" : "");
        if (m.fate == MessageFate::dropped)
            s += fmt::format("<path class=\"drop\" d=\"M{0:.1f},{1:.1f} l8,8 m0,-8 l-8,8\" transform=\"translate(-4,-4)\" stroke=\"{2}\" "
                             "stroke-width=\"2.2\"><title>dropped: {3}</title></path>\n",
                             x2, y2, rgb(palette::drop), escape(to_string(m.reason)));
    }
    if (vis.aggregated) {
        // Too many arrows to read: draw each lane's send density instead.
        LodIndex lod(model);
        TimeAxis axis(model, AxisMode::true_time);
        int columns = std::max(1, static_cast<int>((g.right - g.left) / 3));
        for (const Lane& lane : model.lanes()) {
            auto buckets = lod.lane_buckets(model, axis, lane.node, static_cast<double>(g.from_ns), static_cast<double>(g.to_ns), columns);
            uint32_t peak = 1;
            for (const auto& b : buckets) peak = std::max(peak, b.sends);
            for (int c = 0; c < columns; ++c) {
                const LaneBucket& b = buckets[static_cast<std::size_t>(c)];
                if (b.sends == 0 && b.drops == 0) continue;
                double h = (g.lane_h - 8) * std::sqrt(static_cast<double>(b.sends) / peak);
                s += fmt::format("<rect class=\"density\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"3\" height=\"{:.1f}\" fill=\"{}\" fill-opacity=\"0.6\"/>\n",
                                 g.left + 3.0 * c, g.y(lane.node) - h / 2, std::max(1.0, h), rgb(b.drops ? palette::drop : palette::message_type(0)));
            }
        }
        s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#a00\">{} messages in view: drawn as send density per lane (zoom in for arrows)</text>\n",
                         g.left, lanes_bottom + 30, vis.total);
    }
    s += "</g>\n";

    // ========================================================================================
    // [marks]
    // ========================================================================================
    s += "<g id=\"marks\">\n";
    for (const FaultMark& f : model.faults()) {
        if (f.at < from || f.at > to || f.node == no_node) continue;
        double x = g.x(f.at), y = g.y(f.node);
        std::string tip = fmt::format("{} {} at {}{}{}", to_string(f.kind), model.node_name(f.node), to_string(f.at),
                                      f.text.empty() ? "" : ": ", f.text);
        if (f.kind == EventKind::crash)
            s += fmt::format("<path class=\"crash\" d=\"M{:.1f},{:.1f} l12,12 m0,-12 l-12,12\" stroke=\"{}\" stroke-width=\"3\"><title>{}</title></path>\n",
                             x - 6, y - 6, rgb(palette::crash), escape(tip));
        else if (f.kind == EventKind::restart)
            s += fmt::format("<path class=\"restart\" d=\"M{:.1f},{:.1f} l10,6 l-10,6 z\" fill=\"{}\"><title>{}</title></path>\n", x, y - 6,
                             rgb(palette::restart), escape(tip));
        else if (f.kind == EventKind::clock_jump || f.kind == EventKind::clock_drift)
            s += fmt::format("<path class=\"clock\" d=\"M{:.1f},{:.1f} l5,5 l-5,5 l-5,-5 z\" fill=\"{}\"><title>{}</title></path>\n", x, y - 5,
                             rgb(palette::clock_fault), escape(tip));
        else if (f.kind != EventKind::pause)
            s += fmt::format("<circle class=\"fault\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"#444\"><title>{}</title></circle>\n", x, y - 9,
                             escape(tip));
    }
    for (const VerdictMark& v : model.verdicts()) {
        if (v.ok) continue;
        if (v.window)
            s += fmt::format("<rect class=\"cx-window\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"url(#cx-hatch)\" "
                             "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"5,3\"><title>{}</title></rect>\n",
                             g.x(v.window->begin), g.top, std::max(2.0, g.x(v.window->end) - g.x(v.window->begin)), lanes_bottom - g.top,
                             rgb(palette::counterexample), escape(v.summary));
        for (EventIndex e : v.events) {
            const TraceEvent& ev = model.event(e);
            if (ev.node == no_node || ev.time < from || ev.time > to) continue;
            s += fmt::format("<path class=\"cx-event\" d=\"M{0:.1f},{1:.1f} v{2:.1f} M{0:.1f},{1:.1f} l10,4 l-10,4 z\" stroke=\"{3}\" "
                             "fill=\"{3}\" stroke-width=\"2\"><title>{4}</title></path>\n",
                             g.x(ev.time), g.lane_top(ev.node) + 2, g.lane_h - 4, rgb(palette::counterexample), escape(v.summary));
        }
        for (std::size_t i : v.ops) {
            const ClientOp& op = model.ops()[i];
            s += fmt::format("<rect class=\"cx-op\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\">"
                             "<title>counterexample: {} → {}</title></rect>\n",
                             g.x(op.begin) - 1, g.y(op.client) - 8, std::max(3.0, g.x(op.end) - g.x(op.begin) + 2),
                             rgb(palette::counterexample), escape(op.operation), escape(op.result));
        }
    }
    s += "</g>\n";

    // ========================================================================================
    // [axis and legend]
    // ========================================================================================
    int64_t step = nice_step(static_cast<double>(g.to_ns - g.from_ns), 10);
    double axis_y = lanes_bottom + 6;
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>\n", g.left, axis_y, g.right, axis_y);
    for (int64_t t = (g.from_ns + step - 1) / step * step; t <= g.to_ns; t += step) {
        double x = g.x(Instant::from_ns(t));
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/><line x1=\"{0:.1f}\" y1=\"{2:.1f}\" "
                         "x2=\"{0:.1f}\" y2=\"{3:.1f}\" stroke=\"#333\"/><text x=\"{0:.1f}\" y=\"{4:.1f}\" text-anchor=\"middle\" fill=\"#333\">{5}</text>\n",
                         x, g.top, axis_y, axis_y + 4, axis_y + 16, tick_label(t, step));
    }
    if (o.legend) {
        double y = lanes_bottom + 46, x = g.left;
        auto item = [&](const std::string& glyph, std::string_view label) {
            s += fmt::format("<g transform=\"translate({:.1f},{:.1f})\">{}<text x=\"22\" y=\"4\">{}</text></g>\n", x, y, glyph, escape(label));
            x += 34 + 7.0 * static_cast<double>(label.size());
            if (x > g.right - 120) {
                x = g.left;
                y += 20;
            }
        };
        for (uint32_t type : model.message_types())
            item(fmt::format("<line x1=\"0\" y1=\"0\" x2=\"16\" y2=\"0\" stroke=\"{}\" stroke-width=\"2\"/>",
                             rgb(palette::message_type(model.message_type_slot(type)))),
                 model.name(type));
        item(fmt::format("<line x1=\"0\" y1=\"0\" x2=\"16\" y2=\"0\" stroke=\"#555\" stroke-dasharray=\"4,2\"/>"), "duplicate");
        item(fmt::format("<path d=\"M4,-4 l8,8 m0,-8 l-8,8\" stroke=\"{}\" stroke-width=\"2.2\"/>", rgb(palette::drop)), "dropped");
        item(fmt::format("<path d=\"M2,-6 l12,12 m0,-12 l-12,12\" stroke=\"{}\" stroke-width=\"3\"/>", rgb(palette::crash)), "crash");
        item(fmt::format("<rect x=\"0\" y=\"-6\" width=\"16\" height=\"12\" fill=\"{}\" fill-opacity=\"0.55\"/>", rgb(palette::down)), "down");
        item("<rect x=\"0\" y=\"-6\" width=\"16\" height=\"12\" fill=\"url(#hatch)\"/>", "paused");
        item(fmt::format("<rect x=\"0\" y=\"-6\" width=\"16\" height=\"12\" fill=\"{}\" fill-opacity=\"0.35\"/>", rgb(palette::role("leader"))), "leader");
        item(fmt::format("<rect x=\"0\" y=\"-6\" width=\"16\" height=\"12\" fill=\"{}\" fill-opacity=\"0.3\"/>", rgb(palette::group(0))), "partition side");
        item(fmt::format("<rect x=\"0\" y=\"-5\" width=\"16\" height=\"10\" fill=\"{}\"/>", rgb(palette::op_ok)), "op ok");
        item(fmt::format("<rect x=\"0\" y=\"-5\" width=\"16\" height=\"10\" fill=\"{}\"/>", rgb(palette::op_fail)), "op fail");
        item(fmt::format("<rect x=\"0\" y=\"-5\" width=\"16\" height=\"10\" fill=\"{}\"/>", rgb(palette::op_info)), "op info (unknown)");
        item(fmt::format("<rect x=\"0\" y=\"-6\" width=\"16\" height=\"12\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>", rgb(palette::counterexample)),
             "counterexample");
    }
    s += "</svg>\n";
    return s;
}

}  // namespace faultline::view
