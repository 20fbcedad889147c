// Headless rendering: read the frame just drawn (before the buffer swap) and write it as a PNG.
#pragma once

#include <string>

namespace faultline::view {

// Reads the back buffer (w x h, RGB) with glReadPixels and writes it top row first. False (with a
// message on stderr) if the file cannot be written.
bool write_screenshot(const std::string& path, int width, int height);

}  // namespace faultline::view
