// ViewerState: what the viewer keeps between frames, and nothing more (CONTRIBUTING.md rule 5).
//
// The truth is the run: its spec (workload, seed, fault schedule, edits) and the RunModel derived
// from the record. Everything else here is where the student is looking (the visible axis range,
// the cursor, the selection, the filters, which panel is open) or a cache derived from the model
// (axis, level-of-detail index, filtered event list, causal marks) that is rebuilt whenever the
// model or its inputs change. A live edit changes the spec and re-runs (Session::rerun); it never
// patches the model.
#pragma once

#include "visualizer/live_session.h"
#include "visualizer/view_queries.h"
#include "visualizer/view_run.h"

#include <imgui.h>

#include <map>
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
    std::optional<ViewRun> before_edit;       // the other run: before the last edit, or --compare
    bool side_by_side = false;
    bool other_is_comparison = false;         // before_edit came from --compare (not an edit)
    bool other_is_another_system = false;     // ... and runs another system or scenario: no divergence to find
    Divergence divergence;                    // where the other run first differs from this one
    TimeAxis other_axis;                      // caches for the other run, keyed by its trace hash
    LodIndex other_lod;
    uint64_t other_built_for = 0;
    bool other_built = false;
    // A live run being advanced (live mode): the run shown is its snapshot, refreshed as it moves.
    std::shared_ptr<LiveSession> live;
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
    double pan_from_a0 = 0, pan_from_a1 = 1;  // the range when the current pan's button went down
    Instant cursor;
    bool playing = false;
    float speed = 0.1f;                       // virtual seconds per real second
    Selection selection;
    bool list_follow_cursor = true;
    bool list_in_view_only = false;          // list only the events in the timeline's visible range
    bool list_scroll_to_selection = false;
    Instant list_followed = Instant::max();   // the cursor the event list last scrolled to
    bool show_help = false;
    bool show_all_tracks = false;
    char text_filter[128] = {};
    int kind_preset = 1;                      // the event list's kind filter (see draw_event_list)
    int seed_input = -1;                      // the toolbar's seed box
    // --- the what-if editor ------------------------------------------------------------------
    int edit_node = 0;
    float edit_pause_ms = 200;
    float edit_jump_ms = -150;
    float edit_drift_ppm = 500;
    float edit_heal_after_ms = 400;
    std::vector<uint8_t> edit_side_b;         // nodes on side B of a partition edit
    int map_drag_node = -1;                   // the node being dragged on the cluster map, if any
    std::string status;
    // --- measurement -------------------------------------------------------------------------
    double frame_ms = 0;
    double build_ms = 0;
    bool headless = false;
    // Where the last frame drew things a test clicks (timeline canvas, list rows, tabs): screen
    // rectangles by name. Written while drawing, read by tests/visualizer_gui; never by the viewer.
    struct Rect {
        ImVec2 min, max;
        ImVec2 centre() const { return ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2); }
    };
    std::map<std::string, Rect> layout;
    std::string inspector_heading;            // the inspector's first line, as drawn
    struct TimelineGeometry {
        float x0 = 0, x1 = 1, lanes_top = 0, lane_h = 1, ruler_top = 0;
        double a0 = 0, a1 = 1;
    } timeline;

    const RunModel& model() const { return run.model; }
};

// [viewer.cpp] Loading and re-running; navigation shared by panels and timeline.
void load_run(ViewerState& s, ViewRun run, bool keep_view);
void rerun(ViewerState& s, const ViewRunSpec& spec);
// Live mode: start a live run of the shown workload's spec at t = 0; advance it; show its snapshot;
// finish it (re-run its spec from the start as an ordinary edited run, checker included).
void start_live(ViewerState& s);
void advance_live(ViewerState& s, Instant to);
void refresh_live(ViewerState& s);
void finish_live(ViewerState& s);
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
// Shows `other` beside the run, aligned by true time, with their first divergence marked.
void set_compare(ViewerState& s, ViewRun other);
// Records the last item's rectangle under `name` in s.layout (for the interaction tests).
void note_item(ViewerState& s, const std::string& name);

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
void draw_side_by_side(ViewerState& s, ImVec2 pos, ImVec2 size);

// Shared drawing helpers.
ImU32 colour(uint32_t rgb, float alpha = 1.0f);
std::string format_time(Instant t);
std::string format_duration(Duration d);

}  // namespace faultline::view
