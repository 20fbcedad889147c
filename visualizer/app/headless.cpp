#include "visualizer/app/headless.h"

#include "sim/assert.h"

#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <cstdio>
#include <vector>

namespace faultline::view {

bool write_screenshot(const std::string& path, int width, int height) {
    FL_ASSERT(width > 0 && height > 0, "a {}x{} framebuffer: the window was never shown", width, height);
    FL_ASSERT(width <= 16384 && height <= 16384, "a {}x{} framebuffer is beyond any screenshot we take", width, height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows start at the bottom; PNG's at the top.
    stbi_flip_vertically_on_write(1);
    if (stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3) == 0) {
        std::fprintf(stderr, "faultline view: cannot write the screenshot %s\n", path.c_str());
        return false;
    }
    return true;
}

}  // namespace faultline::view
