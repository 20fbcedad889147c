#include "visualizer/html_export.h"

#include "runner/failure_story.h"
#include "visualizer/stored_run.h"
#include "visualizer/svg_export.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::view {

namespace {

constexpr const char* style = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1480px; color: #222; padding: 0 12px; }
h1 { font-size: 20px; margin-bottom: 4px; }
h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.status { display: inline-block; padding: 1px 8px; border-radius: 3px; color: #fff; font-weight: 600; }
.failed { background: #b3261e; } .passed { background: #2e7d32; }
table { border-collapse: collapse; } td, th { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 12.5px; }
pre.story { background: #fff4f2; border-left: 4px solid #b3261e; }
.violation { color: #b3261e; font-weight: 600; } .ok { color: #2e7d32; }
.timeline { overflow-x: auto; border: 1px solid #ddd; }
code { background: #f0f0f0; padding: 0 3px; }
)css";

std::string e(std::string_view s) { return xml_escape(s); }

}  // namespace

std::string render_html(const store::RunRecord& r) {
    const std::string title = fmt::format("run {}: {}, seed {}", r.run_id, r.scenario_name, r.seed);
    const bool failed = r.status == store::RunStatus::failed;

    runner::StoryInput input{r.history, r.node_names, {}, {}};
    for (const auto& c : r.checks) input.checks.push_back({c.checker, c.verdict, "", c.details});
    for (const auto& x : r.expectations) {
        if (x.met) continue;
        const auto dot = x.name.rfind('.');
        input.unmet.insert(dot == std::string::npos ? x.name : x.name.substr(dot + 1));
    }
    const runner::Story story = runner::failure_story(input);

    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", e(title), style);
    out += fmt::format("<h1>{} <span class=\"status {}\">{}</span></h1>\n", e(title), failed ? "failed" : "passed",
                       failed ? "failed" : "passed");
    out += "<table>\n";
    out += fmt::format("<tr><th>scenario</th><td>{}</td></tr>\n", e(r.scenario_name));
    out += fmt::format("<tr><th>seed</th><td>{}</td></tr>\n", r.seed);
    out += fmt::format("<tr><th>build</th><td>{}</td></tr>\n", e(r.build_id));
    out += fmt::format("<tr><th>virtual time</th><td>{:.3f} s, {} events, trace hash {:016x}</td></tr>\n",
                       static_cast<double>(r.virtual_duration_ns) / 1e9, r.event_count, r.trace_hash);
    out += fmt::format("<tr><th>replay</th><td><code>faultline replay {}</code> (the same execution, bit for bit, on "
                       "this build)</td></tr>\n</table>\n",
                       r.run_id);

    std::vector<const store::Expectation*> unmet;
    for (const auto& x : r.expectations)
        if (!x.met) unmet.push_back(&x);
    if (!unmet.empty() || !story.lines.empty()) {
        out += "<h2 id=\"failure\">What failed</h2>\n<ul>\n";
        for (const auto* x : unmet) out += fmt::format("<li>expected <b>{}</b>: {}</li>\n", e(x->name), e(x->detail));
        out += "</ul>\n";
        if (!story.lines.empty()) {
            out += "<pre class=\"story\" id=\"counterexample\">";
            for (const auto& line : story.lines) out += e(line) + "\n";
            out += "</pre>\n";
        }
    }

    if (r.events_stored && !r.events.empty()) {
        const RunModel model = model_of_record(r, title);
        if (story.at_ms) {
            // Around the failure: 50 ms before its first operation to 250 ms after, in the run.
            SvgOptions around;
            const int64_t at = static_cast<int64_t>(*story.at_ms * 1e6);
            around.from = Instant::from_ns(std::max<int64_t>(0, at - 50'000'000));
            around.to = Instant::from_ns(std::min<int64_t>(r.virtual_duration_ns, at + 250'000'000));
            out += fmt::format("<h2>Where it shows: {:.3f} s</h2>\n<div class=\"timeline\" id=\"timeline-failure\">\n{}</div>\n",
                               *story.at_ms / 1e3, render_svg(model, around));
        }
        out += fmt::format("<h2>The whole run</h2>\n<div class=\"timeline\" id=\"timeline-run\">\n{}</div>\n",
                           render_svg(model));
    } else {
        out += "<p>This run's trace was not stored: <code>faultline replay</code> it to draw its timeline.</p>\n";
    }

    out += "<h2>Checks</h2>\n<table>\n";
    for (const auto& c : r.checks)
        out += fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td></tr>\n", e(c.checker),
                           c.verdict == "violation" ? "violation" : "ok", e(c.verdict.empty() ? "findings only" : c.verdict));
    out += "</table>\n";
    if (!r.faults.empty()) {
        out += "<h2>Faults</h2>\n<table>\n";
        for (const auto& f : r.faults)
            out += fmt::format("<tr><td>{:.3f} s</td><td>{}</td></tr>\n", static_cast<double>(f.time_ns) / 1e9, e(f.description));
        out += "</table>\n";
    }
    out += fmt::format("<h2>Scenario</h2>\n<pre>{}</pre>\n</body>\n</html>\n", e(r.scenario_text));
    return out;
}

}  // namespace faultline::view
