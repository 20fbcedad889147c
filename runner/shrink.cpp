// Shrinking a failing run (shrink.h).
//
// Sections: [failure signature and sizes] [the shrinker] [number reduction] [passes] [the result].
// The passes: systems, expectations, faults, nemesis, liveness, workload, duration, fault times,
// nodes, keys, link overrides. Numbers shrink floor first, then by bisection.
#include "runner/shrink.h"

#include "protocols/plugin/registry.h"
#include "runner/catalog.h"
#include "runner/expectations.h"
#include "sim/assert.h"
#include "sim/faults/fault_kind.h"
#include "scenario/scenario_parser.h"
#include "scenario/scenario_writer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_set>

namespace faultline::runner {

namespace {

using scenario::Expect;
using scenario::FaultSpec;
using scenario::Scenario;

//-------------------------------------------------------------------------------------------------
// [failure signature and sizes]
//-------------------------------------------------------------------------------------------------

bool has_expectations(const SystemOutcome& o) { return !o.expectations.empty(); }

// The signature and, in the same order, a readable line per entry.
std::vector<std::pair<std::string, std::string>> failures(const RunOutcome& run) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const SystemOutcome& o : run.systems) {
        if (o.error) {
            // The run did not complete. The same assertion at the same place is the same failure,
            // whatever values its message carries (RunError::signature); no check ran.
            out.emplace_back(fmt::format("{}: {}", o.system, o.error->signature()),
                             fmt::format("{}: {}", o.system, o.error->describe()));
            continue;
        }
        if (has_expectations(o)) {
            for (const ExpectationResult& e : o.expectations) {
                if (!e.met) out.emplace_back(fmt::format("{}: {}", o.system, e.name), fmt::format("{}: {} ({})", o.system, e.name, e.detail));
            }
            continue;
        }
        // No expectations: the checks themselves say whether the system failed, each finding
        // kind once ("naive: invariants: election_safety"), else the verdict.
        for (const CheckOutcome& c : o.checks) {
            if (c.verdict() != "violation") continue;
            std::set<std::string> kinds;
            for (const Finding& f : c.findings) kinds.insert(f.what);
            for (const std::string& what : kinds)
                out.emplace_back(fmt::format("{}: {}: {}", o.system, c.checker, what),
                                 fmt::format("{}: {} found {}", o.system, c.checker, what));
            if (kinds.empty())
                out.emplace_back(fmt::format("{}: {}=violation", o.system, c.checker),
                                 fmt::format("{}: {}: {}", o.system, c.checker, c.summary));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// What a run that meets its expectations demonstrates: each met expectation of a violation
// ("buggy: invariants_hold = false"), the lesson of a planted bug. A shrink of such a run keeps
// these, with every other expectation met, instead of saying there is nothing to shrink.
std::vector<std::pair<std::string, std::string>> demonstrations(const Scenario& s, const RunOutcome& run) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const SystemOutcome& o : run.systems) {
        if (o.error) continue;
        const scenario::Expect expect = expectations_for(s, o.system);
        for (const ExpectationResult& e : o.expectations) {
            const scenario::ExpectItem* item = expect.find(e.name);
            const bool* wanted = item != nullptr ? std::get_if<bool>(&item->value) : nullptr;
            if (!e.met || wanted == nullptr || *wanted) continue;
            out.emplace_back(fmt::format("{}: {} = false", o.system, e.name),
                             fmt::format("{}: {} = false, as expected ({})", o.system, e.name, e.detail));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string system_of(const std::string& signature_entry) { return signature_entry.substr(0, signature_entry.find(':')); }

using scenario::fault_length_ms;

// The latest time a scripted fault or an explicit liveness heal needs the run to reach.
double last_fault_end_ms(const Scenario& s) {
    double end = 0;
    for (const FaultSpec& f : s.faults) end = std::max({end, f.at_ms, f.at_ms + fault_length_ms(f)});
    if (s.nemesis.enabled && s.nemesis.end_ms > 0) end = std::max(end, s.nemesis.end_ms);
    if (s.liveness.heal_at_ms) end = std::max(end, *s.liveness.heal_at_ms);
    return end;
}

int64_t count_expectations(const Expect& e) { return static_cast<int64_t>(e.size()); }

// Nine significant digits: a length of two written times (1.050663 ms) without the noise of its subtraction.
std::string show_ms(double v) { return fmt::format("{:.9g}", v); }

// "fault 0 (partition n1 | n2,n3)": the kind and its first field that says where it strikes.
std::string describe_fault(const FaultSpec& f, std::size_t index) {
    std::string who;
    const faults::FaultKind* kind = faults::find_fault_kind(f.kind);
    for (const faults::FaultField& field : kind ? kind->fields : std::vector<faults::FaultField>{}) {
        auto it = f.args.values().find(field.key);
        if (it == f.args.values().end() || field.type == faults::FieldType::number) continue;
        if (const auto* name = std::get_if<std::string>(&it->second)) who = *name;
        if (const auto* list = std::get_if<std::vector<std::string>>(&it->second)) who = fmt::format("{}", fmt::join(*list, ","));
        if (const auto* groups = std::get_if<std::vector<std::vector<std::string>>>(&it->second))
            for (const auto& side : *groups) who += (who.empty() ? "" : " | ") + fmt::format("{}", fmt::join(side, ","));
        break;
    }
    return fmt::format("fault {} ({}{}{})", index, f.kind, who.empty() ? "" : " ", who);
}

//-------------------------------------------------------------------------------------------------
// [the shrinker]: candidates, runs, acceptance
//-------------------------------------------------------------------------------------------------

class Shrinker {
public:
    Shrinker(uint64_t seed, const ShrinkOptions& options) : seed_(seed), options_(options) {
        FL_ASSERT(options.runs_max >= 0, "runs_max must be >= 0, got {}", options.runs_max);
    }

    // Runs the original; returns false when it does not fail (nothing to shrink).
    bool start(const Scenario& s) {
        current_ = s;
        const RunOutcome run = run_once(s);
        runs_ = 1;
        auto f = failures(run);
        if (f.empty()) {
            f = demonstrations(s, run);
            demonstration_ = !f.empty();
        }
        for (const auto& [signature, line] : f) {
            target_.push_back(signature);
            failure_lines_.push_back(line);
        }
        before_ = size_of(s, run);
        current_size_ = before_;
        current_nemesis_ = nemesis_faults_of(run);
        tried_.insert(scenario::write_scenario_toml(s));
        return !target_.empty();
    }

    void run_rounds() {
        drop_systems();
        drop_met_expectations();
        // Rounds until one changes nothing: a change late in a round (an earlier fault) can make
        // an early one possible again (a shorter run).
        for (bool changed = true; changed && !budget_spent();) {
            changed = false;
            changed |= drop_faults();
            changed |= shrink_nemesis();
            changed |= switch_liveness_off();
            changed |= shrink_workload();
            changed |= shorten_run();
            changed |= shorten_faults();
            changed |= move_faults_earlier();
            changed |= drop_nodes();
            changed |= reduce_keys();
            changed |= drop_link_overrides();
        }
    }

    bool budget_spent() const { return runs_ - 1 >= options_.runs_max; }

    const Scenario& current() const { return current_; }
    const ShrinkSize& before() const { return before_; }
    const ShrinkSize& after() const { return current_size_; }
    const std::vector<std::string>& target() const { return target_; }
    bool demonstration() const { return demonstration_; }
    const std::vector<std::string>& failure_lines() const { return failure_lines_; }
    const std::vector<ShrinkStep>& steps() const { return steps_; }
    int runs() const { return runs_; }

private:
    RunOutcome run_once(const Scenario& s) const {
        RunOptions o;
        o.seed = seed_;
        o.trace_level = TraceLevel::off;
        o.keep_trace = false;
        return run_scenario(s, o);
    }

    // Tries one candidate: written, parsed back (the format's rules decide what is a valid
    // change), run with the seed, accepted iff it fails the same way.
    bool attempt(const std::optional<Scenario>& candidate, const std::string& what) {
        if (!candidate || budget_spent()) return false;
        std::string text = scenario::write_scenario_toml(*candidate);
        if (!tried_.insert(text).second) return false;
        scenario::ParseResult parsed = scenario::parse_scenario_text(text, current_.file, catalog());
        if (!parsed.ok()) return false;  // outside the format (e.g. a fault names a removed client)
        Scenario next = std::move(*parsed.scenario);
        next.file = current_.file;
        ++runs_;
        const RunOutcome run = run_once(next);
        std::vector<std::string> signature;
        for (const auto& [entry, line] : failures(run)) signature.push_back(entry);
        if (demonstration_)  // nothing may fail, and the same violations must still show
            for (const auto& [entry, line] : demonstrations(next, run)) signature.push_back(entry);
        if (signature != target_) return false;
        current_ = std::move(next);
        current_size_ = size_of(current_, run);
        current_nemesis_ = nemesis_faults_of(run);
        steps_.push_back(ShrinkStep{.what = what, .run = runs_, .toml = std::move(text)});
        if (options_.on_step) options_.on_step(steps_.back());
        return true;
    }

    // What the nemesis applied in the current scenario's run, on the first system of the
    // signature (where an aimed episode landed differs between systems), with the run's node names.
    struct NemesisFaults {
        faults::FaultSchedule faults;
        std::vector<std::string> names;
    };
    NemesisFaults nemesis_faults_of(const RunOutcome& run) const {
        const std::string system = target_.empty() ? std::string() : system_of(target_.front());
        for (const SystemOutcome& o : run.systems)
            if (o.system == system) return {o.nemesis_faults, o.node_names};
        return {};
    }

    // The current scenario with its nemesis replaced by what it drew on this seed, as [[fault]]s:
    // each disruption with its undoing as until_ms (crash until the restart, partition until the
    // heal). Nullopt when some fault has no [[fault]] form (the nemesis's link episodes).
    std::optional<Scenario> nemesis_as_faults() const {
        const faults::FaultSchedule& drawn = current_nemesis_.faults;
        if (!current_.nemesis.enabled || drawn.empty()) return std::nullopt;
        // A scenario's faults name servers: blank every other node.
        std::vector<std::string> names = current_nemesis_.names;
        for (std::string& n : names)
            if (std::find(current_.nodes.begin(), current_.nodes.end(), n) == current_.nodes.end()) n.clear();
        faults::FaultContext context;
        context.node_id = [&names](std::string_view name) {
            return static_cast<NodeId>(std::find(names.begin(), names.end(), name) - names.begin());
        };
        context.node_count = names.size();
        context.servers = current_.nodes;
        context.base_link = current_.network.link;
        Scenario s = current_;
        s.nemesis.enabled = false;
        std::vector<bool> used(drawn.size(), false);
        const auto ms_of = [](Instant t) { return static_cast<double>(t.ns()) / 1e6; };
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            if (used[i]) continue;
            const faults::FaultKind& kind = faults::kind_of(drawn[i].fault);
            std::optional<faults::FaultArgs> args = kind.args_of ? kind.args_of(drawn[i].fault, names) : std::nullopt;
            if (!args) return std::nullopt;
            FaultSpec spec{std::string(kind.name), ms_of(drawn[i].at), std::nullopt, *args, 0};
            if (kind.undo) {
                const std::string undo = faults::describe(kind.undo(*args, context), names);
                for (std::size_t j = i + 1; j < drawn.size(); ++j) {
                    if (used[j] || faults::describe(drawn[j].fault, names) != undo) continue;
                    spec.until_ms = ms_of(drawn[j].at);
                    used[j] = true;
                    break;
                }
            }
            s.faults.push_back(std::move(spec));
        }
        std::stable_sort(s.faults.begin(), s.faults.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_ms < b.at_ms; });
        return s;
    }

    template <typename Edit>
    std::optional<Scenario> edited(Edit edit) const {
        Scenario s = current_;
        if (!edit(s)) return std::nullopt;
        return s;
    }

    //---------------------------------------------------------------------------------------------
    // [number reduction]: floor first, then bisection
    //---------------------------------------------------------------------------------------------

    // Finds a small value in [floor, value] at which `set` still fails the same way: the floor
    // first (often the answer: most of a scenario is irrelevant to its bug), then bisection
    // between the smallest value that failed and the largest that passed, down to `step`.
    // Failing need not be monotone in the value; a later round tries again from where this
    // one ended. Values are whole (ms or counts).
    template <typename Set>
    bool reduce(double value, double floor, double step, const std::string& name, Set set) {
        floor = std::ceil(floor);
        if (!(value > floor)) return false;
        auto label = [&](double from, double to) { return fmt::format("{} {} -> {}", name, show_ms(from), show_ms(to)); };
        if (attempt(edited([&](Scenario& s) { return set(s, floor); }), label(value, floor))) return true;
        bool changed = false;
        double passed = floor;   // the candidate no longer failed (the bug went away)
        double failing = value;  // still fails
        while (failing - passed > std::max(step, 1.0) && !budget_spent()) {
            const double mid = std::floor((passed + failing) / 2);
            if (mid <= passed || mid >= failing) break;
            if (attempt(edited([&](Scenario& s) { return set(s, mid); }), label(failing, mid))) {
                failing = mid;
                changed = true;
            } else {
                passed = mid;
            }
        }
        return changed;
    }

    //---------------------------------------------------------------------------------------------
    // [passes]
    //---------------------------------------------------------------------------------------------

    // Systems that take no part in the failure: all at once, then one by one.
    bool drop_systems() {
        std::set<std::string> failing;
        for (const std::string& entry : target_) failing.insert(system_of(entry));
        auto keep_only = [&](Scenario& s, auto keep) {
            const std::size_t n = s.systems.size();
            std::erase_if(s.systems, [&](const scenario::System& sys) { return !keep(sys.name); });
            for (auto it = s.expect.begin(); it != s.expect.end();) {
                it = keep(it->first) ? std::next(it) : s.expect.erase(it);
            }
            return s.systems.size() < n && !s.systems.empty();
        };
        const std::size_t n = current_.systems.size();
        bool changed = attempt(edited([&](Scenario& s) { return keep_only(s, [&](const std::string& name) { return failing.contains(name); }); }),
                               fmt::format("systems {} -> {}", n, failing.size()));
        for (std::size_t i = 0; !changed && i < current_.systems.size();) {
            const std::string name = current_.systems[i].name;
            const std::size_t before = current_.systems.size();
            const bool dropped =
                !failing.contains(name) &&
                attempt(edited([&](Scenario& s) { return keep_only(s, [&](const std::string& x) { return x != name; }); }),
                        fmt::format("systems {} -> {} (dropped {})", before, before - 1, name));
            if (!dropped) ++i;  // else the same index now holds the next system
        }
        return changed || current_.systems.size() < n;
    }

    // Expectations that were met are not part of the failure; the shrunk file shows only the
    // ones it breaks. (A system judged by its checks has none to drop.)
    bool drop_met_expectations() {
        std::set<std::string> unmet;
        for (const std::string& entry : target_) unmet.insert(entry);
        auto unmet_for = [&](const std::string& system, const std::string& key) {
            return unmet.contains(fmt::format("{}: {}", system, key));
        };
        const int64_t n = expectations_of(current_);
        auto candidate = edited([&](Scenario& s) {
            // [expect] applies to every system, so a key of it stays if any system breaks it.
            std::erase_if(s.expect_all.items, [&](const scenario::ExpectItem& item) {
                return std::none_of(s.systems.begin(), s.systems.end(),
                                    [&](const scenario::System& sys) { return unmet_for(sys.name, item.key); });
            });
            for (auto& [system, e] : s.expect)
                std::erase_if(e.items, [&](const scenario::ExpectItem& item) { return !unmet_for(system, item.key); });
            return expectations_of(s) < n;
        });
        if (!candidate) return false;
        return attempt(candidate, fmt::format("expectations {} -> {} (the met ones dropped)", n, expectations_of(*candidate)));
    }

    static int64_t expectations_of(const Scenario& s) {
        int64_t n = count_expectations(s.expect_all);
        for (const auto& [system, e] : s.expect) n += count_expectations(e);
        return n;
    }

    // Scripted faults: chunks of half the list, then quarters, ..., then one at a time.
    bool drop_faults() {
        bool changed = false;
        for (std::size_t chunk = std::max<std::size_t>(current_.faults.size() / 2, 1); chunk >= 1; chunk /= 2) {
            for (std::size_t i = 0; i < current_.faults.size() && !budget_spent();) {
                const std::size_t n = current_.faults.size();
                const std::size_t end = std::min(i + chunk, n);
                std::string what = fmt::format("faults {} -> {}", n, n - (end - i));
                if (end - i == 1) what += fmt::format(" (dropped {})", describe_fault(current_.faults[i], i));
                auto candidate = edited([&](Scenario& s) {
                    s.faults.erase(s.faults.begin() + static_cast<std::ptrdiff_t>(i),
                                   s.faults.begin() + static_cast<std::ptrdiff_t>(end));
                    return true;
                });
                if (attempt(candidate, what)) {
                    changed = true;  // the same index now holds the next chunk
                } else {
                    i += chunk;
                }
            }
            if (chunk == 1) break;
        }
        return changed;
    }

    bool shrink_nemesis() {
        if (!current_.nemesis.enabled) return false;
        if (attempt(edited([](Scenario& s) { s.nemesis.enabled = false; return true; }), "nemesis on -> off")) return true;
        // The schedule it drew, written out: later passes then drop and shorten single faults,
        // and the result reads as a story rather than as a distribution.
        if (auto written = nemesis_as_faults())
            if (attempt(written, fmt::format("nemesis -> the {} [[fault]]s it drew on this seed",
                                             written->faults.size() - current_.faults.size())))
                return true;
        bool changed = false;
        // Fewer kinds, one at a time.
        for (std::size_t i = 0; current_.nemesis.kinds.size() > 1 && i < current_.nemesis.kinds.size() && !budget_spent();) {
            const std::string kind = current_.nemesis.kinds[i];
            const std::size_t n = current_.nemesis.kinds.size();
            if (attempt(edited([&](Scenario& s) {
                            s.nemesis.kinds.erase(s.nemesis.kinds.begin() + static_cast<std::ptrdiff_t>(i));
                            return true;
                        }),
                        fmt::format("nemesis kinds {} -> {} (dropped {})", n, n - 1, kind))) {
                changed = true;
            } else {
                ++i;
            }
        }
        // A shorter window: the nemesis ends earlier (end_ms 0 means 80% of the run).
        const double end = current_.nemesis.end_ms > 0 ? current_.nemesis.end_ms : 0.8 * current_.duration_ms;
        const double window = end - current_.nemesis.start_ms;
        changed |= reduce(end, current_.nemesis.start_ms + 1, window / 16, "nemesis end_ms", [](Scenario& s, double v) {
            s.nemesis.end_ms = v;
            return true;
        });
        // An earlier window, keeping its length (with end_ms 0 the end stays at 80% of the run,
        // and the window grows; the step above then ends it earlier next round).
        const double start = current_.nemesis.start_ms;
        changed |= reduce(start, 0, start / 16, "nemesis start_ms", [](Scenario& s, double v) {
            if (s.nemesis.end_ms > 0) s.nemesis.end_ms -= s.nemesis.start_ms - v;
            s.nemesis.start_ms = v;
            return true;
        });
        // Shorter episodes.
        changed |= reduce(current_.nemesis.episode_ms, 1, current_.nemesis.episode_ms / 16, "nemesis episode_ms",
                          [](Scenario& s, double v) {
                              s.nemesis.episode_ms = v;
                              return true;
                          });
        // Fewer episodes: twice the mean interval, while the window still holds more than one.
        const double interval = current_.nemesis.interval_ms;
        const double window_now = (current_.nemesis.end_ms > 0 ? current_.nemesis.end_ms : 0.8 * current_.duration_ms) -
                                  current_.nemesis.start_ms;
        if (interval < window_now) {
            changed |= attempt(edited([&](Scenario& s) { s.nemesis.interval_ms = interval * 2; return true; }),
                               fmt::format("nemesis interval_ms {} -> {}", show_ms(interval), show_ms(interval * 2)));
        }
        return changed;
    }

    // The liveness phase heals at the end of the fault window and runs `within_ms` more; unless
    // the failure is about liveness, the run may end without it.
    bool switch_liveness_off() {
        if (!current_.liveness.enabled) return false;
        return attempt(edited([](Scenario& s) {
                           s.liveness.enabled = false;
                           return true;
                       }),
                       "liveness on -> off");
    }

    bool shrink_workload() {
        bool changed = false;
        changed |= reduce(static_cast<double>(current_.workload.clients), 1, 1, "clients", [](Scenario& s, double v) {
            s.workload.clients = static_cast<int>(v);
            return true;
        });
        if (current_.workload.ops_per_client == 0 && current_.workload.clients > 0) {
            // Unbounded: first a bound near what each client did in the last accepted run.
            const int64_t per_client = std::max<int64_t>(
                1, (current_size_.client_ops + current_.workload.clients - 1) / current_.workload.clients);
            changed |= attempt(edited([&](Scenario& s) {
                                   s.workload.ops_per_client = per_client;
                                   return true;
                               }),
                               fmt::format("ops_per_client unbounded -> {}", per_client));
        }
        if (current_.workload.ops_per_client > 0) {
            const double ops = static_cast<double>(current_.workload.ops_per_client);
            changed |= reduce(ops, 1, std::max(1.0, ops / 64), "ops_per_client", [](Scenario& s, double v) {
                s.workload.ops_per_client = static_cast<int64_t>(v);
                return true;
            });
        }
        return changed;
    }

    bool shorten_run() {
        const double floor = std::max(1.0, last_fault_end_ms(current_));
        return reduce(current_.duration_ms, floor, (current_.duration_ms - floor) / 32, "duration_ms",
                      [](Scenario& s, double v) {
                          s.duration_ms = v;
                          return true;
                      });
    }

    bool shorten_faults() {
        bool changed = false;
        for (std::size_t i = 0; i < current_.faults.size() && !budget_spent(); ++i) {
            const double length = fault_length_ms(current_.faults[i]);
            if (length <= 1) continue;
            changed |= reduce(length, 1, length / 16, describe_fault(current_.faults[i], i) + " length_ms",
                              [i](Scenario& s, double v) {
                                  scenario::set_fault_length_ms(s.faults[i], v);
                                  return true;
                              });
        }
        return changed;
    }

    // Earlier faults (keeping their length) let the run end earlier.
    bool move_faults_earlier() {
        bool changed = false;
        for (std::size_t i = 0; i < current_.faults.size() && !budget_spent(); ++i) {
            const double at = current_.faults[i].at_ms;
            if (at < 1) continue;
            changed |= reduce(at, 0, at / 16, describe_fault(current_.faults[i], i) + " at_ms", [i](Scenario& s, double v) {
                FaultSpec& f = s.faults[i];
                if (f.until_ms) *f.until_ms -= f.at_ms - v;
                f.at_ms = v;
                return true;
            });
        }
        return changed;
    }

    // The smallest cluster every system's protocol works with, and whether sizes must be odd.
    struct ClusterRule {
        int64_t min = 0;
        bool odd = false;
        bool ok = true;
    };
    ClusterRule cluster_rule() const {
        ClusterRule rule;
        for (const scenario::System& sys : current_.systems) {
            const plugin::ProtocolEntry* p = plugin::find_protocol(sys.protocol);
            FL_ASSERT(p != nullptr, "protocol '{}' passed validation but is not registered", sys.protocol);
            if (p->spec.servers_min == 0) rule.ok = false;  // no rule: the cluster stays as it is
            rule.min = std::max<int64_t>(rule.min, p->spec.servers_min);
            rule.odd = rule.odd || p->spec.servers_odd;
        }
        return rule;
    }

    // Servers no fault, nemesis target or link override names, from the end of the list.
    std::vector<std::string> unnamed_servers() const {
        std::set<std::string> named(current_.nemesis.targets.begin(), current_.nemesis.targets.end());
        for (const FaultSpec& f : current_.faults) {
            for (const std::string& node : scenario::fault_nodes(f)) named.insert(node);
        }
        for (const scenario::LinkOverride& o : current_.network.overrides) {
            named.insert(o.from);
            named.insert(o.to);
        }
        std::vector<std::string> out;
        for (auto it = current_.nodes.rbegin(); it != current_.nodes.rend(); ++it) {
            if (!named.contains(*it)) out.push_back(*it);
        }
        return out;
    }

    bool drop_nodes() {
        const ClusterRule rule = cluster_rule();
        if (!rule.ok) return false;
        const auto n = static_cast<int64_t>(current_.nodes.size());
        const std::vector<std::string> removable = unnamed_servers();
        // The smallest allowed size first: the bug rarely needs the extra servers.
        for (int64_t target = rule.min; target < n && !budget_spent(); ++target) {
            if (rule.odd && target % 2 == 0) continue;
            const int64_t drop = n - target;
            if (drop > static_cast<int64_t>(removable.size())) continue;
            const std::set<std::string> gone(removable.begin(), removable.begin() + drop);
            if (attempt(edited([&](Scenario& s) {
                            std::erase_if(s.nodes, [&](const std::string& name) { return gone.contains(name); });
                            return true;
                        }),
                        fmt::format("nodes {} -> {}", n, target))) {
                return true;
            }
        }
        return false;
    }

    bool reduce_keys() {
        return reduce(static_cast<double>(current_.workload.keys), 1, 1, "keys", [](Scenario& s, double v) {
            s.workload.keys = static_cast<int>(v);
            return true;
        });
    }

    bool drop_link_overrides() {
        bool changed = false;
        for (std::size_t i = 0; i < current_.network.overrides.size() && !budget_spent();) {
            const auto& o = current_.network.overrides[i];
            const std::size_t n = current_.network.overrides.size();
            if (attempt(edited([&](Scenario& s) {
                            s.network.overrides.erase(s.network.overrides.begin() + static_cast<std::ptrdiff_t>(i));
                            return true;
                        }),
                        fmt::format("link overrides {} -> {} (dropped {} -> {})", n, n - 1, o.from, o.to))) {
                changed = true;
            } else {
                ++i;
            }
        }
        return changed;
    }

    uint64_t seed_;
    const ShrinkOptions& options_;
    Scenario current_;
    ShrinkSize before_, current_size_;
    std::vector<std::string> target_;
    NemesisFaults current_nemesis_;  // of the current scenario's run
    bool demonstration_ = false;  // the run met its expectations: keep what it demonstrates
    std::vector<std::string> failure_lines_;
    std::vector<ShrinkStep> steps_;
    std::unordered_set<std::string> tried_;
    int runs_ = 0;
};

//-------------------------------------------------------------------------------------------------
// [the result]: header and table
//-------------------------------------------------------------------------------------------------

std::string ops_text(int64_t ops_per_client) {
    return ops_per_client == 0 ? std::string("unbounded") : fmt::format("{}", ops_per_client);
}

std::string size_line(const ShrinkSize& z) {
    return fmt::format("{} system{}, {} fault{}{}, {} client{} x {} ops, {} ms, {} nodes, {} key{}: {} client ops, {} events",
                       z.systems, z.systems == 1 ? "" : "s", z.faults, z.faults == 1 ? "" : "s",
                       z.nemesis ? " + nemesis" : "", z.clients, z.clients == 1 ? "" : "s", ops_text(z.ops_per_client),
                       show_ms(z.duration_ms), z.nodes, z.keys, z.keys == 1 ? "" : "s", z.client_ops, z.trace_events);
}

}  // namespace

std::vector<std::string> failure_signature(const RunOutcome& run) {
    std::vector<std::string> out;
    for (const auto& [entry, line] : failures(run)) out.push_back(entry);
    return out;
}

ShrinkSize size_of(const Scenario& s, const RunOutcome& run) {
    ShrinkSize z;
    z.systems = static_cast<int64_t>(s.systems.size());
    z.faults = static_cast<int64_t>(s.faults.size());
    z.nemesis = s.nemesis.enabled;
    z.clients = s.workload.clients;
    z.ops_per_client = s.workload.ops_per_client;
    z.duration_ms = s.duration_ms;
    z.nodes = static_cast<int64_t>(s.nodes.size());
    z.keys = s.workload.keys;
    for (const FaultSpec& f : s.faults) z.fault_ms += fault_length_ms(f);
    z.expectations = count_expectations(s.expect_all);
    for (const auto& [system, e] : s.expect) z.expectations += count_expectations(e);
    for (const SystemOutcome& o : run.systems) {
        auto figure = [&](const char* name) { return o.figures.contains(name) ? o.figures.at(name) : 0.0; };
        z.client_ops += static_cast<int64_t>(figure("ops_ok") + figure("ops_fail") + figure("ops_info"));
        z.trace_events += o.event_count;
    }
    return z;
}

ShrinkResult shrink(const Scenario& s, uint64_t seed, const ShrinkOptions& options) {
    FL_ASSERT(!s.systems.empty(), "shrink needs a validated scenario (it has no system)");
    Shrinker shrinker(seed, options);
    ShrinkResult result;
    result.seed = seed;
    result.failed = shrinker.start(s);
    result.signature = shrinker.target();
    result.demonstration = shrinker.demonstration();
    result.failure = shrinker.failure_lines();
    result.before = shrinker.before();
    if (result.failed) shrinker.run_rounds();
    result.after = shrinker.after();
    result.runs = shrinker.runs();
    result.budget_spent = result.failed && shrinker.budget_spent();
    result.steps = shrinker.steps();
    result.minimal = shrinker.current();
    FL_ASSERT(result.runs <= options.runs_max + 1, "shrink ran {} times, over its budget of {} + 1", result.runs,
              options.runs_max);
    FL_ASSERT(result.failed || result.steps.empty(), "a run that does not fail was changed");
    if (!result.failed) {
        result.toml = scenario::write_scenario_toml(result.minimal);
        return result;
    }

    // The header: the description of the shrunk scenario says where it came from and what it keeps.
    Scenario& m = result.minimal;
    const std::string source = !options.source.empty() ? options.source : (!s.file.empty() ? s.file : s.name);
    std::string header = fmt::format("Shrunk by `faultline shrink` from {} with seed {}, in {} runs{}.\n", source, seed,
                                     result.runs, result.budget_spent ? " (the run budget ran out first)" : "");
    header += "The failure it keeps:\n";
    for (const std::string& line : result.failure) header += fmt::format("  {}\n", line);
    header += fmt::format("Before: {}\n", size_line(result.before));
    header += fmt::format("After:  {}\n", size_line(result.after));
    header += fmt::format("Replay: faultline run {} --seed {}", options.output.empty() ? "THIS_FILE" : options.output, seed);
    m.description = s.description.empty() ? header : header + "\n\n" + s.description;
    const std::string suffix = "-shrunk";
    if (m.name.size() < suffix.size() || m.name.substr(m.name.size() - suffix.size()) != suffix) m.name += suffix;
    m.seed = seed;
    result.toml = scenario::write_scenario_toml(m);
    m.text = result.toml;
    return result;
}

std::string format_shrink_table(const ShrinkSize& before, const ShrinkSize& after) {
    std::string out = fmt::format("  {:<18} {:>10} {:>10}\n", "", "before", "after");
    auto row = [&](const char* name, const std::string& a, const std::string& b) {
        out += fmt::format("  {:<18} {:>10} {:>10}\n", name, a, b);
    };
    auto n = [](auto v) { return fmt::format("{}", v); };
    row("systems", n(before.systems), n(after.systems));
    row("faults", n(before.faults), n(after.faults));
    row("fault length ms", show_ms(before.fault_ms), show_ms(after.fault_ms));
    row("nemesis", before.nemesis ? "on" : "off", after.nemesis ? "on" : "off");
    row("clients", n(before.clients), n(after.clients));
    row("ops per client", ops_text(before.ops_per_client), ops_text(after.ops_per_client));
    row("duration ms", show_ms(before.duration_ms), show_ms(after.duration_ms));
    row("nodes", n(before.nodes), n(after.nodes));
    row("keys", n(before.keys), n(after.keys));
    row("expectations", n(before.expectations), n(after.expectations));
    row("client ops run", n(before.client_ops), n(after.client_ops));
    row("trace events", n(before.trace_events), n(after.trace_events));
    return out;
}

}  // namespace faultline::runner
