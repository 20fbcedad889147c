// ViewerApp: one viewer window (GLFW + OpenGL 3 + Dear ImGui) and its state, one frame at a time.
//
// run_viewer() drives it from the real window's events; the interaction tests
// (tests/visualizer_gui/) drive the same frames with synthetic input: they set Dear ImGui's input
// (mouse position, buttons, wheel, keys, characters) between frames and call frame(dt, synthetic),
// which then skips the GLFW backend's input polling so nothing from the (hidden) window overrides
// it. Everything else (layout, panels, timeline, navigation) is the code a person uses.
//
// One ViewerApp at a time: Dear ImGui's context and GLFW are process-wide. open() returns an exit
// code (0 ok, 2 no display, 3 OpenGL or GLFW failed); the destructor closes the window.
#pragma once

#include "visualizer/app/viewer.h"
#include "visualizer/app/viewer_state.h"

struct GLFWwindow;

namespace faultline::view {

class ViewerApp {
public:
    ViewerApp() = default;
    ViewerApp(const ViewerApp&) = delete;
    ViewerApp& operator=(const ViewerApp&) = delete;
    ~ViewerApp();

    // Creates the window (hidden when `offscreen`) and loads the run of `options`.
    int open(const ViewerOptions& options, bool offscreen);
    // One frame: playback advances by dt seconds, input is handled, everything is drawn. With
    // `synthetic`, the caller has set Dear ImGui's input itself.
    void frame(double dt_seconds, bool synthetic);
    // Writes the frame just drawn (before the next frame()) as a PNG. False if it cannot.
    bool screenshot(const std::string& path);
    void present();
    bool should_close() const;

    ViewerState& state() { return s_; }
    int framebuffer_width() const { return fb_w_; }
    int framebuffer_height() const { return fb_h_; }

private:
    GLFWwindow* window_ = nullptr;
    bool imgui_ = false;
    int fb_w_ = 0, fb_h_ = 0;
    ViewerState s_;
};

// [viewer.cpp] The whole frame: layout and keys (exposed for ViewerApp).
void draw_frame(ViewerState& s);
void handle_keys(ViewerState& s);
void advance_playback(ViewerState& s, double dt_seconds);
void setup_style();

}  // namespace faultline::view
