// HTML export: a stored run as one self-contained page (`faultline export RUN --format html`), to
// attach to a grade or a bug report. It needs nothing but a browser: no script, no network, no
// file beside it (the timelines are inline SVG, the style inline CSS).
//
// What it holds: the run's identity (scenario, seed, build, trace hash) and how to replay it; what
// failed (unmet expectations, and the failure's story in client names and seconds:
// runner/failure_story.h); the timeline around the failure (the counterexample's window, or the
// first finding) and the whole run's; every check's verdict; the faults; the scenario text.
//
// Deterministic: the same stored run gives the same bytes.
#pragma once

#include "store/run_record.h"

#include <string>

namespace faultline::view {

std::string render_html(const store::RunRecord& run);

}  // namespace faultline::view
