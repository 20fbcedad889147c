// faultline replay RUN|SCENARIO [--seed N] [--until MS] [--json]: re-execute a run and verify it.
//
// RUN (a stored run id): the run is re-executed from its stored scenario text and seed.
// - Whole run: the replayed trace hash must equal the stored one; on a mismatch the first
//   divergent event is named when the store holds the run's events (a determinism bug, or a
//   different build: a warning says so when the build ids differ). Exit 1 on a mismatch.
// - --until MS: the replay stops at MS of virtual time. When the store holds the run's events,
//   the replayed events must equal the stored events up to MS (every event with true time <= MS),
//   event by event (runner/trace_compare.h); a mismatch is reported the same way, exit 1. A run
//   stored without its events (summary only) cannot be checked up to MS: the whole run is
//   replayed instead, its full trace hash compared, and the output says so.
// SCENARIO (a file): runs it with --seed (or its own) and prints the summary; nothing to compare.
#include "cli/common.h"

#include "runner/record.h"
#include "runner/run.h"
#include "runner/trace_compare.h"
#include "scenario/duration_limits.h"

#include <fmt/format.h>

#include <iostream>

namespace faultline::cli {

namespace {

struct ReplayArgs {
    std::string target;
    std::optional<uint64_t> seed;
    std::optional<double> until_ms;
    std::string db = default_db;
    bool json = false;
};

const runner::SystemOutcome* find_system(const scenario::Scenario& s, const runner::RunOutcome& run,
                                         const std::string& stored_name) {
    for (const auto& o : run.systems)
        if (runner::run_name(s, o) == stored_name) return &o;
    return nullptr;
}

// What one comparison found, for the text and the JSON output.
struct Comparison {
    std::string compared;  // "prefix" (events up to --until) or "full_trace_hash"
    bool identical = false;
    std::size_t stored_events = 0;    // stored events compared (the prefix), or the stored count
    std::optional<runner::Divergence> divergence;
};

int report(const ReplayArgs& a, uint64_t seed, const store::RunRecord& stored, const runner::SystemOutcome& sys,
           const Comparison& c, bool prefix_impossible) {
    const std::string until = a.until_ms ? fmt::format("{}", *a.until_ms) : std::string();
    if (a.json) {
        nlohmann::ordered_json j{
            {"run_id", stored.run_id},
            {"seed", seed},
            {"until_ms", a.until_ms ? nlohmann::ordered_json(*a.until_ms) : nlohmann::ordered_json()},
            {"compared", c.compared},
            {"stored_events_compared", c.stored_events},
            {"replayed_events", sys.event_count},
            {"stored_trace_hash", store::hash_to_hex(stored.trace_hash)},
            {"replayed_trace_hash", store::hash_to_hex(sys.trace_hash)},
            {"identical", c.identical},
            {"first_divergent_event",
             c.divergence ? nlohmann::ordered_json(c.divergence->index) : nlohmann::ordered_json()},
            {"divergence", c.divergence ? nlohmann::ordered_json(c.divergence->text) : nlohmann::ordered_json()},
            {"internal_error", sys.error ? runner::error_json(*sys.error) : nlohmann::ordered_json()}};
        if (prefix_impossible)
            j["note"] = "the stored run keeps no events (summary only): only the full trace hash can be compared";
        std::cout << j.dump(2) << "\n";
        return c.identical ? exit_ok : exit_failed;
    }
    if (prefix_impossible)
        std::cout << fmt::format("run {} keeps no events (stored summary only), so its trace up to {} ms cannot be "
                                 "compared: only the full trace hash can. Replayed the whole run instead.\n",
                                 a.target, until);
    if (c.compared == "prefix") {
        if (c.identical)
            std::cout << fmt::format("replay of run {} (seed {}) up to {} ms: identical, {} events equal the stored "
                                     "events up to {} ms (hash of the prefix {:016x})\n",
                                     a.target, seed, until, sys.event_count, until, sys.trace_hash);
        else
            std::cout << fmt::format("replay of run {} (seed {}) up to {} ms: DIFFERENT from the stored events up to "
                                     "{} ms ({} stored, {} replayed)\n",
                                     a.target, seed, until, until, c.stored_events, sys.event_count);
    } else if (c.identical) {
        std::cout << fmt::format("replay of run {} (seed {}): identical, trace hash {:016x}, {} events\n", a.target,
                                 seed, sys.trace_hash, sys.event_count);
    } else {
        std::cout << fmt::format("replay of run {} (seed {}): DIFFERENT trace hash: stored {:016x}, replayed {:016x}\n",
                                 a.target, seed, stored.trace_hash, sys.trace_hash);
    }
    if (!c.identical) {
        std::cout << "this is a determinism bug (or a different build): ";
        std::cout << (c.divergence ? c.divergence->text
                                   : stored.events.empty() ? std::string("the stored run has no events to compare")
                                                           : std::string("traces agree event by event (the difference is in text only)"))
                  << "\n";
    }
    if (sys.error) std::cout << fmt::format("the run ends in an internal error: {}\n", sys.error->describe());
    return c.identical ? exit_ok : exit_failed;
}

int do_replay(const ReplayArgs& a) {
    // No run lasts beyond a week; past ~9.2e12 ms the time would not even fit the kernel's clock
    // (and compared nothing, calling the replay identical).
    if (a.until_ms && !(*a.until_ms >= 0 && *a.until_ms <= scenario::duration_ms_max)) {
        std::fprintf(stderr, "faultline: --until takes a virtual time in ms from 0 to %.0f (one week), got %g\n",
                     scenario::duration_ms_max, *a.until_ms);
        return exit_input;
    }
    std::optional<scenario::Scenario> s;
    std::optional<store::RunRecord> stored;
    bool is_run_id = !a.target.empty() && a.target.find_first_not_of("0123456789") == std::string::npos;
    if (is_run_id) {
        auto db = open_store(a.db, true);
        if (!db) return exit_input;
        const auto id = runner::parse_run_id(a.target);
        if (!id) {
            std::fprintf(stderr, "faultline: '%s' is not a run id (a whole number from 1) or a file\n",
                         a.target.c_str());
            return exit_input;
        }
        auto r = db->load_run(*id, true);
        if (!r) {
            std::fprintf(stderr, "faultline: %s\n", r.error().describe().c_str());
            return exit_input;
        }
        stored = std::move(r.value());
        s = load_scenario_text(stored->scenario_text, stored_scenario_label(*stored));
        if (!s) return exit_input;
    } else {
        s = load_scenario(a.target);
        if (!s) return exit_input;
    }
    runner::RunOptions o;
    o.seed = stored ? stored->seed : a.seed.value_or(s->seed);
    o.trace_level = TraceLevel::full;
    const bool has_events = stored && !stored->events.empty();
    // A prefix can only be checked against stored events; without them the whole run is replayed.
    const bool prefix_impossible = stored && a.until_ms && !has_events;
    const Instant until = Instant::zero() + nanoseconds(static_cast<int64_t>(a.until_ms.value_or(0) * 1e6));
    if (a.until_ms && !prefix_impossible) o.until = until;
    runner::RunOutcome run = runner::run_scenario(*s, o);
    if (!stored) {
        std::cout << runner::format_summary(*s, run, -1);
        if (a.until_ms) std::cout << fmt::format("(stopped at {} ms; no stored run to compare with)\n", *a.until_ms);
        if (run.internal_error()) return exit_internal;
        return run.expectations_met ? exit_ok : exit_failed;
    }
    const runner::SystemOutcome* sys = find_system(*s, run, stored->scenario_name);
    if (sys == nullptr) {
        std::fprintf(stderr, "faultline: run %s is of system '%s', which the scenario no longer has\n", a.target.c_str(),
                     stored->scenario_name.c_str());
        return exit_input;
    }
    if (stored->build_id != runner::build_id())
        std::fprintf(stderr, "faultline: warning: run %s was made by build %s, this is %s; a different trace may be legitimate\n",
                     a.target.c_str(), stored->build_id.c_str(), runner::build_id().c_str());

    Comparison c;
    const runner::TraceSide stored_side{stored->events, stored->names, stored->node_names};
    const runner::TraceSide replayed_side{sys->trace, sys->names, sys->node_names};
    const bool compare_text = stored->trace_level == TraceLevel::full;
    if (o.until) {
        c.compared = "prefix";
        c.stored_events = runner::prefix_until(stored->events, until);
        c.divergence = runner::first_divergence(stored_side, c.stored_events, replayed_side, compare_text);
        c.identical = !c.divergence;
    } else {
        c.compared = "full_trace_hash";
        c.stored_events = stored->event_count;
        c.identical = sys->trace_hash == stored->trace_hash;
        if (!c.identical && has_events)
            c.divergence = runner::first_divergence(stored_side, stored->events.size(), replayed_side, compare_text);
    }
    return report(a, o.seed, *stored, *sys, c, prefix_impossible);
}

}  // namespace

Command add_replay_command(CLI::App& app) {
    auto a = std::make_shared<ReplayArgs>();
    auto* c = app.add_subcommand("replay", "Re-execute a stored run (or a scenario and seed) and verify its trace");
    c->add_option("TARGET", a->target, "A run id from the store, or a scenario file")->required();
    c->add_option("--seed", a->seed, "Seed (with a scenario file)")
        ->transform(whole_number(0, std::numeric_limits<uint64_t>::max()));
    c->add_option(
         "--until", a->until_ms,
         "Stop at this virtual time (ms, at most one week) and compare the events up to it with the stored ones")
        ->check([](const std::string& text) { return runner::time_ms_problem(text); });
    c->add_option("--db", a->db, "Run store (SQLite file)");
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_replay(*a); }};
}

}  // namespace faultline::cli
