// ViewerDriver: the real viewer (ViewerApp: layout, panels, timeline, keys) in a hidden window,
// driven frame by frame with synthetic Dear ImGui input, as a person would drive it.
//
// Between frames it sets io.MousePos / io.MouseDown / io.MouseWheel / io.KeysDown /
// io.AddInputCharacter (Dear ImGui 1.86's input API), then runs one frame with
// ViewerApp::frame(dt, synthetic = true), which skips the GLFW backend's polling so nothing from
// the hidden window overrides the input. A click is press, frame, release, frame; a drag moves in
// steps, a frame each. Virtual frame time is fixed (1/60 s), so playback is deterministic.
//
// Needs an X display (the CTest entry runs the binary under xvfb-run).
#pragma once

#include "visualizer/app/viewer_app.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <stdexcept>
#include <string>

namespace faultline::view::test {

class ViewerDriver {
public:
    static constexpr double frame_dt = 1.0 / 60;

    explicit ViewerDriver(const ViewerOptions& options) {
        if (app_.open(options, /*offscreen=*/true) != 0)
            throw std::runtime_error("cannot open the viewer: run under xvfb-run (see tests/CMakeLists.txt)");
        // Two frames: the first lays windows out, the second draws them where they are.
        frames(2);
    }

    ViewerState& state() { return app_.state(); }
    ViewerApp& app() { return app_; }

    void frames(int n) {
        for (int i = 0; i < n; ++i) app_.frame(frame_dt, true);
    }
    void move(ImVec2 p) {
        ImGui::GetIO().MousePos = p;
        frames(1);
    }
    void press(int button = 0) {
        ImGui::GetIO().MouseDown[button] = true;
        frames(1);
    }
    void release(int button = 0) {
        ImGui::GetIO().MouseDown[button] = false;
        frames(1);
    }
    void click(ImVec2 p) {
        move(p);
        press();
        release();
    }
    void drag(ImVec2 from, ImVec2 to, int steps = 8) {
        move(from);
        press();
        for (int i = 1; i <= steps; ++i) {
            float f = static_cast<float>(i) / static_cast<float>(steps);
            move(ImVec2(from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f));
        }
        release();
    }
    void wheel(ImVec2 p, float notches) {
        move(p);
        ImGui::GetIO().MouseWheel = notches;
        frames(1);
    }
    // A key press and release (GLFW key codes: the backend's KeyMap indexes io.KeysDown by them).
    void key(int glfw_key, bool shift = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyShift = shift;
        io.KeysDown[glfw_key] = true;
        frames(1);
        io.KeysDown[glfw_key] = false;
        io.KeyShift = false;
        frames(1);
    }
    void type(const std::string& text) {
        for (char ch : text) {
            ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(static_cast<unsigned char>(ch)));
            frames(1);
        }
    }
    // Where the last frame drew an item (see ViewerState::layout); throws if it did not.
    ImVec2 item(const std::string& name) {
        auto it = state().layout.find(name);
        if (it == state().layout.end()) throw std::runtime_error("the last frame drew no item '" + name + "'");
        return it->second.centre();
    }
    bool has_item(const std::string& name) { return state().layout.count(name) != 0; }

    // Timeline geometry of the last frame: the x of an instant, the y of a lane's centre line.
    float x_of(Instant t) {
        const auto& g = state().timeline;
        return g.x0 + static_cast<float>((state().axis.of_time(t) - g.a0) / (g.a1 - g.a0)) * (g.x1 - g.x0);
    }
    float x_of_event(EventIndex e) {
        const auto& g = state().timeline;
        return g.x0 + static_cast<float>((state().axis.of_event(e) - g.a0) / (g.a1 - g.a0)) * (g.x1 - g.x0);
    }
    Instant time_at(float x) {
        const auto& g = state().timeline;
        return state().axis.time_of(g.a0 + static_cast<double>((x - g.x0) / (g.x1 - g.x0)) * (g.a1 - g.a0));
    }
    float lane_y(NodeId n) {
        const auto& g = state().timeline;
        return g.lanes_top + g.lane_h * (static_cast<float>(n) + 0.5f);
    }
    float ruler_y() { return state().timeline.ruler_top + 10; }

    bool screenshot(const std::string& path) {
        // The PNG is read from the frame just drawn: draw one, then read it.
        frames(1);
        return app_.screenshot(path);
    }

private:
    ViewerApp app_;
};

}  // namespace faultline::view::test
