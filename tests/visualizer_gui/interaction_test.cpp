// Interaction tests: the real viewer, driven with synthetic mouse and keyboard input.
//
// Goal: every gesture the help window promises does what it says, checked on the viewer's state
// (the visible range, the cursor, the selection, the highlight, the event list), not on pixels.
// Method: ViewerDriver (viewer_driver.h) opens the viewer in a hidden window and runs real frames
// with Dear ImGui input set between them; positions come from the last frame's layout, so a test
// clicks where the viewer drew the thing. Screenshots of a few steps land in the build directory
// (FAULTLINE_GUI_SHOT_DIR) for a person to look at. Runs under xvfb-run (tests/CMakeLists.txt).
// Sections: [helpers] [navigation] [selection] [lists and layouts] [comparison and live].
#include "tests/visualizer/view_workload.h"
#include "tests/visualizer_gui/viewer_driver.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace faultline;
using namespace faultline::view;
using faultline::view::test::ViewerDriver;

// ============================================================================================
// [helpers]
// ============================================================================================
namespace {

// The viewer tests' workload (tests/visualizer/view_workload.h), its naive primary-backup system
// (two primaries and a refuted history to show), seed 1, with the cursor at `at_ms`.
ViewerOptions seed_one_at(double at_ms) {
    ViewerOptions o;
    o.run = faultline::test::must_run(faultline::test::workload_spec(1, 10'000, true, "naive"));
    o.at = Instant::from_ns(static_cast<int64_t>(at_ms * 1e6));
    return o;
}

std::string shot(const std::string& name) { return std::string(FAULTLINE_GUI_SHOT_DIR) + "/" + name + ".png"; }

// One pixel's worth of axis, for "stays put" comparisons.
double axis_per_pixel(ViewerState& s) { return (s.timeline.a1 - s.timeline.a0) / (s.timeline.x1 - s.timeline.x0); }

bool contains_folded(std::string hay, std::string needle) {
    auto lower = [](std::string v) {
        std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return v;
    };
    return lower(std::move(hay)).find(lower(std::move(needle))) != std::string::npos;
}

}  // namespace

// ============================================================================================
// [navigation]
// ============================================================================================
TEST_CASE("viewer input: the wheel zooms around the pointer and the time under it stays put", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    ImVec2 p(s.timeline.x0 + (s.timeline.x1 - s.timeline.x0) * 0.3f, d.lane_y(0));
    d.move(p);
    double span_before = s.view_a1 - s.view_a0;
    double under_before = s.axis.of_time(d.time_at(p.x));
    d.wheel(p, 2);
    REQUIRE(s.view_a1 - s.view_a0 < span_before * 0.7);
    REQUIRE(std::fabs(s.axis.of_time(d.time_at(p.x)) - under_before) <= 2 * axis_per_pixel(s));
    d.wheel(p, -3);
    REQUIRE(s.view_a1 - s.view_a0 > span_before);
    REQUIRE(std::fabs(s.axis.of_time(d.time_at(p.x)) - under_before) <= 2 * axis_per_pixel(s));
}

TEST_CASE("viewer input: dragging the lanes pans by what the mouse moved, F fits the whole run", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    float y = d.lane_y(1);
    float xa = s.timeline.x0 + 500, xb = xa - 200;
    Instant under = d.time_at(xa);
    double span = s.view_a1 - s.view_a0;
    Instant cursor = s.cursor;
    // A slow hand: one pixel a frame, so the first moves fall below Dear ImGui's drag threshold.
    d.drag(ImVec2(xa, y), ImVec2(xb, y), 200);
    REQUIRE(std::fabs((s.view_a1 - s.view_a0) - span) < 1e-6 * span);
    // What was under the mouse when the drag began is under it where the drag ended.
    REQUIRE(std::fabs(s.axis.of_time(d.time_at(xb)) - s.axis.of_time(under)) <= 0.5 * axis_per_pixel(s));
    REQUIRE(s.cursor == cursor);  // a drag is not a click: the cursor stays
    d.key(GLFW_KEY_F);
    REQUIRE(s.view_a0 <= s.axis.begin());
    REQUIRE(s.view_a1 >= s.axis.end());
    REQUIRE(d.screenshot(shot("interaction_fit_all")));
}

TEST_CASE("viewer input: a click on the ruler moves the cursor to the time under the mouse", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    float x = s.timeline.x0 + 123;
    Instant expected = d.time_at(x);
    d.click(ImVec2(x, d.ruler_y()));
    REQUIRE(std::llabs((s.cursor - expected).ns()) <= static_cast<int64_t>(2 * axis_per_pixel(s)));
}

// ============================================================================================
// [selection]
// ============================================================================================
TEST_CASE("viewer input: clicking a message arrow selects it and the inspector shows it", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    const RunModel& m = s.model();
    // Candidates: delivered messages crossing at least one lane, entirely in view. The click goes
    // to the arrow's midpoint; a neighbour may be nearer, so the first candidate that the viewer
    // picks must be the one clicked.
    int tried = 0, hit = 0;
    for (std::size_t i = 0; i < m.messages().size() && tried < 12; ++i) {
        const Message& msg = m.messages()[i];
        if (msg.fate != MessageFate::delivered || msg.from == msg.to) continue;
        float xa = d.x_of_event(msg.send), xb = d.x_of_event(msg.end);
        if (xa < s.timeline.x0 + 10 || xb > s.timeline.x1 - 10 || xb - xa < 30) continue;
        ++tried;
        ImVec2 mid((xa + xb) / 2, (d.lane_y(msg.from) + d.lane_y(msg.to)) / 2);
        d.click(mid);
        if (s.selection.kind != SelectionKind::message) continue;
        ++hit;
        const Message& picked = m.messages()[s.selection.index];
        REQUIRE(s.inspector_heading.rfind("Message " + m.name(picked.type), 0) == 0);
        REQUIRE(s.highlight.active());
        if (s.selection.index == i) break;
    }
    REQUIRE(tried > 0);
    REQUIRE(hit > 0);
    REQUIRE(s.selection.kind == SelectionKind::message);
    REQUIRE(d.screenshot(shot("interaction_message_selected")));
    d.key(GLFW_KEY_ESCAPE);
    REQUIRE(s.selection.kind == SelectionKind::none);
    REQUIRE_FALSE(s.highlight.active());
}

TEST_CASE("viewer input: clicking a client operation highlights its causal past and future", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    const RunModel& m = s.model();
    d.key(GLFW_KEY_ESCAPE);
    // A completed operation wholly in view.
    std::optional<std::size_t> target;
    for (std::size_t i = 0; i < m.ops().size(); ++i) {
        const ClientOp& op = m.ops()[i];
        if (op.complete == no_event) continue;
        float xa = d.x_of_event(op.invoke), xb = d.x_of_event(op.complete);
        if (xa > s.timeline.x0 + 20 && xb < s.timeline.x1 - 20 && xb - xa > 6) {
            target = i;
            break;
        }
    }
    REQUIRE(target.has_value());
    const ClientOp& op = m.ops()[*target];
    d.click(ImVec2((d.x_of_event(op.invoke) + d.x_of_event(op.complete)) / 2, d.lane_y(op.client)));
    REQUIRE(s.selection.kind == SelectionKind::op);
    REQUIRE(s.selection.index == *target);
    REQUIRE(s.inspector_heading == "Operation " + op.operation + " on " + m.node_name(op.client));
    REQUIRE(s.highlight.active());
    REQUIRE(s.highlight.past[op.complete] == 1);
    REQUIRE(s.highlight.past[op.invoke] == 1);      // program order: the invocation precedes
    REQUIRE(s.highlight.future[op.invoke] == 1);
    // The result came from somewhere: some server event lies in the completion's causal past.
    bool server_in_past = false;
    for (EventIndex e = 0; e < op.complete; ++e)
        if (s.highlight.past[e] && m.event(e).node != op.client && m.event(e).node != no_node) server_in_past = true;
    REQUIRE(server_in_past);
    // Something after the run's start is concurrent with it (neither past nor future).
    std::size_t concurrent = 0;
    for (EventIndex e = 0; e < m.events().size(); ++e) concurrent += !s.highlight.past[e] && !s.highlight.future[e];
    REQUIRE(concurrent > 0);
    REQUIRE(d.screenshot(shot("interaction_op_causality")));
}

TEST_CASE("viewer input: Right and Left step through listed events, Home and End move the cursor", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    d.key(GLFW_KEY_ESCAPE);
    Instant start = s.cursor;
    d.key(GLFW_KEY_RIGHT);
    REQUIRE(s.selection.kind == SelectionKind::event);
    EventIndex first = s.selection.index;
    REQUIRE(s.model().event(first).time >= start);
    REQUIRE(s.cursor == s.model().event(first).time);
    d.key(GLFW_KEY_RIGHT);
    EventIndex second = s.selection.index;
    REQUIRE(second > first);
    REQUIRE(s.cursor >= s.model().event(first).time);
    // The step follows the event list: the selected event is listed.
    REQUIRE(std::binary_search(s.filtered.begin(), s.filtered.end(), second));
    d.key(GLFW_KEY_LEFT);
    REQUIRE(s.selection.index == first);
    REQUIRE(s.cursor == s.model().event(first).time);
    REQUIRE(s.inspector_heading.rfind(fmt::format("Event #{}:", first), 0) == 0);
    // Home and End move the cursor and bring it into view.
    d.key(GLFW_KEY_END);
    REQUIRE(s.cursor == s.model().end());
    REQUIRE(s.axis.of_time(s.cursor) <= s.view_a1);
    REQUIRE(s.axis.of_time(s.cursor) >= s.view_a0);
    d.key(GLFW_KEY_HOME);
    REQUIRE(s.cursor == Instant::zero());
    REQUIRE(s.axis.of_time(s.cursor) >= s.view_a0);
    REQUIRE(s.axis.of_time(s.cursor) <= s.view_a1);
}

TEST_CASE("viewer input: Space plays and pauses: the cursor moves at the chosen speed while playing", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    Instant before = s.cursor;
    REQUIRE_FALSE(s.playing);
    d.key(GLFW_KEY_SPACE);
    REQUIRE(s.playing);
    d.frames(30);
    Instant during = s.cursor;
    REQUIRE(during > before);
    // 32 frames of 1/60 s at `speed` virtual seconds per second (the key's release frame too).
    double expected_ns = 32 * ViewerDriver::frame_dt * s.speed * 1e9;
    REQUIRE(std::fabs(static_cast<double>((during - before).ns()) - expected_ns) <= expected_ns * 0.1);
    d.key(GLFW_KEY_SPACE);
    REQUIRE_FALSE(s.playing);
    Instant paused = s.cursor;
    d.frames(10);
    REQUIRE(s.cursor == paused);
    // ] doubles the speed.
    float speed = s.speed;
    d.key(GLFW_KEY_RIGHT_BRACKET);
    REQUIRE(s.speed == Approx(speed * 2));
}

TEST_CASE("viewer input: J jumps to the failure: the counterexample is selected and in view", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(1000));
    ViewerState& s = d.state();
    auto failure = first_failure(s.model());
    REQUIRE(failure.has_value());  // seed 1's store is not linearizable: the checker says where
    d.key(GLFW_KEY_HOME);
    d.key(GLFW_KEY_F);
    d.key(GLFW_KEY_J);
    REQUIRE(s.cursor == *failure);
    REQUIRE(s.axis.of_time(*failure) >= s.view_a0);
    REQUIRE(s.axis.of_time(*failure) <= s.view_a1);
    REQUIRE(s.view_a1 - s.view_a0 < (s.axis.end() - s.axis.begin()) / 10);  // zoomed in
    REQUIRE(s.highlight.active());
    REQUIRE(d.screenshot(shot("interaction_jump_to_failure")));
}

// ============================================================================================
// [lists and layouts]
// ============================================================================================
TEST_CASE("viewer input: clicking a fault in the fault list jumps to it", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(1000));
    ViewerState& s = d.state();
    const RunModel& m = s.model();
    REQUIRE_FALSE(m.faults().empty());
    d.click(d.item("tab:faults"));
    d.frames(1);
    // The first fault whose row is drawn on screen.
    const FaultMark* target = nullptr;
    for (const FaultMark& f : m.faults()) {
        std::string name = fmt::format("fault:{}", f.event);
        if (!d.has_item(name)) continue;
        ImVec2 c = d.item(name);
        if (c.y > 0 && c.y < 990) {
            target = &f;
            break;
        }
    }
    REQUIRE(target != nullptr);
    d.click(d.item(fmt::format("fault:{}", target->event)));
    REQUIRE(s.selection.kind == SelectionKind::event);
    REQUIRE(s.selection.index == target->event);
    REQUIRE(s.cursor == target->at);
    REQUIRE(s.axis.of_time(target->at) >= s.view_a0);
    REQUIRE(s.axis.of_time(target->at) <= s.view_a1);
    REQUIRE(d.screenshot(shot("interaction_fault_clicked")));
}

TEST_CASE("viewer input: typing in the event filter narrows the list, a row click selects its event", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    std::size_t all = s.filtered.size();
    REQUIRE(all > 0);
    d.click(d.item("event_filter_text"));
    d.type("primary");
    d.frames(1);
    REQUIRE(std::string(s.text_filter) == "primary");
    REQUIRE(s.filtered.size() < all);
    REQUIRE_FALSE(s.filtered.empty());
    for (EventIndex e : s.filtered) {
        const TraceEvent& ev = s.model().event(e);
        bool matches = contains_folded(ev.text, "primary") || contains_folded(s.model().name(ev.name), "primary") ||
                       contains_folded(std::string(to_string(ev.kind)), "primary") ||
                       contains_folded(s.model().node_name(ev.node), "primary");
        REQUIRE(matches);
    }
    REQUIRE(d.screenshot(shot("interaction_filtered")));
    // Keys typed into the filter are text, not shortcuts: F did not fit the run.
    double span = s.view_a1 - s.view_a0;
    d.type("f");
    REQUIRE(s.view_a1 - s.view_a0 == span);
    d.key(GLFW_KEY_BACKSPACE);
    REQUIRE(std::string(s.text_filter) == "primary");
    // Click a listed row (which also leaves the text box: Esc there would revert the text).
    EventIndex row = no_event;
    for (EventIndex e : s.filtered)
        if (d.has_item(fmt::format("event_row:{}", e))) {
            ImVec2 c = d.item(fmt::format("event_row:{}", e));
            if (c.y > 760 && c.y < 990) {
                row = e;
                break;
            }
        }
    REQUIRE(row != no_event);
    d.click(d.item(fmt::format("event_row:{}", row)));
    REQUIRE(s.selection.kind == SelectionKind::event);
    REQUIRE(s.selection.index == row);
    REQUIRE(s.cursor == s.model().event(row).time);
    REQUIRE(s.inspector_heading.rfind(fmt::format("Event #{}:", row), 0) == 0);
}

TEST_CASE("viewer input: L lays the run out by Lamport time and back", "[viewer][gui]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    Instant cursor = s.cursor;
    d.key(GLFW_KEY_L);
    REQUIRE(s.axis_mode == AxisMode::lamport);
    REQUIRE(s.cursor == cursor);
    REQUIRE(s.axis.of_time(cursor) >= s.view_a0);
    REQUIRE(s.axis.of_time(cursor) <= s.view_a1);
    REQUIRE(d.screenshot(shot("interaction_lamport")));
    d.key(GLFW_KEY_L);
    REQUIRE(s.axis_mode == AxisMode::true_time);
}

// ============================================================================================
// [comparison and live]
// ============================================================================================
TEST_CASE("viewer: two runs side by side share the time axis and mark their first difference", "[viewer][gui]") {
    ViewerOptions o = seed_one_at(3700);
    ViewRunSpec other = o.run.spec;
    other.seed = 2;
    o.compare = faultline::test::must_run(other);
    ViewerDriver d(o);
    ViewerState& s = d.state();
    REQUIRE(s.side_by_side);
    REQUIRE(s.other_is_comparison);
    REQUIRE_FALSE(s.divergence.identical);
    d.key(GLFW_KEY_D);
    REQUIRE(s.cursor == s.divergence.at);
    // Both timelines are on screen, the compared one below the main one.
    REQUIRE(d.item("timeline_other").y > d.item("timeline").y);
    // The wheel over the compared run zooms the shared axis; a click there moves the cursor and
    // selects nothing (its events are not the main run's).
    d.key(GLFW_KEY_ESCAPE);
    double span = s.view_a1 - s.view_a0;
    ImVec2 below = d.item("timeline_other");
    d.wheel(below, 1);
    REQUIRE(s.view_a1 - s.view_a0 < span);
    d.click(ImVec2(s.timeline.x0 + 300, below.y));
    REQUIRE(s.selection.kind == SelectionKind::none);
    REQUIRE(std::llabs((s.cursor - d.time_at(s.timeline.x0 + 300)).ns()) <= static_cast<int64_t>(2 * axis_per_pixel(s)));
    d.key(GLFW_KEY_D);
    REQUIRE(d.screenshot(shot("interaction_compare")));
}

TEST_CASE("viewer input: a live run is played, paused, hurt by hand and kept as a run that replays", "[viewer][gui][live]") {
    ViewerDriver d(seed_one_at(3700));
    ViewerState& s = d.state();
    d.click(d.item("tab:faults"));
    d.click(d.item("live:start"));
    REQUIRE(s.live != nullptr);
    REQUIRE(s.live->now() == Instant::zero());
    // Play for 30 frames at 0.1x: about 50 ms of virtual time; the cursor is the live present.
    d.key(GLFW_KEY_SPACE);
    d.frames(30);
    d.key(GLFW_KEY_SPACE);
    REQUIRE_FALSE(s.playing);
    Instant played = s.live->now();
    REQUIRE(played > Instant::zero() + milliseconds(40));
    REQUIRE(s.cursor == played);
    REQUIRE(s.model().end() == played);
    // The present is in view, in a window wide enough to see the run grow.
    REQUIRE(s.axis.of_time(played) >= s.view_a0);
    REQUIRE(s.axis.of_time(played) <= s.view_a1);
    REQUIRE(s.axis.time_of(s.view_a1) - s.axis.time_of(s.view_a0) >= milliseconds(500));
    // Step on by hand, then crash n1 (the editor's node) now.
    for (int i = 0; i < 3; ++i) d.click(d.item("live:step100"));
    Instant crash_at = s.live->now();
    REQUIRE(crash_at == played + milliseconds(300));
    d.click(d.item("edit:crash"));
    REQUIRE(s.live->actions().size() == 1);
    REQUIRE(s.live->actions().front().at == crash_at);
    REQUIRE(s.model().lane(0).is_down(s.cursor));  // down at the live present, not only before it
    d.click(d.item("live:step100"));
    REQUIRE(s.model().lane(0).is_down(crash_at + milliseconds(50)));
    REQUIRE(s.model().lane(0).is_down(s.cursor));
    // Drop the first message in flight, if any, by clicking it.
    std::size_t drops_before = 0;
    for (const Message& msg : s.model().messages()) drops_before += msg.reason == DropReason::manual;
    for (int i = 0; i < 50 && s.live->in_flight().empty(); ++i) d.click(d.item("live:step1"));
    REQUIRE_FALSE(s.live->in_flight().empty());
    d.click(d.item(fmt::format("live:in_flight:{}", s.live->in_flight().front().id)));
    std::size_t drops_after = 0;
    for (const Message& msg : s.model().messages()) drops_after += msg.fate == MessageFate::dropped && msg.reason == DropReason::manual;
    REQUIRE(drops_after == drops_before + 1);
    // Drag n4 and n5 to the right half of the cluster map (side B), then partition A | B now.
    ImVec2 map = d.item("map:n1");
    float right_half = map.x + 120;  // n1 sits at the top centre of the map
    d.drag(d.item("map:n4"), ImVec2(right_half, map.y + 40));
    d.drag(d.item("map:n5"), ImVec2(right_half + 20, map.y + 60));
    REQUIRE(s.edit_side_b[3] == 1);
    REQUIRE(s.edit_side_b[4] == 1);
    REQUIRE(s.edit_side_b[0] == 0);
    d.drag(d.item("map:n5"), ImVec2(map.x - 120, map.y + 60));  // and n5 back to side A
    REQUIRE(s.edit_side_b[4] == 0);
    d.drag(d.item("map:n5"), ImVec2(right_half + 20, map.y + 60));
    // The sides picked survive the live run moving on.
    d.click(d.item("live:step1"));
    REQUIRE(s.edit_side_b[3] == 1);
    REQUIRE(s.edit_side_b[4] == 1);
    std::size_t actions = s.live->actions().size();
    d.click(d.item("edit:partition"));
    REQUIRE(s.live->actions().size() == actions + 2);  // the partition now, its heal queued
    const PartitionSpan* cut = s.model().partition_at(s.cursor);
    REQUIRE(cut != nullptr);
    REQUIRE(cut->groups.size() == 2);
    REQUIRE(cut->group_of(3) == cut->group_of(4));
    REQUIRE(cut->group_of(3) != cut->group_of(1));
    REQUIRE(d.screenshot(shot("interaction_live")));
    // Finish: the live actions become the run's faults, and the re-run from t = 0 is the same run.
    uint64_t live_hash = s.live->trace_hash();
    (void)live_hash;
    Instant live_now = s.live->now();
    d.click(d.item("live:finish"));
    REQUIRE(s.live == nullptr);
    REQUIRE(s.run.spec.edits.added.size() == 3);  // the crash, the partition and its heal
    REQUIRE(s.run.spec.edits.dropped_messages.size() == 1);
    REQUIRE(s.model().end() == Instant::zero() + seconds(10));
    REQUIRE(s.model().lane(0).is_down(crash_at + milliseconds(50)));
    // The side-by-side "before" is the live run: identical up to where it stopped.
    REQUIRE(s.before_edit.has_value());
    REQUIRE(s.divergence.at >= live_now);
}
