#include "store/run_record.h"

#include "sim/assert.h"

#include <cmath>

namespace faultline::store {

std::string_view to_string(RunStatus s) {
    switch (s) {
        case RunStatus::passed: return "passed";
        case RunStatus::failed: return "failed";
    }
    FL_ASSERT(false, "unknown RunStatus {}", static_cast<int>(s));
    return {};
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
    if (text == "passed") return RunStatus::passed;
    if (text == "failed") return RunStatus::failed;
    return std::nullopt;
}

std::string_view to_string(TraceLevel level) {
    switch (level) {
        case TraceLevel::off: return "off";
        case TraceLevel::events: return "events";
        case TraceLevel::full: return "full";
    }
    FL_ASSERT(false, "unknown TraceLevel {}", static_cast<int>(level));
    return {};
}

std::optional<TraceLevel> parse_trace_level(std::string_view text) {
    if (text == "off") return TraceLevel::off;
    if (text == "events") return TraceLevel::events;
    if (text == "full") return TraceLevel::full;
    return std::nullopt;
}

bool same_event(const TraceEvent& a, const TraceEvent& b) {
    return a.index == b.index && a.time == b.time && a.local_time == b.local_time && a.lamport == b.lamport &&
           a.id == b.id && a.cause == b.cause && a.node == b.node && a.peer == b.peer && a.kind == b.kind &&
           a.reason == b.reason && a.name == b.name && a.text == b.text;
}

bool same_history_event(const check::Event& a, const check::Event& b) {
    return a.index == b.index && a.time_ns == b.time_ns && a.process == b.process && a.type == b.type && a.f == b.f &&
           a.key == b.key && a.value == b.value && a.expected == b.expected && a.cas_swapped == b.cas_swapped;
}

namespace {

// Figures compare bit for bit, so that a NaN figure round-trips as equal to itself.
bool same_figures(const std::vector<Figure>& a, const std::vector<Figure>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name) return false;
        bool both_nan = std::isnan(a[i].value) && std::isnan(b[i].value);
        if (!both_nan && a[i].value != b[i].value) return false;
    }
    return true;
}

}  // namespace

bool same_run(const RunRecord& a, const RunRecord& b) {
    if (a.scenario_name != b.scenario_name || a.scenario_text != b.scenario_text ||
        a.scenario_hash != b.scenario_hash || a.seed != b.seed || a.build_id != b.build_id) {
        return false;
    }
    if (a.virtual_duration_ns != b.virtual_duration_ns || a.wall_time_ms != b.wall_time_ms ||
        a.trace_hash != b.trace_hash || a.trace_level != b.trace_level || a.event_count != b.event_count) {
        return false;
    }
    if (a.node_names != b.node_names || a.names != b.names || a.events.size() != b.events.size()) return false;
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        if (!same_event(a.events[i], b.events[i])) return false;
    }
    if (a.history.events.size() != b.history.events.size()) return false;
    for (std::size_t i = 0; i < a.history.events.size(); ++i) {
        if (!same_history_event(a.history.events[i], b.history.events[i])) return false;
    }
    return a.faults == b.faults && a.checks == b.checks && same_figures(a.figures, b.figures) &&
           a.expectations == b.expectations && a.status == b.status;
}

}  // namespace faultline::store
