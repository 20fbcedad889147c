// cap_svg (cap.h): the CAP suite as a picture. Top, one strip per system: operations completed
// ok per 100 ms on the seed that shows its minority side's availability, majority-side clients
// and minority-side clients stacked, with the partition window shaded. Bottom: every system as
// a point, availability on the minority side against the share of seeds that stayed
// linearizable; CAP says no point reaches the top right corner.
#include "runner/cap.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::runner {

namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

constexpr double width = 900, left = 150, right = 20, strip = 56, gap = 14, top = 50;
constexpr const char* majority_color = "#4878a8";
constexpr const char* minority_color = "#e08a2e";

}  // namespace

std::string cap_svg(const CapReport& r) {
    // The time axis ends half a second after the last completed operation of any system.
    double end_ms = 0, peak = 1;
    for (const CapRow& row : r.rows) {
        for (std::size_t i = 0; i < row.ok_majority.size(); ++i)
            if (row.ok_majority[i] + (i < row.ok_minority.size() ? row.ok_minority[i] : 0) > 0)
                end_ms = std::max(end_ms, row.bucket_ms * static_cast<double>(i + 1) + 500);
        for (std::size_t i = 0; i < row.ok_majority.size(); ++i)
            peak = std::max(peak, row.ok_majority[i] + (i < row.ok_minority.size() ? row.ok_minority[i] : 0));
    }
    if (end_ms <= 0) end_ms = 1;
    const double plot_w = width - left - right;
    const double strips_h = static_cast<double>(r.rows.size()) * (strip + gap);
    const double scatter_top = top + strips_h + 40, scatter_h = 260;
    const double height = scatter_top + scatter_h + 70;
    auto x_of = [&](double ms) { return left + plot_w * ms / end_ms; };

    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        width, height);
    out += fmt::format("<text x=\"{}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{} — seeds {}..{}</text>\n", left,
                       escape(r.partition_scenario), r.seed_first, r.seed_last);
    out += fmt::format("<text x=\"{}\" y=\"38\" fill=\"#555\">operations completed ok per 100 ms: "
                       "<tspan fill=\"{}\">majority-side clients</tspan>, <tspan fill=\"{}\">minority-side clients</tspan>; "
                       "(by their side of the partition); grey: the partition</text>\n",
                       left, majority_color, minority_color);
    for (std::size_t k = 0; k < r.rows.size(); ++k) {
        const CapRow& row = r.rows[k];
        const double y0 = top + static_cast<double>(k) * (strip + gap);
        const double base = y0 + strip;
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>\n", left - 10, y0 + 22,
                           escape(row.system));
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">{} {}</text>\n", left - 10, y0 + 38,
                           escape(row.protocol), row.cap_class);
        for (const auto& [from, to] : row.cut_ms)
            out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#e4e4e4\"/>\n", x_of(from), y0,
                               std::max(1.0, x_of(to) - x_of(from)), strip);
        const double bar_w = std::max(1.0, plot_w * row.bucket_ms / end_ms - 0.5);
        for (std::size_t i = 0; i < row.ok_majority.size() && row.bucket_ms * static_cast<double>(i) < end_ms; ++i) {
            const double maj = row.ok_majority[i], min = i < row.ok_minority.size() ? row.ok_minority[i] : 0;
            const double x = x_of(row.bucket_ms * static_cast<double>(i));
            const double h_maj = strip * maj / peak, h_min = strip * min / peak;
            if (maj > 0)
                out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x,
                                   base - h_maj, bar_w, h_maj, majority_color);
            if (min > 0)
                out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x,
                                   base - h_maj - h_min, bar_w, h_min, minority_color);
        }
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>\n", left, base, width - right, base);
    }
    const double axis_y = top + strips_h - gap + 14;
    for (double s = 0; s * 1000 <= end_ms; s += 1)
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{:.0f} s</text>\n", x_of(s * 1000),
                           axis_y, s);

    // Availability (minority side) against consistency (share of seeds linearizable).
    const double sx = left, sw = 420, sy = scatter_top, sh = scatter_h;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", sx, sy, sw, sh);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">available on the minority side →</text>\n", sx + sw / 2,
                       sy + sh + 32);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 {} {})\">"
                       "consistent: seeds linearizable →</text>\n",
                       sx - 40, sy + sh / 2, sx - 40, sy + sh / 2);
    for (int t = 0; t <= 4; ++t) {
        const double v = t / 4.0;
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{:.2f}</text>\n", sx + sw * v,
                           sy + sh + 16, v);
        out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{:.2f}</text>\n", sx - 6,
                           sy + sh - sh * v + 4, v);
    }
    std::map<std::pair<int, int>, int> crowd;  // labels of points at the same spot are stacked
    for (const CapRow& row : r.rows) {
        const auto& a = row.cells.at("availability_minority").value;
        const auto& l = row.cells.at("linearizable").value;
        if (!a || !l) continue;
        const double px = sx + sw * *a, py = sy + sh - sh * *l;
        const int n = crowd[{static_cast<int>(px / 8), static_cast<int>(py / 8)}]++;
        const char* color = row.cap_class == "AP" ? minority_color : majority_color;
        out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"6\" fill=\"{}\"/>\n", px, py, color);
        const bool right_side = px > sx + sw - 120;
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>\n", right_side ? px - 10 : px + 10,
                           py + 4 + 14 * n, right_side ? "end" : "start", escape(row.system));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\">CAP: under a partition no design</text>\n", sx + sw + 30, sy + 20);
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\">reaches the top right corner.</text>\n", sx + sw + 30, sy + 36);
    out += "</svg>\n";
    return out;
}

}  // namespace faultline::runner
