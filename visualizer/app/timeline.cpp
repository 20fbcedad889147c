// The space-time diagram: lanes, arrows, faults, operations, clocks, the cursor.
// Sections: [geometry] [input] [lanes] [operations] [messages] [marks] [ruler and cursor]
// [clock track] [hover and pick] [entry points].
//
// Every frame is drawn from the model, the visible axis range and the cursor; the only state kept
// here is what the mouse is doing. Level of detail: a lane whose visible events outnumber half its
// pixel columns is drawn as per-column densities (LodIndex), and past a budget of about one arrow
// per pixel column messages become per-lane send densities, so a run of a million events costs the
// same per frame as a small one.
#include "sim/assert.h"
#include "visualizer/app/viewer_state.h"
#include "visualizer/palette.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace faultline::view {

namespace {

// ============================================================================================
// [geometry]
// ============================================================================================

struct Canvas {
    const RunModel* m = nullptr;
    const TimeAxis* axis = nullptr;
    const LodIndex* lod = nullptr;
    double a0 = 0, a1 = 1;
    bool primary = true;               // the run being inspected (selection and highlight apply)
    ImVec2 p0, p1;                     // the whole canvas
    float label_w = 104, ruler_h = 30, lane_h = 40, clock_h = 0;
    float x0 = 0, x1 = 1;              // the plot's x range

    float x_of_axis(double a) const { return x0 + static_cast<float>((a - a0) / (a1 - a0)) * (x1 - x0); }
    float x_of_time(Instant t) const { return x_of_axis(axis->of_time(t)); }
    float x_of_event(EventIndex e) const { return x_of_axis(axis->of_event(e)); }
    double axis_of_x(float x) const { return a0 + static_cast<double>((x - x0) / (x1 - x0)) * (a1 - a0); }
    float lane_top(NodeId n) const { return p0.y + ruler_h + lane_h * static_cast<float>(n); }
    float lane_y(NodeId n) const { return lane_top(n) + lane_h / 2; }
    float lanes_bottom() const { return lane_top(static_cast<NodeId>(m->lanes().size())); }
    bool visible_x(float xa, float xb) const { return xb >= x0 - 2 && xa <= x1 + 2; }
};

// The thing under the mouse, nearest first.
struct Pick {
    SelectionKind kind = SelectionKind::none;
    std::size_t index = 0;
    float distance = 1e9f;
    void offer(SelectionKind k, std::size_t i, float d) {
        if (d < distance) {
            kind = k;
            index = i;
            distance = d;
        }
    }
};

float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
    float dx = b.x - a.x, dy = b.y - a.y;
    float len2 = dx * dx + dy * dy;
    float t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0f, 1.0f) : 0;
    float cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y;
    return std::sqrt(cx * cx + cy * cy);
}

void draw_cross(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float thickness) {
    dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, thickness);
    dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col, thickness);
}

void draw_arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, bool head, bool dashed) {
    if (dashed) {
        float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
        int dashes = std::max(1, static_cast<int>(len / 6));
        for (int i = 0; i < dashes; i += 2) {
            float f0 = static_cast<float>(i) / dashes, f1 = static_cast<float>(i + 1) / dashes;
            dl->AddLine(ImVec2(a.x + dx * f0, a.y + dy * f0), ImVec2(a.x + dx * f1, a.y + dy * f1), col, thickness);
        }
    } else {
        dl->AddLine(a, b, col, thickness);
    }
    if (!head) return;
    float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len < 4) return;
    dx /= len;
    dy /= len;
    float s = 6 + thickness;
    ImVec2 l(b.x - dx * s - dy * s * 0.45f, b.y - dy * s + dx * s * 0.45f);
    ImVec2 r(b.x - dx * s + dy * s * 0.45f, b.y - dy * s - dx * s * 0.45f);
    dl->AddTriangleFilled(b, l, r, col);
}

void draw_hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col) {
    dl->PushClipRect(a, b, true);
    float h = b.y - a.y;
    for (float x = a.x - h; x < b.x; x += 7) dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), col, 1.5f);
    dl->PopClipRect();
}

uint32_t outcome_colour(const ClientOp& op) {
    if (!op.outcome) return palette::op_pending;
    switch (*op.outcome) {
    case ClientOutcome::ok: return palette::op_ok;
    case ClientOutcome::fail: return palette::op_fail;
    case ClientOutcome::info: return palette::op_info;
    }
    return palette::op_pending;
}

// The highlight's relation to an event: 1 past, 2 future, 0 neither, -1 no highlight.
int relation(const ViewerState& s, const Canvas& c, EventIndex e) {
    if (!c.primary || !s.highlight.active() || e == no_event) return -1;
    if (s.highlight.past[e]) return 1;
    if (s.highlight.future[e]) return 2;
    return 0;
}

// ============================================================================================
// [input]
// ============================================================================================

void handle_input(ViewerState& s, Canvas& c, bool hovered, bool active, bool* clicked) {
    ImGuiIO& io = ImGui::GetIO();
    const double full = s.axis.end() - s.axis.begin();
    const double min_span = s.axis_mode == AxisMode::true_time ? 2'000.0 : 5.0;  // 2 us, 5 events or 5 Lamport ticks
    if (hovered && io.MouseWheel != 0 && io.MousePos.x >= c.x0) {
        double am = c.axis_of_x(io.MousePos.x);
        double f = std::pow(0.8, static_cast<double>(io.MouseWheel));
        double n0 = am - (am - s.view_a0) * f, n1 = am + (s.view_a1 - am) * f;
        if (n1 - n0 >= min_span && n1 - n0 <= full * 1.5) {
            s.view_a0 = n0;
            s.view_a1 = n1;
        }
    }
    bool in_ruler = io.MouseClickedPos[0].y < c.p0.y + c.ruler_h;
    // A pan follows the mouse from where the button went down: the range at the press, shifted by
    // the whole distance moved (a per-frame delta would lose the moves below the drag threshold,
    // and the run would slide away from under the pointer).
    if (active && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        s.pan_from_a0 = s.view_a0;
        s.pan_from_a1 = s.view_a1;
    }
    if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3)) {
        if (in_ruler) {
            s.cursor = std::clamp(s.axis.time_of(c.axis_of_x(io.MousePos.x)), Instant::zero(), s.model().end());
        } else {
            double per_px = (s.pan_from_a1 - s.pan_from_a0) / (c.x1 - c.x0);
            double dx = static_cast<double>(io.MousePos.x - io.MouseClickedPos[0].x);
            s.view_a0 = s.pan_from_a0 - dx * per_px;
            s.view_a1 = s.pan_from_a1 - dx * per_px;
        }
    }
    *clicked = hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
               io.MouseDragMaxDistanceSqr[0] <= 9.0f && io.MousePos.x >= c.x0;
    if (*clicked && in_ruler) {
        s.cursor = std::clamp(s.axis.time_of(c.axis_of_x(io.MousePos.x)), Instant::zero(), s.model().end());
        *clicked = false;
    }
    c.a0 = s.view_a0;
    c.a1 = s.view_a1;
}

// ============================================================================================
// [lanes]
// ============================================================================================

void draw_lanes(ViewerState& s, const Canvas& c, ImDrawList* dl, Pick& pick) {
    const RunModel& m = *c.m;
    const Instant t0 = c.axis->time_of(c.a0), t1 = c.axis->time_of(c.a1);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const Lane& lane : m.lanes()) {
        float top = c.lane_top(lane.node), bottom = top + c.lane_h;
        if (lane.node % 2 == 1) dl->AddRectFilled(ImVec2(c.x0, top), ImVec2(c.x1, bottom), IM_COL32(0, 0, 0, 10));
        // Role as lane colour.
        if (const StateTrack* role = lane.track("role")) {
            for (std::size_t i = 0; i < role->steps.size(); ++i) {
                uint32_t rgb = palette::role(role->steps[i].value);
                if (rgb == 0) continue;
                Instant b = role->steps[i].at, e = i + 1 < role->steps.size() ? role->steps[i + 1].at : m.end();
                float xa = c.x_of_time(b), xb = c.x_of_time(e);
                if (!c.visible_x(xa, xb)) continue;
                dl->AddRectFilled(ImVec2(xa, top + 2), ImVec2(std::max(xa + 1, xb), bottom - 2), colour(rgb, 0.38f));
            }
        }
    }
    // Partitions: each side of a clean grouping in its own tint; otherwise the lanes that lost
    // links, with what they cannot reach.
    for (const PartitionSpan& p : m.partitions()) {
        float xa = c.x_of_time(p.when.begin), xb = c.x_of_time(p.when.end);
        if (!c.visible_x(xa, xb)) continue;
        for (const Lane& lane : m.lanes()) {
            int g = p.group_of(lane.node);
            bool grouped = p.groups.size() >= 2 && g >= 0;
            auto lost = p.unreachable_from(lane.node);
            if (!grouped && lost.empty()) continue;
            float top = c.lane_top(lane.node);
            dl->AddRectFilled(ImVec2(xa, top), ImVec2(xb, top + c.lane_h),
                              colour(grouped ? palette::group(g) : palette::cut, grouped ? 0.22f : 0.16f));
            if (!grouped && xb - xa > 70) {
                std::string names;
                for (NodeId n : lost) names += (names.empty() ? "" : ",") + m.node_name(n);
                dl->AddText(ImVec2(std::max(xa, c.x0) + 3, top + 1), colour(0xA03030), ("x " + names).c_str());
            }
        }
    }
    // Counterexample window.
    for (const VerdictMark& v : m.verdicts()) {
        if (v.ok || !v.window) continue;
        float xa = c.x_of_time(v.window->begin), xb = std::max(c.x_of_time(v.window->end), xa + 2);
        if (!c.visible_x(xa, xb)) continue;
        // Hatched, not tinted: a partition tints its sides, and the two must never be confused.
        const float top = c.lane_top(0), bottom = c.lanes_bottom();
        dl->PushClipRect(ImVec2(std::max(xa, c.x0), top), ImVec2(xb, bottom), true);
        for (float x = xa - (bottom - top); x < xb; x += 9)
            dl->AddLine(ImVec2(x, bottom), ImVec2(x + (bottom - top), top), colour(palette::counterexample, 0.18f), 1.0f);
        dl->PopClipRect();
        dl->AddRect(ImVec2(xa, top), ImVec2(xb, bottom), colour(palette::counterexample, 0.8f), 0, 0, 2.0f);
    }
    for (const Lane& lane : m.lanes()) {
        float top = c.lane_top(lane.node), bottom = top + c.lane_h, y = c.lane_y(lane.node);
        for (const Interval& d : lane.down) {
            float xa = c.x_of_time(d.begin), xb = c.x_of_time(d.end);
            if (!c.visible_x(xa, xb)) continue;
            dl->AddRectFilled(ImVec2(xa, top + 1), ImVec2(std::max(xa + 1, xb), bottom - 1), colour(palette::down, 0.55f));
            if (xb - xa > 60) dl->AddText(ImVec2(std::max(xa, c.x0) + 4, y - 7), IM_COL32(255, 255, 255, 230), "down");
        }
        for (const Interval& p : lane.paused) {
            float xa = c.x_of_time(p.begin), xb = c.x_of_time(p.end);
            if (!c.visible_x(xa, xb)) continue;
            draw_hatch(dl, ImVec2(xa, top + 3), ImVec2(std::max(xa + 2, xb), bottom - 3), colour(palette::paused, 0.8f));
        }
        dl->AddLine(ImVec2(c.x0, y), ImVec2(c.x1, y), IM_COL32(60, 60, 60, 160), 1.0f);
        // Term labels where they fit.
        if (const StateTrack* term = lane.track("term")) {
            for (std::size_t i = 0; i < term->steps.size(); ++i) {
                if (term->steps[i].value.empty()) continue;
                float xa = c.x_of_time(term->steps[i].at);
                float xb = i + 1 < term->steps.size() ? c.x_of_time(term->steps[i + 1].at) : c.x1;
                if (xb - xa < 34 || xb < c.x0 || xa > c.x1) continue;
                dl->AddText(ImVec2(std::max(xa, c.x0) + 3, bottom - 15), IM_COL32(90, 70, 0, 200), ("t" + term->steps[i].value).c_str());
            }
        }
        // Events: ticks when they fit, densities when they do not.
        auto [lo, hi] = c.lod->lane_range(m, *c.axis, lane.node, c.a0, c.a1);
        int columns = std::max(1, static_cast<int>((c.x1 - c.x0) / 2));
        if (hi - lo <= static_cast<std::size_t>(columns)) {
            for (std::size_t k = lo; k < hi; ++k) {
                EventIndex e = lane.events[k];
                float x = c.x_of_event(e);
                int rel = relation(s, c, e);
                ImU32 col = rel == 1 ? colour(0x1F5FBF, 0.9f) : rel == 2 ? colour(0xD9730D, 0.9f) : IM_COL32(40, 40, 40, rel == 0 ? 40 : 110);
                dl->AddLine(ImVec2(x, y - 4), ImVec2(x, y + 4), col, rel > 0 ? 2.0f : 1.0f);
                if (std::fabs(mouse.y - y) < c.lane_h / 2) pick.offer(SelectionKind::event, e, std::fabs(mouse.x - x) + 3);
            }
        } else {
            auto buckets = c.lod->lane_buckets(m, *c.axis, lane.node, c.a0, c.a1, columns);
            uint32_t peak = 1;
            for (const auto& b : buckets) peak = std::max(peak, b.events);
            for (int k = 0; k < columns; ++k) {
                const LaneBucket& b = buckets[static_cast<std::size_t>(k)];
                if (b.events == 0) continue;
                float h = (c.lane_h - 8) * std::sqrt(static_cast<float>(b.events) / static_cast<float>(peak));
                float x = c.x0 + 2.0f * static_cast<float>(k);
                dl->AddRectFilled(ImVec2(x, y - h / 2), ImVec2(x + 2, y + h / 2), IM_COL32(40, 40, 40, 70));
                if (b.drops > 0) dl->AddRectFilled(ImVec2(x, top + 2), ImVec2(x + 2, top + 6), colour(palette::drop, 0.9f));
            }
        }
        (void)t0;
        (void)t1;
    }
}

// ============================================================================================
// [operations]
// ============================================================================================

void draw_ops(ViewerState& s, const Canvas& c, ImDrawList* dl, Pick& pick) {
    const RunModel& m = *c.m;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const Instant t0 = c.axis->time_of(c.a0);
    const int columns = std::max(1, static_cast<int>((c.x1 - c.x0) / 3));
    for (const Lane& lane : m.lanes()) {
        const auto& ops = c.lod->client_ops(lane.node);
        if (ops.empty()) continue;
        const float y = c.lane_y(lane.node);
        auto [lo, hi] = c.lod->op_range(m, *c.axis, lane.node, c.a0, c.a1);
        if (hi - lo > static_cast<std::size_t>(columns) / 2) {
            // Too dense to see one by one: per column, the outcomes of the operations invoked
            // there, stacked (ok at the bottom, then info, fail, running).
            auto buckets = c.lod->op_buckets(m, *c.axis, lane.node, c.a0, c.a1, columns);
            for (int k = 0; k < columns; ++k) {
                const auto& b = buckets[static_cast<std::size_t>(k)];
                uint32_t total = b.total();
                if (total == 0) continue;
                float x = c.x0 + 3.0f * static_cast<float>(k), bottom = y + 7, h = 14;
                uint32_t parts[4] = {b.ok, b.info, b.fail, b.running};
                uint32_t colours[4] = {palette::op_ok, palette::op_info, palette::op_fail, palette::op_pending};
                for (int p = 0; p < 4; ++p) {
                    if (parts[p] == 0) continue;
                    float ph = std::max(2.0f, h * static_cast<float>(parts[p]) / static_cast<float>(total));
                    dl->AddRectFilled(ImVec2(x, bottom - ph), ImVec2(x + 3, bottom), colour(colours[p], 0.9f));
                    bottom -= ph;
                }
            }
            continue;
        }
        // One by one. An operation is at most a few timeouts long: start a little before the view.
        std::size_t first = c.lod->op_range(m, *c.axis, lane.node, c.axis->of_time(t0 - seconds(1)), c.a0).first;
        std::size_t labelled = 0;
        for (std::size_t k = first; k < hi; ++k) {
            std::size_t i = ops[k];
            const ClientOp& op = m.ops()[i];
            float xa = c.x_of_event(op.invoke);
            float xb = op.complete != no_event ? c.x_of_event(op.complete) : c.x_of_time(op.end);
            if (xb < c.x0 - 2) continue;
            xb = std::max(xb, xa + 2);
            int rel = relation(s, c, op.complete != no_event ? op.complete : op.invoke);
            bool selected = c.primary && s.selection.kind == SelectionKind::op && s.selection.index == i;
            float alpha = rel == 0 ? 0.3f : 0.9f;
            ImVec2 a(xa, y - 7), b(xb, y + 7);
            dl->AddRectFilled(a, b, colour(outcome_colour(op), alpha), 2);
            if (rel == 1 && !selected) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), colour(0x1F5FBF), 2, 0, 1.5f);
            if (rel == 2 && !selected) dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), colour(0xD9730D), 2, 0, 1.5f);
            if (selected) dl->AddRect(ImVec2(a.x - 2, a.y - 2), ImVec2(b.x + 2, b.y + 2), IM_COL32(0, 0, 0, 255), 2, 0, 2.5f);
            if (xb - xa > 60 && ++labelled < 200) {
                dl->PushClipRect(a, b, true);
                dl->AddText(ImVec2(xa + 3, y - 7), IM_COL32(255, 255, 255, 240), op.operation.c_str());
                dl->PopClipRect();
            }
            if (mouse.x >= xa - 2 && mouse.x <= xb + 2 && std::fabs(mouse.y - y) <= 9) pick.offer(SelectionKind::op, i, 0.5f);
        }
    }
    for (const VerdictMark& v : m.verdicts()) {
        if (v.ok) continue;
        for (std::size_t i : v.ops) {
            const ClientOp& op = m.ops()[i];
            float xa = c.x_of_time(op.begin), xb = std::max(c.x_of_time(op.end), xa + 3);
            if (!c.visible_x(xa, xb)) continue;
            float y = c.lane_y(op.client);
            dl->AddRect(ImVec2(xa - 3, y - 10), ImVec2(xb + 3, y + 10), colour(palette::counterexample), 3, 0, 2.5f);
        }
    }
}

// ============================================================================================
// [messages]
// ============================================================================================

void draw_messages(ViewerState& s, const Canvas& c, ImDrawList* dl, Pick& pick) {
    const RunModel& m = *c.m;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const Instant t0 = c.axis->time_of(c.a0), t1 = c.axis->time_of(c.a1);
    auto budget = static_cast<std::size_t>(std::max(200.0f, (c.x1 - c.x0) * 1.2f));
    VisibleMessages vis = visible_messages(m, t0, t1, budget);
    if (vis.aggregated) {
        // Too many arrows to read: each lane's send density, drops on top.
        int columns = std::max(1, static_cast<int>((c.x1 - c.x0) / 3));
        for (const Lane& lane : m.lanes()) {
            auto buckets = c.lod->lane_buckets(m, *c.axis, lane.node, c.a0, c.a1, columns);
            uint32_t peak = 1;
            for (const auto& b : buckets) peak = std::max(peak, b.sends);
            float y = c.lane_y(lane.node);
            for (int k = 0; k < columns; ++k) {
                const LaneBucket& b = buckets[static_cast<std::size_t>(k)];
                if (b.sends == 0) continue;
                float h = (c.lane_h * 0.45f) * std::sqrt(static_cast<float>(b.sends) / static_cast<float>(peak));
                float x = c.x0 + 3.0f * static_cast<float>(k);
                dl->AddRectFilled(ImVec2(x, y - h), ImVec2(x + 2, y), colour(palette::message_type(0), 0.55f));
                if (b.drops) draw_cross(dl, ImVec2(x + 1, y + 5), 2.5f, colour(palette::drop), 1.5f);
            }
        }
        std::string note = fmt::format("{} messages in view: drawn as send density per lane. Zoom in (wheel) to see arrows.", vis.total);
        ImVec2 ts = ImGui::CalcTextSize(note.c_str());
        ImVec2 at(c.x0 + 8, c.lanes_bottom() - ts.y - 4);
        dl->AddRectFilled(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + ts.x + 4, at.y + ts.y + 2), IM_COL32(255, 255, 230, 235), 3);
        dl->AddText(at, IM_COL32(120, 60, 0, 255), note.c_str());
        return;
    }
    const bool highlighting = c.primary && s.highlight.active();
    // Two passes: faded or ordinary arrows first, highlighted ones on top.
    for (int pass = 0; pass < 2; ++pass) {
        for (uint32_t mi : vis.items) {
            const Message& msg = m.messages()[mi];
            int rel_send = relation(s, c, msg.send);
            int rel_end = relation(s, c, msg.end);
            bool in_past = rel_send == 1 && (msg.end == no_event || rel_end == 1);
            bool in_future = rel_send == 2 || (rel_send == 1 && rel_end == 2) || (msg.send == s.highlight.origin && c.primary);
            bool selected = c.primary && s.selection.kind == SelectionKind::message && s.selection.index == mi;
            bool emphasised = highlighting && (in_past || in_future);
            if ((pass == 1) != (emphasised || selected)) continue;
            uint32_t rgb = palette::message_type(m.message_type_slot(msg.type));
            float alpha = highlighting && !emphasised && !selected ? 0.12f : 0.85f;
            ImVec2 a(c.x_of_event(msg.send), c.lane_y(msg.from));
            ImVec2 b(msg.end != no_event ? c.x_of_event(msg.end) : c.x_of_time(msg.ended_at), c.lane_y(msg.to));
            if (msg.dropped_at_send()) b = ImVec2(a.x + 10, a.y + (b.y - a.y) * 0.3f);
            if (!c.visible_x(std::min(a.x, b.x), std::max(a.x, b.x))) continue;
            if (emphasised) dl->AddLine(a, b, in_past ? colour(0x1F5FBF, 0.35f) : colour(0xD9730D, 0.35f), 6.0f);
            if (selected) dl->AddLine(a, b, IM_COL32(0, 0, 0, 120), 6.0f);
            draw_arrow(dl, a, b, colour(rgb, alpha), emphasised || selected ? 2.0f : 1.3f, msg.fate == MessageFate::delivered,
                       msg.is_copy());
            if (msg.fate == MessageFate::dropped) draw_cross(dl, b, 4.5f, colour(palette::drop, std::max(alpha, 0.5f)), 2.2f);
            if (msg.fate == MessageFate::in_flight) dl->AddCircle(b, 3.5f, colour(rgb, alpha), 8, 1.5f);
            if (pass == 0 || emphasised || selected) pick.offer(SelectionKind::message, mi, distance_to_segment(mouse, a, b) + 1);
        }
    }
}

// ============================================================================================
// [marks]
// ============================================================================================

void draw_marks(ViewerState& s, const Canvas& c, ImDrawList* dl, Pick& pick) {
    const RunModel& m = *c.m;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const FaultMark& f : m.faults()) {
        if (f.node == no_node) continue;
        float x = c.x_of_event(f.event);
        if (x < c.x0 - 10 || x > c.x1 + 10) continue;
        float y = c.lane_y(f.node);
        switch (f.kind) {
        case EventKind::crash: draw_cross(dl, ImVec2(x, y), 7, colour(palette::crash), 3.5f); break;
        case EventKind::restart:
            dl->AddTriangleFilled(ImVec2(x, y - 7), ImVec2(x + 11, y), ImVec2(x, y + 7), colour(palette::restart));
            break;
        case EventKind::clock_jump:
        case EventKind::clock_drift:
            dl->AddQuadFilled(ImVec2(x, y - 7), ImVec2(x + 6, y), ImVec2(x, y + 7), ImVec2(x - 6, y), colour(palette::clock_fault));
            break;
        case EventKind::pause:
            dl->AddRectFilled(ImVec2(x - 4, y - 7), ImVec2(x - 1, y + 7), colour(palette::paused));
            dl->AddRectFilled(ImVec2(x + 1, y - 7), ImVec2(x + 4, y + 7), colour(palette::paused));
            break;
        default: dl->AddCircleFilled(ImVec2(x, c.lane_top(f.node) + 6), 3.5f, IM_COL32(60, 60, 60, 220)); break;
        }
        if (std::fabs(mouse.y - y) < c.lane_h / 2) pick.offer(SelectionKind::event, f.event, std::fabs(mouse.x - x));
    }
    // Verdicts mark the events they blame (a counterexample's culprit, an invariant's breach)
    // with a magenta flag.
    for (const VerdictMark& v : m.verdicts()) {
        if (v.ok) continue;
        for (EventIndex e : v.events) {
            const TraceEvent& ev = m.event(e);
            if (ev.node == no_node) continue;
            float x = c.x_of_event(e);
            if (x < c.x0 - 10 || x > c.x1 + 10) continue;
            float top = c.lane_top(ev.node) + 2;
            dl->AddLine(ImVec2(x, top), ImVec2(x, top + c.lane_h - 4), colour(palette::counterexample), 2.0f);
            dl->AddTriangleFilled(ImVec2(x, top), ImVec2(x + 10, top + 4), ImVec2(x, top + 8), colour(palette::counterexample));
            if (std::fabs(mouse.y - c.lane_y(ev.node)) < c.lane_h / 2) pick.offer(SelectionKind::event, e, std::fabs(mouse.x - x));
        }
    }
    (void)s;
}

// Where the two runs side by side first differ: a dashed violet line over the lanes, labelled.
void draw_divergence(const ViewerState& s, const Canvas& c, ImDrawList* dl) {
    if (!s.before_edit || !s.side_by_side || s.divergence.identical) return;
    float x = c.x_of_time(s.divergence.at);
    if (x < c.x0 - 1 || x > c.x1 + 1) return;
    const ImU32 col = colour(0x7B2CBF, 0.95f);
    for (float y = c.lane_top(0); y < c.lanes_bottom(); y += 8) dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 5, c.lanes_bottom())), col, 2.0f);
    std::string label = fmt::format("runs diverge: event #{}", s.divergence.index);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    float lx = std::min(x + 4, c.x1 - ts.x - 4);
    dl->AddRectFilled(ImVec2(lx - 2, c.lane_top(0) + 1), ImVec2(lx + ts.x + 2, c.lane_top(0) + ts.y + 3), colour(0x7B2CBF, 0.9f), 2);
    dl->AddText(ImVec2(lx, c.lane_top(0) + 2), IM_COL32(255, 255, 255, 255), label.c_str());
}

// ============================================================================================
// [ruler and cursor]
// ============================================================================================

void draw_ruler(ViewerState& s, const Canvas& c, ImDrawList* dl) {
    const RunModel& m = *c.m;
    float top = c.p0.y, bottom = c.p0.y + c.ruler_h;
    dl->AddRectFilled(ImVec2(c.p0.x, top), ImVec2(c.p1.x, bottom), IM_COL32(232, 232, 238, 255));
    Instant t0 = c.axis->time_of(c.a0), t1 = c.axis->time_of(c.a1);
    if (c.axis->mode() == AxisMode::true_time) {
        double span = static_cast<double>((t1 - t0).ns());
        double raw = std::max(1.0, span / std::max(2.0, (c.x1 - c.x0) / 110.0));
        double p = std::pow(10.0, std::floor(std::log10(raw)));
        double mant = raw / p;
        auto step = static_cast<int64_t>((mant < 1.5 ? 1 : mant < 3.5 ? 2 : mant < 7.5 ? 5 : 10) * p);
        step = std::max<int64_t>(step, 1);
        for (int64_t t = std::max<int64_t>(0, t0.ns() / step * step); t <= t1.ns(); t += step) {
            float x = c.x_of_time(Instant::from_ns(t));
            if (x < c.x0) continue;
            dl->AddLine(ImVec2(x, bottom - 6), ImVec2(x, bottom), IM_COL32(60, 60, 60, 255));
            dl->AddLine(ImVec2(x, bottom), ImVec2(x, c.lanes_bottom()), IM_COL32(0, 0, 0, 18));
            std::string label = step >= 1'000'000'000 ? fmt::format("{:g} s", t / 1e9)
                                : step >= 1'000'000   ? fmt::format("{:g} ms", t / 1e6)
                                : step >= 1'000       ? fmt::format("{:g} us", t / 1e3)
                                                      : fmt::format("{} ns", t);
            dl->AddText(ImVec2(x + 3, top + 3), IM_COL32(40, 40, 40, 255), label.c_str());
        }
    } else {
        // Event order: label ticks with the event index and its true time.
        double span = c.a1 - c.a0;
        double raw = std::max(1.0, span / std::max(2.0, (c.x1 - c.x0) / 140.0));
        double p = std::pow(10.0, std::floor(std::log10(raw)));
        auto step = static_cast<int64_t>(std::max(1.0, (raw / p < 2 ? 2 : raw / p < 5 ? 5 : 10) * p));
        const bool lamport = c.axis->mode() == AxisMode::lamport;
        for (int64_t e = std::max<int64_t>(0, static_cast<int64_t>(c.a0) / step * step); e <= static_cast<int64_t>(c.a1); e += step) {
            if (!lamport && e >= static_cast<int64_t>(m.events().size())) break;
            if (lamport && static_cast<double>(e) > c.axis->end()) break;
            float x = c.x_of_axis(static_cast<double>(e));
            if (x < c.x0) continue;
            dl->AddLine(ImVec2(x, bottom - 6), ImVec2(x, bottom), IM_COL32(60, 60, 60, 255));
            dl->AddLine(ImVec2(x, bottom), ImVec2(x, c.lanes_bottom()), IM_COL32(0, 0, 0, 18));
            std::string label = lamport ? fmt::format("L {}", e)
                                        : fmt::format("#{} {}", e, format_time(m.event(static_cast<EventIndex>(e)).time));
            dl->AddText(ImVec2(x + 3, top + 3), IM_COL32(40, 40, 40, 255), label.c_str());
        }
        dl->AddText(ImVec2(c.p0.x + 4, top + 3), IM_COL32(150, 60, 0, 255), lamport ? "Lamport time" : "event order");
    }
    // Partition starts, named on the ruler.
    for (const PartitionSpan& p : m.partitions()) {
        float x = c.x_of_time(p.when.begin);
        if (x < c.x0 || x > c.x1) continue;
        dl->AddLine(ImVec2(x, bottom), ImVec2(x, c.lanes_bottom()), IM_COL32(120, 60, 60, 120), 1.0f);
    }
    // The cursor.
    if (c.primary || true) {
        float x = c.x_of_time(s.cursor);
        if (x >= c.x0 && x <= c.x1) {
            dl->AddRectFilled(ImVec2(x, c.lane_top(0)), ImVec2(c.x1, c.lanes_bottom()), IM_COL32(255, 255, 255, s.playing ? 110 : 0));
            dl->AddLine(ImVec2(x, top), ImVec2(x, c.p1.y), colour(palette::cursor), 2.0f);
            dl->AddTriangleFilled(ImVec2(x - 6, top), ImVec2(x + 6, top), ImVec2(x, top + 8), colour(palette::cursor));
            std::string label = format_time(s.cursor);
            ImVec2 ts = ImGui::CalcTextSize(label.c_str());
            float lx = std::min(x + 4, c.x1 - ts.x - 4);
            dl->AddRectFilled(ImVec2(lx - 2, bottom - ts.y - 2), ImVec2(lx + ts.x + 2, bottom), colour(palette::cursor, 0.9f), 2);
            dl->AddText(ImVec2(lx, bottom - ts.y - 1), IM_COL32(255, 255, 255, 255), label.c_str());
        }
    }
}

void draw_labels(ViewerState& s, const Canvas& c, ImDrawList* dl) {
    const RunModel& m = *c.m;
    dl->AddRectFilled(ImVec2(c.p0.x, c.lane_top(0)), ImVec2(c.x0 - 2, c.lanes_bottom()), IM_COL32(246, 246, 250, 255));
    for (const Lane& lane : m.lanes()) {
        float top = c.lane_top(lane.node);
        bool down = lane.is_down(s.cursor), paused = lane.is_paused(s.cursor);
        std::string role;
        if (const StateTrack* r = lane.track("role")) role = r->value_at(s.cursor);
        uint32_t tint = palette::role(role);
        if (tint) dl->AddRectFilled(ImVec2(c.p0.x + 2, top + 2), ImVec2(c.x0 - 4, top + c.lane_h - 2), colour(tint, 0.45f), 3);
        if (down) dl->AddRectFilled(ImVec2(c.p0.x + 2, top + 2), ImVec2(c.x0 - 4, top + c.lane_h - 2), colour(palette::down, 0.5f), 3);
        dl->AddText(ImVec2(c.p0.x + 8, top + 3), IM_COL32(20, 20, 20, 255), lane.name.c_str());
        std::string sub;
        if (lane.is_client) sub = "client";
        else if (down) sub = "down";
        else {
            sub = role.empty() ? "-" : role;
            if (const StateTrack* t = lane.track("term"); t && !t->value_at(s.cursor).empty()) sub += " t" + t->value_at(s.cursor);
            if (paused) sub += " (paused)";
        }
        if (c.lane_h >= 34) {
            dl->AddText(ImVec2(c.p0.x + 8, top + c.lane_h - 18), IM_COL32(90, 90, 90, 255), sub.c_str());
        } else {
            // A short lane: role and term beside the name, kept inside the label column.
            dl->PushClipRect(ImVec2(c.p0.x, top), ImVec2(c.x0 - 3, top + c.lane_h), true);
            dl->AddText(ImVec2(c.p0.x + 34, top + 3), IM_COL32(90, 90, 90, 255), sub.c_str());
            dl->PopClipRect();
        }
        dl->AddLine(ImVec2(c.p0.x, top + c.lane_h), ImVec2(c.x0 - 2, top + c.lane_h), IM_COL32(0, 0, 0, 30));
    }
    dl->AddLine(ImVec2(c.x0 - 1, c.lane_top(0)), ImVec2(c.x0 - 1, c.lanes_bottom()), IM_COL32(0, 0, 0, 90));
}

// ============================================================================================
// [clock track]
// ============================================================================================

void draw_clock_track(ViewerState& s, const Canvas& c, ImDrawList* dl) {
    if (c.clock_h <= 0) return;
    const RunModel& m = *c.m;
    float top = c.lanes_bottom() + 6, bottom = top + c.clock_h - 6;
    dl->AddRectFilled(ImVec2(c.p0.x, top), ImVec2(c.p1.x, bottom), IM_COL32(250, 250, 252, 255));
    dl->AddText(ImVec2(c.p0.x + 6, top + 3), IM_COL32(40, 40, 40, 255), "clock skew");
    dl->AddText(ImVec2(c.p0.x + 6, top + 20), IM_COL32(110, 110, 110, 255), "local - true");
    Instant t0 = c.axis->time_of(c.a0), t1 = c.axis->time_of(c.a1);
    int64_t lo = 0, hi = 0;
    // Scaled to what is in view, so a small skew is visible even if a huge jump happens later.
    for (const Lane& lane : m.lanes()) {
        if (lane.is_client || lane.clock.empty()) continue;
        for (Instant t : {t0, t1}) {
            lo = std::min(lo, lane.clock_offset_ns(t));
            hi = std::max(hi, lane.clock_offset_ns(t));
        }
        for (const ClockSample& k : lane.clock) {
            if (k.at < t0 || k.at > t1) continue;
            lo = std::min(lo, k.offset_ns);
            hi = std::max(hi, k.offset_ns);
        }
    }
    if (hi - lo < 1'000'000) hi = lo + 1'000'000;
    auto y_of = [&](int64_t off) {
        return bottom - 8 - static_cast<float>(static_cast<double>(off - lo) / static_cast<double>(hi - lo)) * (bottom - top - 16);
    };
    dl->AddLine(ImVec2(c.x0, y_of(0)), ImVec2(c.x1, y_of(0)), IM_COL32(0, 0, 0, 60));
    dl->AddText(ImVec2(c.p0.x + 6, top + 40), IM_COL32(90, 90, 90, 255), fmt::format("top {:+.0f} ms", hi / 1e6).c_str());
    dl->AddText(ImVec2(c.p0.x + 6, top + 57), IM_COL32(90, 90, 90, 255), fmt::format("low {:+.0f} ms", lo / 1e6).c_str());
    float legend_x = c.x1 - 36.0f * static_cast<float>(m.server_count());
    for (const Lane& lane : m.lanes()) {
        if (lane.is_client || lane.clock.empty()) continue;
        ImU32 col = colour(palette::group(static_cast<int>(lane.node)), 0.95f);
        // The offset is linear between samples: the samples in view plus the two ends suffice.
        std::vector<ImVec2> pts;
        pts.push_back(ImVec2(c.x_of_time(t0), y_of(lane.clock_offset_ns(t0))));
        for (const ClockSample& k : lane.clock)
            if (k.at > t0 && k.at < t1) pts.push_back(ImVec2(c.x_of_time(k.at), y_of(k.offset_ns)));
        pts.push_back(ImVec2(c.x_of_time(t1), y_of(lane.clock_offset_ns(t1))));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, 2.0f);
        dl->AddRectFilled(ImVec2(legend_x, top + 9), ImVec2(legend_x + 10, top + 12), col);
        dl->AddText(ImVec2(legend_x + 12, top + 2), col, lane.name.c_str());
        legend_x += 36;
    }
    (void)s;
}

// ============================================================================================
// [hover and pick]
// ============================================================================================

void show_tooltip(const ViewerState& s, const Canvas& c, const Pick& pick) {
    const RunModel& m = *c.m;
    switch (pick.kind) {
    case SelectionKind::message: {
        const Message& msg = m.messages()[pick.index];
        const TraceEvent& send = m.event(msg.send);
        ImGui::BeginTooltip();
        ImGui::Text("%s  %s -> %s%s", m.name(msg.type).c_str(), m.node_name(msg.from).c_str(), m.node_name(msg.to).c_str(),
                    msg.is_copy() ? "  (duplicate copy)" : "");
        ImGui::Text("sent %s, %s %s", format_time(msg.sent_at).c_str(), std::string(to_string(msg.fate)).c_str(),
                    msg.fate == MessageFate::in_flight ? "at the end of the run" : format_time(msg.ended_at).c_str());
        if (msg.fate == MessageFate::dropped) {
            ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "dropped: %s", std::string(to_string(msg.reason)).c_str());
            const char* why = "";
            switch (msg.reason) {
            case DropReason::loss: why = "the link lost it (its loss probability)"; break;
            case DropReason::partition: why = "the link was cut when it was sent"; break;
            case DropReason::partition_in_flight: why = "the link was cut while it was in flight"; break;
            case DropReason::crashed: why = "the destination was down when it arrived"; break;
            case DropReason::restarted: why = "the destination restarted while it was in flight"; break;
            case DropReason::late_reply: why = "a reply nobody waited for any more (the caller timed out)"; break;
            case DropReason::manual: why = "dropped by hand (what-if)"; break;
            case DropReason::sender_crashed: why = "its sender crashed as it sent it (faultline explore)"; break;
            default: break;
            }
            ImGui::TextDisabled("%s", why);
        } else if (msg.fate == MessageFate::delivered) {
            ImGui::Text("latency %s", format_duration(msg.ended_at - msg.sent_at).c_str());
        }
        if (!send.text.empty()) ImGui::Text("payload: %s", send.text.c_str());
        ImGui::TextDisabled("click to select and highlight its causal past and future");
        ImGui::EndTooltip();
        break;
    }
    case SelectionKind::op: {
        const ClientOp& op = m.ops()[pick.index];
        ImGui::BeginTooltip();
        ImGui::Text("%s on %s", op.operation.c_str(), m.node_name(op.client).c_str());
        ImGui::Text("-> %s (%s)", op.result.c_str(), op.outcome ? std::string(to_string(*op.outcome)).c_str() : "still running");
        ImGui::Text("%s .. %s (%s)", format_time(op.begin).c_str(), format_time(op.end).c_str(), format_duration(op.end - op.begin).c_str());
        if (op.outcome == ClientOutcome::info) ImGui::TextDisabled("info: unknown whether it took effect (it timed out)");
        ImGui::TextDisabled("click: highlight what happened causally before it (blue) and after it (orange)");
        ImGui::EndTooltip();
        break;
    }
    case SelectionKind::event: {
        const TraceEvent& e = m.event(pick.index);
        ImGui::BeginTooltip();
        ImGui::Text("#%llu %s on %s at %s", static_cast<unsigned long long>(e.index), std::string(to_string(e.kind)).c_str(),
                    m.node_name(e.node).c_str(), format_time(e.time).c_str());
        if (e.name) ImGui::Text("%s", m.name(e.name).c_str());
        if (!e.text.empty()) ImGui::Text("%s", e.text.c_str());
        ImGui::TextDisabled("local clock %s, Lamport %llu", format_time(e.local_time).c_str(), static_cast<unsigned long long>(e.lamport));
        ImGui::EndTooltip();
        break;
    }
    default: break;
    }
    (void)s;
}

// Nothing picked: say what the lane is doing there (down, paused, partitioned).
void show_lane_tooltip(const Canvas& c) {
    const RunModel& m = *c.m;
    ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x < c.x0 || mouse.y < c.lane_top(0) || mouse.y >= c.lanes_bottom()) return;
    auto node = static_cast<NodeId>((mouse.y - c.lane_top(0)) / c.lane_h);
    if (node >= m.lanes().size()) return;
    const Lane& lane = m.lane(node);
    Instant t = c.axis->time_of(c.axis_of_x(mouse.x));
    std::string lines;
    if (lane.is_down(t)) lines += fmt::format("{} is down (crashed): its volatile state is gone until it restarts\n", lane.name);
    if (lane.is_paused(t)) lines += fmt::format("{} is paused: events for it wait until it resumes\n", lane.name);
    if (const PartitionSpan* p = m.partition_at(t)) {
        std::string names;
        for (NodeId n : p->unreachable_from(node)) names += (names.empty() ? "" : ", ") + m.node_name(n);
        if (!names.empty()) lines += fmt::format("partition {}\n{} cannot send to: {}\n", p->shape, lane.name, names);
    }
    for (const StateTrack& track : lane.tracks) {
        const std::string& v = track.value_at(t);
        if (!v.empty()) lines += fmt::format("{} = {}\n", track.key, v);
    }
    if (lines.empty()) return;
    ImGui::SetTooltip("%s at %s\n%s", lane.name.c_str(), format_time(t).c_str(), lines.c_str());
}

void draw_canvas(ViewerState& s, Canvas& c) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    c.p0 = ImGui::GetCursorScreenPos();
    c.p1 = ImVec2(c.p0.x + avail.x, c.p0.y + avail.y);
    const auto lanes = static_cast<float>(c.m->lanes().size());
    c.clock_h = avail.y > 360 ? 92 : 0;
    c.lane_h = std::clamp((avail.y - c.ruler_h - c.clock_h - 4) / std::max(1.0f, lanes), 18.0f, 70.0f);
    // Lanes are capped in height: the clock track takes what is left.
    if (c.clock_h > 0) c.clock_h = std::max(c.clock_h, avail.y - c.ruler_h - c.lane_h * lanes - 4);
    c.x0 = c.p0.x + c.label_w;
    c.x1 = c.p1.x - 8;
    ImGui::InvisibleButton(c.primary ? "timeline" : "timeline_before", ImVec2(std::max(avail.x, 1.0f), std::max(avail.y, 1.0f)));
    note_item(s, c.primary ? "timeline" : "timeline_other");
    bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive(), clicked = false;
    // The compared run's canvas shares the time axis: wheel and drag there zoom and pan both (its
    // axis is true time, so this needs the main axis in true time too); a click moves the cursor.
    if (c.primary || s.axis_mode == AxisMode::true_time) handle_input(s, c, hovered, active, &clicked);
    if (c.primary) s.timeline = {c.x0, c.x1, c.lane_top(0), c.lane_h, c.p0.y, c.a0, c.a1};
    dl->AddRectFilled(c.p0, c.p1, IM_COL32(255, 255, 255, 255));
    Pick pick;
    dl->PushClipRect(ImVec2(c.x0, c.p0.y), ImVec2(c.x1, c.p1.y), true);
    draw_lanes(s, c, dl, pick);
    draw_ops(s, c, dl, pick);
    draw_messages(s, c, dl, pick);
    draw_marks(s, c, dl, pick);
    draw_divergence(s, c, dl);
    dl->PopClipRect();
    draw_labels(s, c, dl);
    dl->PushClipRect(c.p0, c.p1, true);
    draw_clock_track(s, c, dl);
    draw_ruler(s, c, dl);
    dl->PopClipRect();
    if (pick.distance > 7) pick.kind = SelectionKind::none;
    if (hovered && pick.kind != SelectionKind::none && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) show_tooltip(s, c, pick);
    else if (hovered && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) show_lane_tooltip(c);
    if (clicked && !c.primary) {
        s.cursor = std::clamp(s.axis.time_of(c.axis_of_x(ImGui::GetIO().MousePos.x)), Instant::zero(), s.model().end());
    } else if (clicked) {
        switch (pick.kind) {
        case SelectionKind::message: select_message(s, pick.index); break;
        case SelectionKind::op: select_op(s, pick.index); break;
        case SelectionKind::event: select_event(s, pick.index, false); break;
        default:
            // A click on nothing moves the cursor there and clears the highlight.
            s.cursor = std::clamp(s.axis.time_of(c.axis_of_x(ImGui::GetIO().MousePos.x)), Instant::zero(), s.model().end());
            clear_selection(s);
            break;
        }
    }
}

}  // namespace

// ============================================================================================
// [entry points]
// ============================================================================================

void draw_timeline(ViewerState& s) {
    Canvas c;
    c.m = &s.run.model;
    c.axis = &s.axis;
    c.lod = &s.lod;
    c.a0 = s.view_a0;
    c.a1 = s.view_a1;
    c.primary = true;
    draw_canvas(s, c);
}

void draw_side_by_side(ViewerState& s, ImVec2 pos, ImVec2 size) {
    FL_ASSERT(s.before_edit.has_value(), "side by side without a previous run");
    TimeAxis& axis = s.other_axis;
    LodIndex& lod = s.other_lod;
    // Derived caches for the other run, rebuilt when it changes (keyed by its trace hash).
    if (!s.other_built || s.other_built_for != s.before_edit->model.info().trace_hash) {
        axis = TimeAxis(s.before_edit->model, AxisMode::true_time);
        lod = LodIndex(s.before_edit->model);
        s.other_built_for = s.before_edit->model.info().trace_hash;
        s.other_built = true;
    }
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    const char* title = s.other_is_comparison ? "Compared run (aligned by true time)###other"
                                              : "Before the last edit (aligned by true time)###other";
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar |
                                   ImGuiWindowFlags_NoScrollWithMouse;
    if (ImGui::Begin(title, &s.side_by_side, fixed)) {
        ImGui::TextDisabled("%s, trace hash %016llx: the same stretch of time as the timeline above",
                            s.before_edit->model.info().title.c_str(),
                            static_cast<unsigned long long>(s.before_edit->model.info().trace_hash));
        if (s.other_is_another_system) {
            ImGui::TextDisabled("another system: its own events, on the same time axis");
        } else if (s.divergence.identical) {
            ImGui::TextColored(ImVec4(0.1f, 0.5f, 0.2f, 1), "identical traces");
        } else {
            ImGui::TextColored(ImVec4(0.48f, 0.17f, 0.75f, 1), "first difference %s", s.divergence.summary.c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Go there (D)")) {
                s.cursor = s.divergence.at;
                zoom_around(s, s.divergence.at, milliseconds(50));
            }
        }
        Canvas c;
        c.m = &s.before_edit->model;
        c.axis = &axis;
        c.lod = &lod;
        c.a0 = axis.of_time(s.axis.time_of(s.view_a0));
        c.a1 = std::max(c.a0 + 1, axis.of_time(s.axis.time_of(s.view_a1)));
        c.primary = false;
        draw_canvas(s, c);
    }
    ImGui::End();
}

}  // namespace faultline::view
