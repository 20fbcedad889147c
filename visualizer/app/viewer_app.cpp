// ViewerApp (one window, one frame at a time) and run_viewer, the loop a person uses.
// Sections: [open] [frame] [loop].
#include "visualizer/app/viewer_app.h"

#include "sim/assert.h"
#include "visualizer/app/headless.h"
#include "visualizer/view_queries.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace faultline::view {

namespace {

void glfw_error(int code, const char* what) { std::fprintf(stderr, "faultline view: GLFW error %d: %s\n", code, what); }

// The start-up view: the cursor, the zoom, the what-if edit and the comparison run of `options`.
void apply_options(ViewerState& s, const ViewerOptions& options) {
    s.status = fmt::format("{}: {} events. Press H for help and the legend.", s.model().info().title,
                           s.model().events().size());
    // Where the lesson is. A scenario opened to explore starts at its first fault (a partition's
    // sides, the primary it cuts off: the story), showing what follows. A stored run, usually a
    // failure to understand, starts at the failure's cause; with the fault that led to it when
    // both fit on one screen. J jumps to the failure from anywhere.
    const auto& faults = s.model().faults();
    const bool exploring = !s.run.stored.has_value();
    auto show_first_fault = [&] {
        const Instant at = faults.front().at;
        s.cursor = at;
        zoom_around(s, at + milliseconds(400), milliseconds(1000));
    };
    if (options.at) {
        s.cursor = std::min(*options.at, s.model().end());
        zoom_around(s, s.cursor, milliseconds(300));
    } else if (exploring && !faults.empty()) {
        show_first_fault();
        if (first_failure(s.model())) s.status += " This run fails: J jumps to the failure.";
    } else if (auto cause = first_failure(s.model())) {
        jump_to_failure(s);
        if (!faults.empty()) {
            const Instant fault = faults.front().at;
            if (fault < *cause && *cause - fault <= milliseconds(3000)) {
                const Instant from = fault - std::min(milliseconds(100), fault - Instant::zero());
                const Instant to = *cause + milliseconds(300);
                zoom_around(s, from + (to - from) / 2, (to - from) / 2);
            }
        }
    } else if (!faults.empty()) {
        show_first_fault();
    } else {
        zoom_around(s, s.cursor, milliseconds(300));
    }
    if (options.compress_idle) set_axis_mode(s, AxisMode::event_order);
    if (options.lamport) set_axis_mode(s, AxisMode::lamport);
    if (options.fit_all) fit_all(s);
    s.show_help = options.show_help;
    if (!options.edit.empty() && s.run.editable) {
        ViewRunSpec spec = s.run.spec;
        spec.edits.added.insert(spec.edits.added.end(), options.edit.begin(), options.edit.end());
        rerun(s, spec);
        s.side_by_side = true;
    }
    if (options.compare) set_compare(s, *options.compare);
    // A screenshot shows the causal highlight of the operation under the cursor, if any, so the
    // picture explains itself.
    if (options.at) {
        if (std::optional<std::size_t> op = op_at(s.model(), s.cursor)) select_op(s, *op);
    }
}

}  // namespace

// ============================================================================================
// [open]
// ============================================================================================

int ViewerApp::open(const ViewerOptions& options, bool offscreen) {
    FL_ASSERT(window_ == nullptr, "ViewerApp::open called twice: one window per ViewerApp");
    FL_ASSERT(options.width >= 320 && options.height >= 240, "a {}x{} window is too small", options.width, options.height);
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "faultline view: no display (set DISPLAY, or run under xvfb-run for --screenshot)\n");
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, offscreen ? GLFW_FALSE : GLFW_TRUE);
    window_ = glfwCreateWindow(options.width, options.height, "Faultline — timeline viewer", nullptr, nullptr);
    if (window_ == nullptr) {
        std::fprintf(stderr, "faultline view: cannot create an OpenGL 3.0 window\n");
        glfwTerminate();
        return 3;
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(offscreen ? 0 : 1);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    imgui_ = true;
    setup_style();
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    s_.headless = offscreen;
    load_run(s_, options.run, false);
    apply_options(s_, options);
    return 0;
}

ViewerApp::~ViewerApp() {
    if (imgui_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (window_ != nullptr) {
        glfwDestroyWindow(window_);
        glfwTerminate();
    }
}

// ============================================================================================
// [frame]
// ============================================================================================

void ViewerApp::frame(double dt_seconds, bool synthetic) {
    FL_ASSERT(window_ != nullptr, "ViewerApp::frame before open()");
    FL_ASSERT(dt_seconds >= 0, "a frame {} s long: time runs forward", dt_seconds);
    auto frame_start = std::chrono::steady_clock::now();
    advance_playback(s_, dt_seconds);
    glfwGetFramebufferSize(window_, &fb_w_, &fb_h_);
    ImGui_ImplOpenGL3_NewFrame();
    if (synthetic) {
        // The backend would read the (hidden) window's mouse and keys over the synthetic input.
        ImGuiIO& io = ImGui::GetIO();
        int w = 0, h = 0;
        glfwGetWindowSize(window_, &w, &h);
        io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
        io.DisplayFramebufferScale = ImVec2(w > 0 ? static_cast<float>(fb_w_) / w : 1, h > 0 ? static_cast<float>(fb_h_) / h : 1);
        io.DeltaTime = static_cast<float>(std::max(dt_seconds, 1e-4));
    } else {
        ImGui_ImplGlfw_NewFrame();
    }
    ImGui::NewFrame();
    s_.layout.clear();
    handle_keys(s_);
    draw_frame(s_);
    ImGui::Render();
    auto built = std::chrono::steady_clock::now();
    glViewport(0, 0, fb_w_, fb_h_);
    glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (s_.headless) glFinish();
    auto done = std::chrono::steady_clock::now();
    s_.build_ms = std::chrono::duration<double, std::milli>(built - frame_start).count();
    s_.frame_ms = std::chrono::duration<double, std::milli>(done - frame_start).count();
}

bool ViewerApp::screenshot(const std::string& path) { return write_screenshot(path, fb_w_, fb_h_); }

void ViewerApp::present() { glfwSwapBuffers(window_); }

bool ViewerApp::should_close() const { return glfwWindowShouldClose(window_) != 0; }

// ============================================================================================
// [loop]
// ============================================================================================

int run_viewer(const ViewerOptions& options) {
    const bool offscreen = !options.screenshot_path.empty() || options.bench_frames > 0;
    ViewerApp app;
    if (int rc = app.open(options, offscreen); rc != 0) return rc;
    ViewerState& s = app.state();

    int frames_left = options.bench_frames > 0 ? options.bench_frames : (offscreen ? 4 : -1);
    double bench_total_ms = 0, bench_build_ms = 0;
    long long bench_vertices = 0;
    int bench_counted = 0;
    auto last = std::chrono::steady_clock::now();
    int exit_code = 0;
    while (!app.should_close() && frames_left != 0) {
        auto now = std::chrono::steady_clock::now();
        if (offscreen) glfwPollEvents();
        else glfwWaitEventsTimeout(s.playing ? 0.0 : 0.05);
        double dt = std::chrono::duration<double>(now - last).count();
        last = now;
        if (options.bench_frames > 0) {
            // Alternate the views a student uses most: the whole run, then a zoomed window
            // sweeping across it.
            int k = options.bench_frames - frames_left;
            if (k % 2 == 0) fit_all(s);
            else zoom_around(s, Instant::zero() + (s.model().end() - Instant::zero()) * (k % 20) / 20, milliseconds(250));
        }
        app.frame(dt, false);
        if (options.bench_frames > 0 && options.bench_frames - frames_left >= 2) {  // skip warm-up
            bench_vertices += ImGui::GetDrawData()->TotalVtxCount;
            bench_total_ms += s.frame_ms;
            bench_build_ms += s.build_ms;
            ++bench_counted;
        }
        if (frames_left == 1 && !options.screenshot_path.empty()) {
            if (!app.screenshot(options.screenshot_path)) exit_code = 3;
            else std::printf("wrote %s (%dx%d)\n", options.screenshot_path.c_str(), app.framebuffer_width(), app.framebuffer_height());
        }
        app.present();
        if (frames_left > 0) --frames_left;
    }
    if (options.bench_frames > 0 && bench_counted > 0)
        std::printf("frames: %d, events: %zu, messages: %zu, mean frame %.2f ms (ImGui build %.2f ms, GL render %.2f ms), "
                    "%lld vertices a frame\n",
                    bench_counted, s.model().events().size(), s.model().messages().size(), bench_total_ms / bench_counted,
                    bench_build_ms / bench_counted, (bench_total_ms - bench_build_ms) / bench_counted, bench_vertices / bench_counted);
    return exit_code;
}

}  // namespace faultline::view
