// faultline_png_check FILE: exits 0 if a viewer screenshot is not blank and shows lanes.
//
// Method: a blank or failed frame is one colour (or a handful: the clear colour and the window
// frames). A frame with lanes has, inside the timeline (left two thirds, below the toolbar), many
// rows that carry several distinct colours (role tints, message arrows, operation bars). Colours
// are quantised to 5 bits per channel so anti-aliasing does not count as variety.
#include <stb_image.h>

#include <cstdio>
#include <set>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: faultline_png_check FILE.png\n");
        return 2;
    }
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
    if (px == nullptr) {
        std::fprintf(stderr, "cannot read %s: %s\n", argv[1], stbi_failure_reason());
        return 1;
    }
    auto at = [&](int x, int y) {
        const unsigned char* p = px + (static_cast<long>(y) * w + x) * 3;
        return ((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3);
    };
    std::set<int> all;
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) all.insert(at(x, y));
    int rows_with_lanes = 0, rows = 0;
    for (int y = h / 10; y < h * 6 / 10; y += 4) {
        std::set<int> row;
        for (int x = w / 12; x < w * 2 / 3; ++x) row.insert(at(x, y));
        ++rows;
        rows_with_lanes += row.size() >= 4;
    }
    stbi_image_free(px);
    std::printf("%s: %dx%d, %zu distinct colours, %d of %d timeline rows with >= 4 colours\n", argv[1], w, h, all.size(),
                rows_with_lanes, rows);
    if (all.size() < 16) {
        std::fprintf(stderr, "FAIL: the frame is (nearly) blank\n");
        return 1;
    }
    if (rows_with_lanes < rows / 3) {
        std::fprintf(stderr, "FAIL: the timeline area shows no lanes\n");
        return 1;
    }
    return 0;
}
