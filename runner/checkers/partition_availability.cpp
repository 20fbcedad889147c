// Availability under a partition, per side: what a client cut off with a minority of the
// servers gets, next to what a client with the majority gets; and goodput (operations completed
// ok per second) while the network is cut against before it was. Availability alone hides the
// difference between designs: a system that makes its minority-side clients wait and one that
// lets them write may both complete 99% of what they were asked, while one of them was asked far
// less. Goodput and the per-side split show it.
//
// A client is on the minority side of an operation when, as the operation is invoked, the
// partition in force leaves it reaching (both ways) at most half of the servers. Reports nothing
// for a run without a partition.
#include "runner/checkers/checker_entry.h"

#include "runner/world_setup.h"

#include <fmt/format.h>

namespace faultline::runner {

namespace {

constexpr Duration bucket = milliseconds(100);

bool inside(const std::vector<std::pair<Instant, Instant>>& intervals, Instant t) {
    for (const auto& [from, to] : intervals)
        if (from <= t && t < to) return true;
    return false;
}

CheckOutcome check(const SystemRun& run) {
    CheckOutcome out;
    const Instant end = run.cluster.now();
    const auto cut = run.partitions.cut_intervals(end);
    if (cut.empty() || run.ops.empty()) return out;
    double cut_seconds = 0;
    for (const auto& [from, to] : cut) cut_seconds += (to - from).ms_f() / 1000;
    Instant first_invoke = end;
    for (const check::Operation& op : run.ops) first_invoke = std::min(first_invoke, Instant::from_ns(op.invoke_time_ns));
    const double before_seconds = cut.front().first > first_invoke ? (cut.front().first - first_invoke).ms_f() / 1000 : 0;

    struct Side {
        int64_t invoked = 0, ok = 0, completed_ok_during = 0;
    } majority, minority;
    // Operations completed ok per bucket of the run, by side: the goodput timeline `cap --svg` draws.
    const auto buckets = static_cast<std::size_t>(end.ns() / bucket.ns() + 1);
    const Instant first_cut_middle = cut.front().first + (cut.front().second - cut.front().first) / 2;
    std::vector<int64_t> timeline_majority(buckets), timeline_minority(buckets);
    int64_t ok_before = 0;
    for (const check::Operation& op : run.ops) {
        const Instant invoked = Instant::from_ns(op.invoke_time_ns);
        const bool ok = op.completion == check::Completion::ok;
        const NodeId client = detail::client_of_process(op.process);
        Side& side = run.partitions.in_minority(client, invoked, run.built.servers) ? minority : majority;
        if (inside(cut, invoked)) {
            ++side.invoked;
            side.ok += ok;
        }
        if (!ok) continue;
        const Instant done = Instant::from_ns(op.complete_time_ns);
        const bool write = op.f != check::Function::get && !(op.f == check::Function::cas && !op.cas_swapped);
        const auto id = static_cast<std::size_t>(op.id);
        if (write && id < run.served_by.size() && run.served_by[id] != no_node && out.findings.size() < 100 &&
            run.partitions.minority_throughout(run.served_by[id], invoked, done, run.built.servers))
            out.findings.push_back({"minority_write",
                                    fmt::format("{} {} {} acknowledged by {}, cut off with a minority", check::to_string(op.f),
                                                op.key, op.value.value_or(""), run.cluster.node_name(run.served_by[id])),
                                    done, no_event, op.invoke_time_ns});
        // The timeline colours a client by where the first partition put it, before and after too,
        // so that what happens to the cut-off clients shows.
        const auto b = std::min(buckets - 1, static_cast<std::size_t>(op.complete_time_ns / bucket.ns()));
        ++(run.partitions.in_minority(client, first_cut_middle, run.built.servers) ? timeline_minority : timeline_majority)[b];
        if (done < cut.front().first) ++ok_before;
        if (inside(cut, done)) ++side.completed_ok_during;
    }
    auto ratio = [](int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
    auto rate = [](int64_t n, double seconds) { return seconds > 0 ? static_cast<double>(n) / seconds : 0.0; };
    if (majority.invoked > 0) out.figures["availability_majority"] = ratio(majority.ok, majority.invoked);
    if (minority.invoked > 0) out.figures["availability_minority"] = ratio(minority.ok, minority.invoked);
    out.figures["goodput_before"] = rate(ok_before, before_seconds);
    out.figures["goodput_during"] = rate(majority.completed_ok_during + minority.completed_ok_during, cut_seconds);
    if (majority.invoked > 0) out.figures["goodput_majority"] = rate(majority.completed_ok_during, cut_seconds);
    if (minority.invoked > 0) out.figures["goodput_minority"] = rate(minority.completed_ok_during, cut_seconds);
    auto side_text = [&](const char* name, const Side& s) {
        return s.invoked == 0 ? fmt::format("{} side: no client", name)
                              : fmt::format("{} side {}/{} ok", name, s.ok, s.invoked);
    };
    out.summary = fmt::format("{}, {}; goodput {:.0f} ops/s during vs {:.0f} before", side_text("majority", majority),
                              side_text("minority", minority), out.figures["goodput_during"], out.figures["goodput_before"]);
    out.details["cut_ms"] = cut_seconds * 1000;
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    auto intervals = nlohmann::ordered_json::array();
    for (const auto& [from, to] : cut) intervals.push_back({(from - Instant::zero()).ms_f(), (to - Instant::zero()).ms_f()});
    out.details["cut"] = intervals;
    out.details["bucket_ms"] = bucket.ms_f();
    out.details["ok_per_bucket_majority"] = timeline_majority;
    out.details["ok_per_bucket_minority"] = timeline_minority;
    return out;
}

}  // namespace

CheckerEntry partition_availability_checker() {
    using scenario::FigureType;
    scenario::CheckerSpec s;
    s.name = "partition_availability";
    s.description = "availability on each side of a partition, and goodput during it against before it";
    s.reads = "history + the partition timeline";
    s.switched_by = scenario::CheckerSwitch::always;
    s.figures = {
        scenario::figure("availability_majority", "operations invoked during a partition by clients with a majority that completed ok (0..1)", FigureType::real),
        scenario::figure("availability_minority", "the same for clients cut off with a minority (0..1)", FigureType::real),
        scenario::figure("goodput_before", "operations completed ok per second before the first partition", FigureType::real),
        scenario::figure("goodput_during", "operations completed ok per second while partitioned", FigureType::real),
        scenario::figure("goodput_majority", "of goodput_during, by clients on the majority side", FigureType::real),
        scenario::figure("goodput_minority", "of goodput_during, by clients on the minority side", FigureType::real),
    };
    s.applies = scenario::serves_clients;
    return {s, check, {}};
}

}  // namespace faultline::runner
