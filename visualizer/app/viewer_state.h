// ViewerState: what the viewer keeps between frames, and nothing more (STYLE.md principle 5).
//
// The truth is the run: its spec (workload, seed, fault schedule, edits) and the RunModel derived
// from the record. Everything else here is where the student is looking (the visible axis range,
// the cursor, the selection, the filters, which panel is open) or a cache derived from the model
// (axis, level-of-detail index, filtered event list, causal marks) that is rebuilt whenever the
// model or its inputs change. A live edit changes the spec and re-runs (Session::rerun); it never
// patches the model.
#pragma once

#include "visualizer/view_queries.h"
#include "visualizer/view_run.h"

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

namespace faultline::view {

enum class SelectionKind : uint8_t { none, event, message, op, node };

struct Selection {
    SelectionKind kind = SelectionKind::none;
    std::size_t index = 0;  // event index, message index, op index or NodeId
};

// Causal highlighting around one event (an operation's completion, or any selected event).
struct Highlight {
    EventIndex origin = no_event;
    std::vector<uint8_t> past;
    std::vector<uint8_t> future;
    std::string label;
    bool active() const { return origin != no_event; }
};

struct ViewerState {
    // --- the run ---------------------------------------------------------------------------
    ViewRun run;
    std::optional<ViewRun> before_edit;       // the run before the last edit (side by side)
    bool side_by_side = false;
    // --- caches derived from the run ---------------------------------------------------------
    AxisMode axis_mode = AxisMode::true_time;
    TimeAxis axis;
    LodIndex lod;
    EventFilter filter;
    std::vector<EventIndex> filtered;
    bool filter_dirty = true;
    Highlight highlight;
    // --- where the student looks -------------------------------------------------------------
    double view_a0 = 0, view_a1 = 1;          // the visible axis range
    Instant cursor;
    bool playing = false;
    float speed = 0.1f;                       // virtual seconds per real second
    Selection selection;
    bool list_follow_cursor = true;
    bool list_in_view_only = false;          // list only the events in the timeline's visible range
    bool list_scroll_to_selection = false;
    bool show_help = false;
    bool show_all_tracks = false;
    char text_filter[128] = {};
    // --- the what-if editor ------------------------------------------------------------------
    int edit_node = 0;
    float edit_pause_ms = 200;
    float edit_jump_ms = -150;
    float edit_drift_ppm = 500;
    float edit_heal_after_ms = 400;
    std::vector<uint8_t> edit_side_b;         // nodes on side B of a partition edit
    std::string status;
    // --- measurement -------------------------------------------------------------------------
    double frame_ms = 0;
    double build_ms = 0;
    bool headless = false;

    const RunModel& model() const { return run.model; }
};

// [viewer.cpp] Loading and re-running; navigation shared by panels and timeline.
void load_run(ViewerState& s, ViewRun run, bool keep_view);
void rerun(ViewerState& s, const ViewRunSpec& spec);
void set_axis_mode(ViewerState& s, AxisMode mode);
void fit_all(ViewerState& s);
void zoom_around(ViewerState& s, Instant centre, Duration half_width);
void center_on(ViewerState& s, Instant t);
void select_event(ViewerState& s, EventIndex e, bool move_cursor);
void select_op(ViewerState& s, std::size_t op);
void select_message(ViewerState& s, std::size_t message);
void clear_selection(ViewerState& s);
void step_event(ViewerState& s, int direction);
void jump_to_failure(ViewerState& s);
std::optional<Instant> first_failure(const RunModel& m);
void refresh_filter(ViewerState& s);

// [timeline.cpp]
void draw_timeline(ViewerState& s);

// [panels.cpp]
void draw_toolbar(ViewerState& s);
void draw_inspector(ViewerState& s);
void draw_summary(ViewerState& s);
void draw_faults(ViewerState& s);
void draw_event_list(ViewerState& s);
void draw_cluster_map(ViewerState& s);
void draw_help(ViewerState& s);
void draw_side_by_side(ViewerState& s);

// Shared drawing helpers.
ImU32 colour(uint32_t rgb, float alpha = 1.0f);
std::string format_time(Instant t);
std::string format_duration(Duration d);

}  // namespace faultline::view
