// Making the viewer's runs through the runner (view_run.h).
#include "visualizer/view_run.h"

#include "runner/catalog.h"
#include "runner/record.h"
#include "runner/session.h"
#include "scenario/scenario_parser.h"
#include "sim/assert.h"
#include "visualizer/stored_run.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace faultline::view {

// Generated from scenarios/replication/split_brain.toml at configure time (visualizer/CMakeLists.txt).
extern const char* const default_scenario_text;
extern const char* const default_scenario_label;

std::variant<scenario::Scenario, std::string> parse_view_scenario(const ViewRunSpec& spec) {
    auto parsed = scenario::parse_scenario_text(spec.scenario_text, spec.scenario_label, runner::catalog());
    if (!parsed.ok()) return scenario::format_errors(parsed.errors);
    return std::move(*parsed.scenario);
}

const scenario::System* view_system(const scenario::Scenario& s, const ViewRunSpec& spec) {
    FL_ASSERT(!s.systems.empty(), "a parsed scenario has a system");
    if (spec.system.empty()) return &s.systems.front();
    for (const scenario::System& sys : s.systems)
        if (sys.name == spec.system) return &sys;
    return nullptr;
}

runner::RunOptions view_run_options(const ViewRunSpec& spec) {
    runner::RunOptions o;
    o.seed = spec.seed;
    o.trace_level = TraceLevel::full;
    o.keep_trace = true;
    o.edits = spec.edits;
    o.checker_options["linearizability_steps_max"] = static_cast<int64_t>(spec.check_steps_max);
    return o;
}

RunModel model_of_outcome(const scenario::Scenario& s, const runner::SystemOutcome& o, uint64_t seed, std::string title) {
    runner::RunOutcome run;
    run.scenario = s.name;
    run.seed = seed;
    store::RunRecord record = runner::to_record(s, run, o, 0);
    return model_of_record(record, std::move(title));
}

std::variant<ViewRun, std::string> run_view(const ViewRunSpec& spec) {
    auto parsed = parse_view_scenario(spec);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    const scenario::Scenario& s = std::get<scenario::Scenario>(parsed);
    const scenario::System* sys = view_system(s, spec);
    if (sys == nullptr) return fmt::format("scenario {} has no system '{}'", s.name, spec.system);
    runner::SystemSession session(s, *sys, view_run_options(spec));
    session.run_to_end();
    const runner::SystemOutcome o = session.finish();
    if (o.trace_dropped)
        return fmt::format("{}, seed {}: {} events, more than a run keeps in memory ({}): too long to draw; a shorter "
                           "duration_ms shows its start",
                           s.name, spec.seed, o.event_count, runner::default_trace_events_max);
    ViewRun v;
    v.spec = spec;
    v.title = fmt::format("{}{}, seed {}{}", s.name, s.systems.size() > 1 ? "/" + sys->name : "", spec.seed,
                          spec.edits.empty() ? "" : " (edited)");
    v.planned = o.planned;
    v.model = model_of_outcome(s, o, spec.seed, v.title);
    return v;
}

std::variant<ViewRunSpec, std::string> spec_of_file(const std::string& path, const std::string& system, uint64_t seed) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fmt::format("cannot open the scenario file {} (does it exist?)", path);
    std::ostringstream text;
    text << in.rdbuf();
    ViewRunSpec spec;
    spec.scenario_text = text.str();
    spec.scenario_label = path;
    spec.system = system;
    spec.seed = seed;
    return spec;
}

ViewRunSpec default_spec(uint64_t seed) {
    ViewRunSpec spec;
    spec.scenario_text = default_scenario_text;
    spec.scenario_label = default_scenario_label;
    spec.seed = seed;
    return spec;
}

}  // namespace faultline::view
