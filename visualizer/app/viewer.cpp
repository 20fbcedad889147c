// The viewer's navigation, live mode, layout and keys (the loop is viewer_app.cpp).
// Sections: [navigation] [layout] [keys].
#include "visualizer/app/viewer.h"

#include "sim/assert.h"
#include "visualizer/app/headless.h"
#include "visualizer/app/viewer_app.h"
#include "visualizer/app/viewer_state.h"
#include "visualizer/stored_run.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace faultline::view {

// ============================================================================================
// [navigation]
// ============================================================================================

ImU32 colour(uint32_t rgb, float alpha) {
    return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255));
}

std::string format_duration(Duration d) {
    double ns = static_cast<double>(d.ns());
    double a = std::fabs(ns);
    if (a >= 1e9) return fmt::format("{:.3f} s", ns / 1e9);
    if (a >= 1e6) return fmt::format("{:.3f} ms", ns / 1e6);
    if (a >= 1e3) return fmt::format("{:.1f} us", ns / 1e3);
    return fmt::format("{} ns", d.ns());
}

std::string format_time(Instant t) { return format_duration(t - Instant::zero()); }

std::optional<Instant> first_failure(const RunModel& m) {
    // Where the lesson starts: the counterexample's first operation (its window's beginning) or
    // the first event a failed verdict blames, whichever is earlier.
    for (const VerdictMark& v : m.verdicts()) {
        if (v.ok) continue;
        std::optional<Instant> at;
        if (v.window) at = v.window->begin;
        for (EventIndex e : v.events)
            if (!at || m.event(e).time < *at) at = m.event(e).time;
        if (at) return at;
    }
    return std::nullopt;
}

void refresh_filter(ViewerState& s) {
    s.filter.text = s.text_filter;
    s.filtered = filter_events(s.model(), s.filter);
    s.filter_dirty = false;
}

void note_item(ViewerState& s, const std::string& name) {
    s.layout[name] = ViewerState::Rect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

void set_compare(ViewerState& s, ViewRun other) {
    s.before_edit = std::move(other);
    s.other_is_comparison = true;
    s.side_by_side = true;
    // Titles are "<scenario>[/<system>], seed N": two runs of different systems (a CP and an AP
    // design under one partition, say) differ from their first event; only their time axis is shared.
    auto subject = [](const std::string& title) { return title.substr(0, title.find(", seed")); };
    s.other_is_another_system = subject(s.model().info().title) != subject(s.before_edit->model.info().title);
    if (s.other_is_another_system) {
        s.divergence = Divergence{};
        s.status = fmt::format("compared with {}: another system, aligned by true time", s.before_edit->model.info().title);
        return;
    }
    s.divergence = first_divergence(s.model(), s.before_edit->model);
    s.status = s.divergence.identical ? fmt::format("compared with {}: the two traces are identical", s.before_edit->model.info().title)
                                      : fmt::format("compared with {}: first difference {}", s.before_edit->model.info().title,
                                                    s.divergence.summary);
}

void set_axis_mode(ViewerState& s, AxisMode mode) {
    // Keep the same stretch of time in view across the switch.
    Instant t0 = s.axis.time_of(s.view_a0), t1 = s.axis.time_of(s.view_a1);
    s.axis_mode = mode;
    s.axis = TimeAxis(s.model(), mode);
    s.view_a0 = s.axis.of_time(t0);
    s.view_a1 = std::max(s.view_a0 + 1e-3, s.axis.of_time(t1));
}

void load_run(ViewerState& s, ViewRun run, bool keep_view) {
    Instant t0 = keep_view ? s.axis.time_of(s.view_a0) : Instant::zero();
    Instant t1 = keep_view ? s.axis.time_of(s.view_a1) : Instant::zero();
    s.run = std::move(run);
    s.axis = TimeAxis(s.model(), s.axis_mode);
    s.lod = LodIndex(s.model());
    s.filter_dirty = true;
    s.highlight = {};
    s.selection = {};
    // The partition sides picked and the event list's node filter survive a reload of a run with
    // the same nodes (a re-run, a live run's next step); another cluster starts afresh.
    if (s.edit_side_b.size() != s.model().lanes().size()) s.edit_side_b.assign(s.model().lanes().size(), 0);
    if (s.filter.nodes.size() != s.model().lanes().size()) s.filter.nodes.assign(s.model().lanes().size(), 1);
    if (keep_view) {
        s.view_a0 = s.axis.of_time(t0);
        s.view_a1 = std::max(s.view_a0 + 1e-3, s.axis.of_time(t1));
    } else {
        fit_all(s);
        s.cursor = Instant::zero() + (s.model().end() - Instant::zero()) / 2;
    }
    s.edit_node = std::clamp(s.edit_node, 0, std::max(0, static_cast<int>(s.model().lanes().size()) - 1));
}

void rerun(ViewerState& s, const ViewRunSpec& spec) {
    s.live.reset();  // a re-run ends live mode: what is shown is a whole run again
    auto t0 = std::chrono::steady_clock::now();
    auto made = run_view(spec);
    if (auto* error = std::get_if<std::string>(&made)) {
        s.status = "cannot re-run: " + *error;
        return;
    }
    ViewRun next = std::move(std::get<ViewRun>(made));
    next.stored = s.run.stored;  // an edit of a stored run can be saved beside it
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    s.before_edit = std::move(s.run);
    s.other_is_comparison = false;
    s.other_is_another_system = false;
    Instant cursor = s.cursor;
    load_run(s, std::move(next), /*keep_view=*/true);
    s.cursor = std::min(cursor, s.model().end());
    s.divergence = first_divergence(s.model(), s.before_edit->model);
    s.status = fmt::format("re-ran seed {} with {} fault(s) added in {:.0f} ms: trace hash {:016x} (was {:016x})", spec.seed,
                           spec.edits.added.size(), ms, s.model().info().trace_hash, s.before_edit->model.info().trace_hash);
}

void start_live(ViewerState& s) {
    FL_ASSERT(s.run.editable, "live mode re-runs the run's scenario: this run has none");
    ViewRunSpec spec = s.run.spec;
    spec.edits = {};  // from t = 0 with the scenario's own faults; the live actions are the edits
    s.live = std::make_shared<LiveSession>(spec);
    s.playing = false;
    // True time, and the first second in view: the run so far is empty, so fitting it (or any
    // range clamped to its end) would show nothing as it grows.
    s.axis_mode = AxisMode::true_time;
    load_run(s, s.live->snapshot(), /*keep_view=*/false);
    s.cursor = Instant::zero();
    s.view_a0 = s.axis.of_time(Instant::zero() - milliseconds(10));
    s.view_a1 = s.axis.of_time(Instant::zero() + seconds(1));
    s.status = "live run: play (Space) or step; act in \"Faults & what-if\"; \"Finish\" keeps it as an edited run";
}

void refresh_live(ViewerState& s) {
    FL_ASSERT(s.live != nullptr, "refresh_live outside live mode");
    Selection keep = s.selection;  // event, message and operation indices are stable as the trace grows
    load_run(s, s.live->snapshot(), /*keep_view=*/true);
    if (keep.kind == SelectionKind::event && keep.index < s.model().events().size()) s.selection = keep;
    s.cursor = s.live->now();
}

void advance_live(ViewerState& s, Instant to) {
    FL_ASSERT(s.live != nullptr, "advance_live outside live mode");
    Instant before = s.live->now();
    s.live->advance_to(to);
    if (s.live->now() != before) refresh_live(s);
    if (s.live->finished()) s.playing = false;
}

void finish_live(ViewerState& s) {
    FL_ASSERT(s.live != nullptr, "finish_live outside live mode");
    ViewRunSpec spec = s.live->as_spec();
    uint64_t live_hash = s.live->trace_hash();
    std::size_t actions = s.live->actions().size();
    s.live.reset();
    rerun(s, spec);
    s.status = fmt::format("live run finished: {} action(s) kept as faults of seed {} (live trace {:016x}); re-run to the end: "
                           "trace hash {:016x}",
                           actions, spec.seed, live_hash, s.model().info().trace_hash);
}

void fit_all(ViewerState& s) {
    double span = s.axis.end() - s.axis.begin();
    s.view_a0 = s.axis.begin() - span * 0.01;
    s.view_a1 = s.axis.end() + span * 0.01;
}

void zoom_around(ViewerState& s, Instant centre, Duration half_width) {
    Instant a = centre - half_width, b = centre + half_width;
    if (a < Instant::zero()) {
        b = b + (Instant::zero() - a);
        a = Instant::zero();
    }
    s.view_a0 = s.axis.of_time(a);
    s.view_a1 = std::max(s.view_a0 + 1e-3, s.axis.of_time(std::min(b, s.model().end())));
}

void center_on(ViewerState& s, Instant t) {
    double a = s.axis.of_time(t);
    if (a >= s.view_a0 && a <= s.view_a1) return;
    double half = (s.view_a1 - s.view_a0) / 2;
    s.view_a0 = a - half;
    s.view_a1 = a + half;
}

void clear_selection(ViewerState& s) {
    s.selection = {};
    s.highlight = {};
}

void select_event(ViewerState& s, EventIndex e, bool move_cursor) {
    const RunModel& m = s.model();
    s.selection = {SelectionKind::event, e};
    s.highlight = {};
    s.highlight.origin = e;
    s.highlight.past = causal_past(m, e);
    s.highlight.future = causal_future(m, e);
    s.highlight.label = fmt::format("event #{}", e);
    if (move_cursor) {
        s.cursor = m.event(e).time;
        center_on(s, s.cursor);
    }
    s.list_scroll_to_selection = true;
}

void select_op(ViewerState& s, std::size_t op_index) {
    const RunModel& m = s.model();
    const ClientOp& op = m.ops().at(op_index);
    s.selection = {SelectionKind::op, op_index};
    // What could have influenced the result: the past of its completion; what it could have
    // influenced: the future of its invocation.
    s.highlight = {};
    s.highlight.origin = op.complete != no_event ? op.complete : op.invoke;
    s.highlight.past = causal_past(m, s.highlight.origin);
    s.highlight.future = causal_future(m, op.invoke);
    s.highlight.label = fmt::format("{} on {}", op.operation, m.node_name(op.client));
}

void select_message(ViewerState& s, std::size_t message) {
    const Message& msg = s.model().messages().at(message);
    s.selection = {SelectionKind::message, message};
    s.highlight = {};
    EventIndex e = msg.end != no_event ? msg.end : msg.send;
    s.highlight.origin = e;
    s.highlight.past = causal_past(s.model(), e);
    s.highlight.future = causal_future(s.model(), msg.send);
    s.highlight.label = fmt::format("{} {} -> {}", s.model().name(msg.type), s.model().node_name(msg.from),
                                    s.model().node_name(msg.to));
}

void step_event(ViewerState& s, int direction) {
    if (s.filter_dirty) refresh_filter(s);
    if (s.filtered.empty()) return;
    const auto& events = s.model().events();
    // The next (previous) listed event strictly after (before) the current one.
    EventIndex current = s.selection.kind == SelectionKind::event ? s.selection.index : no_event;
    auto by_time = [&](EventIndex e, Instant t) { return events[e].time < t; };
    std::size_t pos = 0;
    if (current != no_event) {
        auto it = std::lower_bound(s.filtered.begin(), s.filtered.end(), current);
        pos = static_cast<std::size_t>(it - s.filtered.begin());
        if (direction > 0) pos += (it != s.filtered.end() && *it == current) ? 1 : 0;
        else pos = pos == 0 ? 0 : pos - 1;
    } else {
        auto it = std::lower_bound(s.filtered.begin(), s.filtered.end(), s.cursor, by_time);
        pos = static_cast<std::size_t>(it - s.filtered.begin());
        if (direction < 0) pos = pos == 0 ? 0 : pos - 1;
    }
    pos = std::min(pos, s.filtered.size() - 1);
    select_event(s, s.filtered[pos], true);
}

void jump_to_failure(ViewerState& s) {
    const RunModel& m = s.model();
    for (const VerdictMark& v : m.verdicts()) {
        if (v.ok) continue;
        if (!v.ops.empty()) select_op(s, v.ops.back());
        if (auto t = first_failure(m)) {
            s.cursor = *t;
            if (v.window) {
                Duration w = v.window->end - v.window->begin;
                Instant mid = v.window->begin + w / 2;
                zoom_around(s, mid, std::max(milliseconds(20), w * 3 / 5));
            } else {
                zoom_around(s, *t, milliseconds(100));
            }
        }
        s.status = v.summary;
        return;
    }
    s.status = "no failure in this run: every verdict is ok";
}

// ============================================================================================
// [layout]
// ============================================================================================

constexpr float toolbar_h = 62;
constexpr float right_w = 430;
constexpr float list_h = 250;
constexpr float map_h = 300;

void draw_frame(ViewerState& s) {
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImVec2 o = vp->WorkPos, size = vp->WorkSize;
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    float left_w = size.x - right_w;

    ImGui::SetNextWindowPos(o);
    ImGui::SetNextWindowSize(ImVec2(size.x, toolbar_h));
    ImGui::Begin("##toolbar", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    draw_toolbar(s);
    ImGui::End();

    // With another run beside this one, the two timelines share the height, one above the other.
    const bool two = s.side_by_side && s.before_edit;
    const float timeline_h = size.y - toolbar_h - list_h;
    const float main_h = two ? std::floor(timeline_h * 0.5f) : timeline_h;
    ImGui::SetNextWindowPos(ImVec2(o.x, o.y + toolbar_h));
    ImGui::SetNextWindowSize(ImVec2(left_w, main_h));
    ImGui::Begin("Timeline  (wheel: zoom to pointer, drag: pan, click: select, F: fit all, H: help)", nullptr,
                 fixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_timeline(s);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(o.x, o.y + size.y - list_h));
    ImGui::SetNextWindowSize(ImVec2(left_w, list_h));
    ImGui::Begin("Events", nullptr, fixed);
    draw_event_list(s);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(o.x + left_w, o.y + toolbar_h));
    ImGui::SetNextWindowSize(ImVec2(right_w, map_h));
    ImGui::Begin("Cluster at the cursor", nullptr, fixed | ImGuiWindowFlags_NoScrollbar);
    draw_cluster_map(s);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(o.x + left_w, o.y + toolbar_h + map_h));
    ImGui::SetNextWindowSize(ImVec2(right_w, size.y - toolbar_h - map_h));
    ImGui::Begin("##panels", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
    if (ImGui::BeginTabBar("panels")) {
        bool inspector_open = ImGui::BeginTabItem("Inspector");
        note_item(s, "tab:inspector");
        if (inspector_open) {
            draw_inspector(s);
            ImGui::EndTabItem();
        }
        bool summary_open = ImGui::BeginTabItem("Run & verdict");
        note_item(s, "tab:summary");
        if (summary_open) {
            draw_summary(s);
            ImGui::EndTabItem();
        }
        bool faults_open = ImGui::BeginTabItem("Faults & what-if");
        note_item(s, "tab:faults");
        if (faults_open) {
            draw_faults(s);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();

    if (two) draw_side_by_side(s, ImVec2(o.x, o.y + toolbar_h + main_h), ImVec2(left_w, timeline_h - main_h));
    if (s.show_help) draw_help(s);
}

// ============================================================================================
// [keys]
// ============================================================================================

void handle_keys(ViewerState& s) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    // Dear ImGui 1.86 indexes keys by the backend's codes: GLFW uses ASCII for letters.
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    auto repeat = [](int key) { return ImGui::IsKeyPressed(key, true); };
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) s.playing = !s.playing;
    if (repeat(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) step_event(s, +1);
    if (repeat(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) step_event(s, -1);
    // Home and End bring the cursor into view as well: a cursor off screen moved nowhere visible.
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Home))) {
        s.cursor = Instant::zero();
        center_on(s, s.cursor);
    }
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_End))) {
        s.cursor = s.model().end();
        center_on(s, s.cursor);
    }
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) clear_selection(s);
    if (pressed(GLFW_KEY_F)) fit_all(s);
    if (pressed(GLFW_KEY_C))
        set_axis_mode(s, s.axis_mode == AxisMode::event_order ? AxisMode::true_time : AxisMode::event_order);
    if (pressed(GLFW_KEY_L)) set_axis_mode(s, s.axis_mode == AxisMode::lamport ? AxisMode::true_time : AxisMode::lamport);
    if (pressed(GLFW_KEY_D) && !s.divergence.identical && s.before_edit) {
        s.cursor = s.divergence.at;
        zoom_around(s, s.divergence.at, milliseconds(50));
        if (s.divergence.index < s.model().events().size()) select_event(s, s.divergence.index, false);
    }
    if (pressed(GLFW_KEY_J)) jump_to_failure(s);
    if (pressed(GLFW_KEY_H) || pressed(GLFW_KEY_F1)) s.show_help = !s.show_help;
    if (pressed(GLFW_KEY_EQUAL) || pressed(GLFW_KEY_KP_ADD) || pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)) {
        double f = (pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)) ? 1.5 : 1 / 1.5;
        double c = s.axis.of_time(s.cursor);
        s.view_a0 = c - (c - s.view_a0) * f;
        s.view_a1 = c + (s.view_a1 - c) * f;
    }
    if (pressed(GLFW_KEY_LEFT_BRACKET)) s.speed = std::max(0.001f, s.speed / 2);
    if (pressed(GLFW_KEY_RIGHT_BRACKET)) s.speed = std::min(10.0f, s.speed * 2);
}

void advance_playback(ViewerState& s, double dt_seconds) {
    if (!s.playing) return;
    if (s.live) {
        // Live: playing runs the world on; the cursor is its present.
        advance_live(s, s.live->now() + nanoseconds(static_cast<int64_t>(dt_seconds * s.speed * 1e9)));
        double a = s.axis.of_time(s.cursor);
        if (a > s.view_a1) {
            double w = s.view_a1 - s.view_a0;
            s.view_a0 = a - w * 0.9;
            s.view_a1 = s.view_a0 + w;
        }
        return;
    }
    s.cursor = s.cursor + nanoseconds(static_cast<int64_t>(dt_seconds * s.speed * 1e9));
    if (s.cursor >= s.model().end()) {
        s.cursor = s.model().end();
        s.playing = false;
    }
    // Keep the cursor in view: page forward when it leaves the right edge (or starts off screen).
    double a = s.axis.of_time(s.cursor);
    if (a > s.view_a1 || a < s.view_a0) {
        double w = s.view_a1 - s.view_a0;
        s.view_a0 = a - w * 0.1;
        s.view_a1 = s.view_a0 + w;
    }
}

void setup_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.FrameRounding = 3;
    st.WindowBorderSize = 1;
    st.ItemSpacing = ImVec2(8, 5);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; nothing to save between sessions
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (std::filesystem::exists(font)) io.Fonts->AddFontFromFileTTF(font, 15.0f);
}


}  // namespace faultline::view
