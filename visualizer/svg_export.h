// SVG export: a run's space-time diagram as one self-contained SVG document, without any GUI
// dependency (for docs, lab feedback and CI artifacts; `faultline export RUN --format svg`).
//
// What it draws: one lane per node (true time to the right), lanes tinted by role, greyed while
// the node is down, hatched while paused, shaded by partition group while a partition holds;
// messages as arrows coloured by type (a duplicate's copy dashed, a drop ending in a red cross
// with its reason in the tooltip); crash and restart marks; client operations as bars coloured
// ok/fail/info; a checker's counterexample outlined with its window shaded; a time axis and a
// legend. Past `message_budget` arrows in the range it draws message densities instead.
//
// Guarantees: deterministic text for a model and options (same run, same bytes); every text
// is XML-escaped; the document is well-formed (one <svg> root).
#pragma once

#include "visualizer/run_model.h"

#include <optional>
#include <string>

namespace faultline::view {

struct SvgOptions {
    int width_px = 1400;                 // the drawing's width, labels included
    int lane_height_px = 36;
    std::optional<Instant> from;         // default: the run's start
    std::optional<Instant> to;           // default: the run's end
    std::size_t message_budget = 3000;   // arrows at most; past it, densities
    bool legend = true;
};

std::string render_svg(const RunModel& model, const SvgOptions& options = {});

// Text made safe for XML and HTML: markup characters escaped, control characters dropped.
std::string xml_escape(std::string_view s);

}  // namespace faultline::view
