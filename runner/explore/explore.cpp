// Bounded exhaustive exploration (explore.h). Sections: [runs] [search].
#include "runner/explore/explore.h"

#include "runner/expectations.h"
#include "runner/parallel.h"
#include "runner/run.h"
#include "runner/world_setup.h"
#include "sim/rng.h"
#include "sim/scheduled_chooser.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <unordered_set>

namespace faultline::runner {

namespace {

// ============================================================================================
// [runs]
// ============================================================================================

using Schedule = std::vector<scenario::ExploredChoice>;

struct ScheduleRun {
    bool found = false;
    std::string detail;
    uint64_t points = 0;
    std::vector<ChoiceRecord> records;  // from the point after the schedule's last choice on
};

ScheduleRun run_schedule(const scenario::Scenario& s, const scenario::System& sys, uint64_t seed, bool expects,
                         const Schedule& schedule, bool record) {
    std::vector<std::pair<uint64_t, Choice>> choices;
    for (const auto& c : schedule) choices.emplace_back(c.index, c.choice);
    ScheduledChooser chooser(std::move(choices));
    chooser.late_by = detail::ms(s.explored.late_ms);
    chooser.restart_after = detail::ms(s.explored.restart_ms);
    if (record) chooser.record_from(schedule.empty() ? 0 : schedule.back().index + 1);
    RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    o.chooser = &chooser;
    const SystemOutcome out = run_system(s, sys, o);
    ScheduleRun r;
    r.points = chooser.points();
    if (expects) {
        r.found = !out.error && out.expectations_met;
        if (r.found) {
            for (const auto& e : out.expectations) r.detail += (r.detail.empty() ? "" : "; ") + e.name + ": " + e.detail;
        }
    } else {
        r.found = out.error.has_value() || !out.expectations_met;
        if (out.error) r.detail = out.error->describe();
        for (const auto& e : out.expectations)
            if (!e.met) r.detail += (r.detail.empty() ? "" : "; ") + e.name + ": " + e.detail;
    }
    if (record) r.records = chooser.records();
    return r;
}

// The alternatives a point offers (as_drawn is the parent's own).
std::vector<Choice> alternatives(ChoiceKind kind) {
    if (kind == ChoiceKind::buggify) return {Choice::fire};
    return {Choice::lost, Choice::late, Choice::crash};
}

// The explored run as a scenario of its own: this system, its expectations, the choices.
scenario::Scenario found_scenario(const scenario::Scenario& s, const scenario::System& sys, const Schedule& schedule) {
    scenario::Scenario out = s;
    out.systems = {sys};
    std::map<std::string, scenario::Expect> kept;
    if (auto it = s.expect.find(sys.name); it != s.expect.end()) kept.insert(*it);
    out.expect = std::move(kept);
    out.explored.choices = schedule;
    out.text.clear();
    return out;
}

// ============================================================================================
// [search]
// ============================================================================================

constexpr std::size_t chunk_size = 64;             // runs between budget checks and progress
// Bounds on memory, for a scope too large to explore (each record is 24 bytes; a candidate a few
// dozen): past them the level is cut and the report says the scope was too large.
constexpr std::size_t candidates_max = 4'000'000;  // candidates of one level
constexpr std::size_t records_max = 10'000'000;    // records kept for the next level (~240 MB)

struct Parent {
    Schedule schedule;
    std::vector<ChoiceRecord> records;
};

// The next level's candidates, in order: each parent's schedule plus one alternative at each point
// it recorded, unless that (state key, alternative) was tried. False when candidates_max cut it.
bool next_candidates(std::vector<Parent>& frontier, std::unordered_set<uint64_t>& tried, uint64_t& pruned,
                     std::vector<Schedule>& candidates) {
    for (Parent& parent : frontier) {
        for (const ChoiceRecord& rec : parent.records) {
            for (Choice c : alternatives(rec.kind)) {
                uint64_t state = rec.key ^ (static_cast<uint64_t>(c) * 0x9e3779b97f4a7c15ULL);
                if (!tried.insert(splitmix64(state)).second) {
                    ++pruned;
                    continue;
                }
                if (candidates.size() >= candidates_max) return false;
                Schedule child = parent.schedule;
                child.push_back({rec.index, c});
                candidates.push_back(std::move(child));
            }
        }
        parent.records = {};
    }
    return true;
}

ExploreReport explore_system(const scenario::Scenario& s, const scenario::System& sys, const ExploreOptions& o) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    ExploreReport report;
    report.system = sys.name;
    report.expects_violation = expects_violation(s, sys.name);
    std::unordered_set<uint64_t> tried;  // (key, choice): membership only, never iterated
    std::unordered_set<uint64_t> keys;   // distinct keys recorded: membership only
    auto finish = [&](const Schedule& schedule, const ScheduleRun& r) {
        report.found = true;
        report.schedule = schedule;
        report.detail = r.detail;
        report.found_scenario = found_scenario(s, sys, schedule);
    };

    ScheduleRun root = run_schedule(s, sys, o.seed, report.expects_violation, {}, o.depth > 0);
    report.runs = 1;
    report.choice_points = root.points;
    for (const auto& rec : root.records) keys.insert(rec.key);
    if (root.found) {
        finish({}, root);
        report.states = keys.size();
        report.seconds = elapsed();
        return report;
    }
    std::vector<Parent> frontier;
    frontier.push_back({{}, std::move(root.records)});

    for (int level = 1; level <= o.depth; ++level) {
        std::vector<Schedule> candidates;
        const bool truncated = !next_candidates(frontier, tried, report.pruned, candidates);
        frontier.clear();
        const bool record = level < o.depth;
        std::vector<Parent> next;
        std::size_t kept = 0;
        bool parents_cut = false;  // the next level's parents outgrew records_max
        for (std::size_t first = 0; first < candidates.size(); first += chunk_size) {
            if (o.budget_s > 0 && elapsed() >= o.budget_s) {
                report.budget_spent = true;
                break;
            }
            const std::size_t n = std::min(chunk_size, candidates.size() - first);
            std::vector<ScheduleRun> results = map_in_parallel<ScheduleRun>(n, o.jobs, [&](uint64_t i) {
                return run_schedule(s, sys, o.seed, report.expects_violation, candidates[first + i], record);
            });
            report.runs += n;
            for (std::size_t i = 0; i < n; ++i) {
                for (const auto& rec : results[i].records) keys.insert(rec.key);
                if (results[i].found) {
                    finish(candidates[first + i], results[i]);
                    report.states = keys.size();
                    report.seconds = elapsed();
                    return report;
                }
                if (!record) continue;
                kept += results[i].records.size();
                if (kept > records_max) {
                    parents_cut = true;
                    continue;
                }
                next.push_back({std::move(candidates[first + i]), std::move(results[i].records)});
            }
            if (o.on_progress) o.on_progress(sys.name, level, first + n, candidates.size());
        }
        if (report.budget_spent) break;
        if (truncated) {  // this level's candidates were not all generated
            report.scope_too_large = true;
            break;
        }
        report.depth_done = level;
        if (parents_cut && level < o.depth) {
            report.scope_too_large = true;
            break;
        }
        frontier = std::move(next);
    }
    report.states = keys.size();
    report.seconds = elapsed();
    return report;
}

}  // namespace

std::vector<ExploreReport> explore(const scenario::Scenario& s, const ExploreOptions& options) {
    std::vector<ExploreReport> out;
    for (const scenario::System& sys : s.systems) {
        if (!options.systems.empty() &&
            std::find(options.systems.begin(), options.systems.end(), sys.name) == options.systems.end())
            continue;
        out.push_back(explore_system(s, sys, options));
    }
    return out;
}

}  // namespace faultline::runner
