// Convergence: once the faults are over and the clients have stopped writing, every live replica
// of each key holds the same value(s) — eventual consistency's promise — and how long that took.
//
// Read from the protocol's replica states (BuiltSystem::replica_states; a key's replicas are
// BuiltSystem::replicas_of(key), or every server). A replica that lacks a key another replica of
// it holds disagrees. The quiet tail starts at the later of the end of the fault window and the
// last moment a workload operation was invoked or completed; the checker judges:
//   ok         the replicas agree at the end of the run;
//   violation  they disagree although the tail lasted at least convergence_within_ms;
//   unknown    they disagree and the tail was shorter (the run gave them no time: set
//              [workload] stop_at_ms, or a finite ops_per_client, to leave one).
// convergence_ms is the time from the start of the tail to the moment the replicas last came to
// agree, sampled every convergence_sample_ms of true time while the run goes (by a watcher; a
// sample reads state and changes nothing). 0 when they already agreed when the tail began.
#include "runner/checkers/checker_entry.h"

#include "protocols/plugin/options.h"
#include "runner/world_setup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace faultline::runner {

namespace {

// The keys the live replicas disagree on (each at most once, sorted).
std::vector<std::string> divergent_keys(const plugin::BuiltSystem& built, const plugin::ClusterView& cluster) {
    const std::vector<plugin::ReplicaState> states = built.replica_states(cluster);
    std::map<NodeId, const plugin::ReplicaState*> by_node;
    std::set<std::string> keys;
    for (const auto& s : states) {
        by_node[s.node] = &s;
        for (const auto& [key, values] : s.values) keys.insert(key);
    }
    static const std::vector<std::string> absent;
    std::vector<std::string> out;
    for (const std::string& key : keys) {
        const std::vector<NodeId> replicas = built.replicas_of ? built.replicas_of(key) : built.servers;
        const std::vector<std::string>* first = nullptr;
        for (NodeId r : replicas) {
            auto it = by_node.find(r);
            if (it == by_node.end()) continue;  // down: it has no say until it is back
            auto v = it->second->values.find(key);
            const std::vector<std::string>& held = v == it->second->values.end() ? absent : v->second;
            if (first == nullptr) first = &held;
            else if (held != *first) {
                out.push_back(key);
                break;
            }
        }
    }
    return out;
}

// "k1: n1 holds a | b, n3 holds a, n4 holds nothing" (the key's live replicas).
std::string holdings(const plugin::BuiltSystem& built, const plugin::ClusterView& cluster, const std::string& key) {
    const std::vector<plugin::ReplicaState> states = built.replica_states(cluster);
    std::vector<std::string> parts;
    for (NodeId r : built.replicas_of ? built.replicas_of(key) : built.servers) {
        for (const auto& s : states) {
            if (s.node != r) continue;
            auto v = s.values.find(key);
            parts.push_back(fmt::format("{} holds {}", cluster.node_name(r),
                                        v == s.values.end() ? std::string("nothing") : fmt::format("{}", fmt::join(v->second, " | "))));
        }
    }
    return fmt::format("{}: {}", key, fmt::join(parts, ", "));
}

// Samples are taken at the first event at or after each sample time, the next one `every` later.
// Only samples from one interval before the end of the fault window on read the replicas: the
// quiet tail cannot start earlier, and convergence_ms is clamped to the tail, so an earlier agreement
// or disagreement cannot change the figure (reading five replicas' whole state every 10 ms was a
// quarter of a consensus nemesis seed's time). The first sample read counts as the replicas having
// agreed before it, if they agree there.
class ConvergenceWatcher final : public RunWatcher {
public:
    ConvergenceWatcher(const plugin::BuiltSystem& built, const plugin::ClusterView& cluster, Duration every,
                       Instant tail_earliest)
        : built_(built), cluster_(cluster), every_(every), read_from_(tail_earliest - every) {
        // At the first event at or after each sampling instant (a sampler: the trace need not
        // write out every event for it).
        cluster.trace().add_sampler(
            [this](Instant now) {
                const Instant next = now + every_;
                if (now < read_from_) return next;
                const bool agree = built_.replicas_agree && !built_.replicas_of ? built_.replicas_agree(cluster_)
                                                                                : divergent_keys(built_, cluster_).empty();
                if (!read_any_) {
                    read_any_ = true;
                    agreed_ = agree;
                    return next;
                }
                if (agree && !agreed_) agreed_since_ = now;
                agreed_ = agree;
                return next;
            },
            Instant::zero());
    }
    // When the replicas last came to agree (sampled), if they agreed at the last sample.
    std::optional<Instant> agreed_since() const { return agreed_ ? std::optional(agreed_since_) : std::nullopt; }

private:
    const plugin::BuiltSystem& built_;
    const plugin::ClusterView& cluster_;
    Duration every_;
    Instant read_from_;
    bool read_any_ = false;
    bool agreed_ = false;
    Instant agreed_since_ = Instant::zero();
};

Duration ms(double v) { return nanoseconds(static_cast<int64_t>(std::llround(v * 1e6))); }

CheckOutcome check(const SystemRun& run) {
    const plugin::BuiltSystem& built = run.built;
    FL_ASSERT(built.replica_states != nullptr, "protocol {} reports no replica states", run.protocol.spec.name);
    const Instant end = run.cluster.now();
    Instant quiet = Instant::zero() + ms(detail::fault_window_end_ms(run.scenario));
    for (const check::Operation& op : run.ops) {
        quiet = std::max(quiet, Instant::from_ns(op.invoke_time_ns));
        if (op.complete_time_ns != check::time_never) quiet = std::max(quiet, Instant::from_ns(op.complete_time_ns));
    }
    const Duration tail = end > quiet ? end - quiet : Duration::zero();
    const Duration within = ms(static_cast<double>(run.checker_options.integer("convergence_within_ms")));
    const std::vector<std::string> divergent = divergent_keys(built, run.cluster);

    CheckOutcome out;
    out.figures["divergent_keys"] = static_cast<double>(divergent.size());
    out.details["quiet_from_ns"] = quiet.ns();
    out.details["tail_ms"] = tail.ms_f();
    if (divergent.empty()) {
        out.verdicts.emplace_back("convergence", "ok");
        const auto* w = run.watcher<ConvergenceWatcher>("convergence");
        const Instant since = w && w->agreed_since() ? std::max(*w->agreed_since(), quiet) : quiet;
        out.figures["convergence_ms"] = (since - quiet).ms_f();
        out.summary = fmt::format("ok ({:.0f} ms after the last write or fault)", (since - quiet).ms_f());
        return out;
    }
    const bool judged = tail >= within;
    out.verdicts.emplace_back("convergence", judged ? "violation" : "unknown");
    out.details["divergent"] = divergent;
    const std::string keys = fmt::format("{}{}", fmt::join(divergent.begin(), divergent.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(divergent.size(), 5)), ", "),
                                         divergent.size() > 5 ? ", ..." : "");
    if (judged) {
        out.summary = fmt::format("DIVERGED: {} key(s) differ {:.0f} ms after the last write or fault ({})",
                                  divergent.size(), tail.ms_f(), keys);
        out.findings.push_back({"divergent",
                                fmt::format("replicas still disagree on {} at the end; {}", keys,
                                            holdings(built, run.cluster, divergent.front())),
                                end, no_event});
        out.details["findings"] = findings_json(out.findings);
    } else {
        out.summary = fmt::format("not judged: no quiet tail ({} key(s) differ {:.0f} ms after the last write; "
                                  "[workload] stop_at_ms leaves one)",
                                  divergent.size(), tail.ms_f());
    }
    return out;
}

std::unique_ptr<RunWatcher> watch(const WatchSetup& s) {
    if (s.built.replica_states == nullptr) return nullptr;
    return std::make_unique<ConvergenceWatcher>(s.built, s.cluster,
                                                ms(static_cast<double>(s.checker_options.integer("convergence_sample_ms"))),
                                                Instant::zero() + ms(detail::fault_window_end_ms(s.scenario)));
}

}  // namespace

CheckerEntry convergence_checker() {
    scenario::CheckerSpec s;
    s.name = "convergence";
    s.description = "after the faults and the writes stop, every live replica of each key holds the same value(s)";
    s.reads = "replica states (sampled during the run and at its end) + history";
    s.options = {
        plugin::int_option("convergence_within_ms", 2000,
                           "how long a quiet tail must last before disagreeing replicas count as a violation", 1, 86'400'000),
        plugin::int_option("convergence_sample_ms", 10, "how often the replicas are compared while the run goes (true time)",
                           1, 86'400'000),
    };
    s.verdicts = {{"convergence", "converged", "true: the replicas agree at the end; false: they still differ after the quiet tail"}};
    s.figures = {
        scenario::figure("convergence_ms", "from the last write or fault to the replicas agreeing (ms)", scenario::FigureType::real),
        scenario::figure("divergent_keys", "keys the live replicas disagree on at the end (count)"),
    };
    s.applies = [](const scenario::ProtocolSpec& p) { return p.reports_replica_states && p.replicas_converge; };
    return {s, check, watch};
}

}  // namespace faultline::runner
