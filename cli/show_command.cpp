// faultline show RUN [--events] [--node n2] [--kind send,deliver] [--json]
// faultline export RUN --format json|jsonl
#include "cli/common.h"

#include "check/history_io.h"
#include "visualizer/stored_run.h"
#include "visualizer/html_export.h"
#include "visualizer/svg_export.h"

#include <fmt/format.h>

#include <iostream>
#include <set>
#include <sstream>

namespace faultline::cli {

namespace {

struct ShowArgs {
    std::string run;
    bool events = false;
    std::string node;
    std::string kinds;
    std::string db = default_db;
    bool json = false;
    int64_t limit = 0;
};

std::optional<store::RunRecord> load(const std::string& db_path, const std::string& run, bool with_events) {
    auto db = open_store(db_path, true);
    if (!db) return std::nullopt;
    int64_t id = 0;
    if (run == "latest") {
        auto latest = db->latest_run();
        if (!latest || !latest.value()) {
            std::fprintf(stderr, "faultline: %s holds no runs yet\n", db_path.c_str());
            return std::nullopt;
        }
        id = latest.value()->run_id;
    } else if (auto parsed = runner::parse_run_id(run)) {
        id = *parsed;
    } else {
        std::fprintf(stderr, "faultline: '%s' is not a run id (a whole number from 1, or 'latest')\n", run.c_str());
        return std::nullopt;
    }
    auto r = db->load_run(id, with_events);
    if (!r) {
        std::fprintf(stderr, "faultline: %s\n", r.error().describe().c_str());
        return std::nullopt;
    }
    return std::move(r.value());
}

std::set<std::string> split(const std::string& text) {
    std::set<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) if (!item.empty()) out.insert(item);
    return out;
}

nlohmann::ordered_json event_json(const TraceEvent& e, const store::RunRecord& r) {
    auto node = [&](NodeId n) { return n == no_node ? std::string() : r.node_names.at(n); };
    nlohmann::ordered_json j{{"index", e.index}, {"time_ns", e.time.ns()}, {"local_time_ns", e.local_time.ns()},
                             {"lamport", e.lamport}, {"node", node(e.node)}, {"kind", to_string(e.kind)},
                             {"peer", node(e.peer)}, {"name", r.names.at(e.name)}, {"id", e.id}};
    if (e.cause != no_event) j["cause"] = e.cause;
    if (e.kind == EventKind::drop) j["reason"] = to_string(static_cast<DropReason>(e.reason));
    if (e.kind == EventKind::client_complete) j["outcome"] = to_string(static_cast<ClientOutcome>(e.reason));
    if (!e.text.empty()) j["text"] = e.text;
    return j;
}

nlohmann::ordered_json run_json(const store::RunRecord& r) {
    nlohmann::ordered_json j{{"run_id", r.run_id}, {"scenario", r.scenario_name}, {"seed", r.seed},
                             {"status", store::to_string(r.status)}, {"build_id", r.build_id},
                             {"trace_hash", store::hash_to_hex(r.trace_hash)}, {"events", r.event_count},
                             {"virtual_duration_ns", r.virtual_duration_ns}, {"wall_time_ms", r.wall_time_ms},
                             {"written_at", r.written_at}};
    auto& v = j["verdicts"] = nlohmann::ordered_json::object();
    for (const auto& c : r.checks)
        if (!c.verdict.empty()) v[c.checker] = c.verdict;  // a record without one only keeps findings
    auto& f = j["figures"] = nlohmann::ordered_json::object();
    for (const auto& x : r.figures) f[x.name] = x.value;
    auto& ex = j["expectations"] = nlohmann::ordered_json::array();
    bool met = true;
    for (const auto& e : r.expectations) {
        ex.push_back({{"name", e.name}, {"met", e.met}, {"detail", e.detail}});
        met = met && e.met;
    }
    j["expectations_met"] = met;
    auto& faults = j["faults"] = nlohmann::ordered_json::array();
    for (const auto& x : r.faults) faults.push_back({{"time_ns", x.time_ns}, {"kind", x.kind}, {"description", x.description}});
    return j;
}

int do_show(const ShowArgs& a) {
    auto r = load(a.db, a.run, a.events);
    if (!r) return exit_input;
    auto kinds = split(a.kinds);
    auto keep = [&](const TraceEvent& e) {
        if (!a.node.empty() && (e.node == no_node || r->node_names.at(e.node) != a.node)) return false;
        if (!kinds.empty() && !kinds.count(std::string(to_string(e.kind)))) return false;
        return true;
    };
    if (a.json) {
        auto j = run_json(*r);
        if (a.events) {
            auto& ev = j["events"] = nlohmann::ordered_json::array();
            for (const auto& e : r->events) if (keep(e)) ev.push_back(event_json(e, *r));
        }
        std::cout << j.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << fmt::format("run {}  {}  seed {}  {}\n", r->run_id, r->scenario_name, r->seed, store::to_string(r->status));
    std::cout << fmt::format("  build {}   written {}   wall {} ms\n", r->build_id, r->written_at, r->wall_time_ms);
    std::cout << fmt::format("  virtual time {}   events {}   trace hash {}\n",
                             to_string(nanoseconds(r->virtual_duration_ns)), r->event_count, store::hash_to_hex(r->trace_hash));
    for (const auto& c : r->checks) {
        std::cout << fmt::format("  {:<16} {}\n", c.checker, c.verdict.empty() ? "findings (no verdict)" : c.verdict);
        // A run that ended in an assertion or exception: say which (runner::error_json).
        if (c.checker == "internal_error" && c.details.contains("description"))
            std::cout << fmt::format("  {:<16} {}\n", "", c.details["description"].get<std::string>());
        // What failed: each finding (time, what, detail), the checker's explanation.
        if (c.verdict != "ok" && c.details.contains("findings") && c.details["findings"].is_array()) {
            for (const auto& v : c.details["findings"])
                std::cout << fmt::format("  {:<16} {} {}: {}\n", "", to_string(Instant::from_ns(v.value("time_ns", int64_t{0}))),
                                         v.value("what", std::string("?")), v.value("detail", std::string()));
        }
        if (c.verdict != "ok" && c.details.contains("explanation") && c.details["explanation"].is_string()) {
            std::istringstream lines(c.details["explanation"].get<std::string>());
            std::string line;
            // Long values (appended lists) are cut: `export --format json` has them whole.
            constexpr std::size_t width = 140;
            while (std::getline(lines, line)) {
                if (line.size() > width) line = line.substr(0, width) + " ...";
                std::cout << fmt::format("  {:<16} {}\n", "", line);
            }
        }
    }
    for (const auto& f : r->figures) std::cout << fmt::format("  {:<24} {:g}\n", f.name, f.value);
    for (const auto& e : r->expectations)
        std::cout << fmt::format("  expect {:<28} {}  ({})\n", e.name, e.met ? "met" : "NOT MET", e.detail);
    if (!r->faults.empty()) {
        std::cout << "  faults:\n";
        for (const auto& f : r->faults) std::cout << fmt::format("    {:>12}  {}\n", to_string(Instant::from_ns(f.time_ns)), f.description);
    }
    if (a.events) {
        if (!r->events_stored) {
            std::cout << "  (this run's events are not stored: replay it to see them)\n";
            return exit_ok;
        }
        Trace names_only;  // formatting helper: reuse Trace::format_event's columns
        std::cout << fmt::format("\n{:>7} {:>16} {:>16} {:>5} {:<6} {:<16} {:<6} {:<18} details\n", "event", "time",
                                 "local time", "lamp", "node", "kind", "peer", "name");
        int64_t shown = 0;
        for (const auto& e : r->events) {
            if (!keep(e)) continue;
            if (a.limit > 0 && shown++ >= a.limit) break;
            auto node = [&](NodeId n) { return n == no_node ? std::string("-") : r->node_names.at(n); };
            std::string detail;
            if (e.kind == EventKind::drop) detail = fmt::format("reason={} ", to_string(static_cast<DropReason>(e.reason)));
            if (e.kind == EventKind::client_complete) detail = fmt::format("{} ", to_string(static_cast<ClientOutcome>(e.reason)));
            std::cout << fmt::format("{:>7} {:>16} {:>16} {:>5} {:<6} {:<16} {:<6} {:<18} {}{}\n", e.index, to_string(e.time),
                                     to_string(e.local_time), e.lamport, node(e.node), to_string(e.kind), node(e.peer),
                                     r->names.at(e.name), detail, e.text);
        }
    }
    return exit_ok;
}

struct ExportArgs {
    std::string run;
    std::string format = "json";
    std::string db = default_db;
};

int do_export(const ExportArgs& a) {
    auto r = load(a.db, a.run, true);
    if (!r) return exit_input;
    if (a.format == "json") {
        auto j = run_json(*r);
        auto& ev = j["events"] = nlohmann::ordered_json::array();
        for (const auto& e : r->events) ev.push_back(event_json(e, *r));
        j["history"] = nlohmann::ordered_json::parse(check::to_faultline_json(r->history));
        std::cout << j.dump(2) << "\n";
    } else if (a.format == "jsonl") {
        std::cout << run_json(*r).dump() << "\n";
        for (const auto& e : r->events) std::cout << event_json(e, *r).dump() << "\n";
    } else if (a.format == "jepsen") {
        std::cout << check::to_jepsen_edn(r->history);
    } else if (a.format == "svg") {
        // The space-time diagram, without any GUI (visualizer/svg_export.h).
        if (!r->events_stored) {
            std::fprintf(stderr, "faultline: run %lld has no stored events to draw: replay it first\n",
                         static_cast<long long>(r->run_id));
            return exit_input;
        }
        std::cout << view::render_svg(view::model_of_record(*r, fmt::format("run {}: {}, seed {}", r->run_id, r->scenario_name, r->seed)));
    } else if (a.format == "html") {
        // One self-contained page: the failure's story and its timeline (visualizer/html_export.h).
        std::cout << view::render_html(*r);
    } else {
        std::fprintf(stderr, "faultline: unknown export format '%s'\n", a.format.c_str());
        return exit_input;
    }
    return exit_ok;
}

}  // namespace

Command add_show_command(CLI::App& app) {
    auto a = std::make_shared<ShowArgs>();
    auto* c = app.add_subcommand("show", "Show a stored run: summary, verdicts, faults, and optionally its trace");
    c->add_option("RUN", a->run, "Run id, or 'latest'")->required();
    c->add_flag("--events", a->events, "Print the trace as aligned columns");
    c->add_option("--node", a->node, "Only events of this node");
    c->add_option("--kind", a->kinds, "Only these event kinds, comma-separated (send,deliver,drop,...)");
    c->add_option("--limit", a->limit, "At most this many events")
        ->transform(whole_number(0, std::numeric_limits<int64_t>::max()));
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print as JSON");
    return {c, [a] { return do_show(*a); }};
}

Command add_export_command(CLI::App& app) {
    auto a = std::make_shared<ExportArgs>();
    auto* c = app.add_subcommand("export", "Export a stored run: json, jsonl (one event a line), jepsen (history as EDN), svg (the space-time diagram) or html (one page: the failure and its timeline)");
    c->add_option("RUN", a->run, "Run id, or 'latest'")->required();
    c->add_option("--format", a->format, "json | jsonl | jepsen | svg | html")->check(CLI::IsMember({"json", "jsonl", "jepsen", "svg", "html"}));
    c->add_option("--db", a->db, "Run store (SQLite file)");
    return {c, [a] { return do_export(*a); }};
}

}  // namespace faultline::cli
