// The workload's client operations: how many completed ok, failed or ended unknown, the share
// that completed ok (availability), the latency of those that did, and how many faults the run
// applied. Always on; no verdict, figures only.
#include "runner/checkers/checker_entry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace faultline::runner {

namespace {

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), std::floor(p * static_cast<double>(v.size()))));
    return v[i];
}

scenario::FigureSpec bounded(std::string name, std::string description, scenario::FigureType type, std::string min_key,
                             std::string max_key) {
    scenario::FigureSpec f = scenario::figure(std::move(name), std::move(description), type);
    f.min_key = std::move(min_key);
    f.max_key = std::move(max_key);
    return f;
}

CheckOutcome check(const SystemRun& run) {
    CheckOutcome out;
    double ok = 0, fail = 0, info = 0;
    std::vector<double> latencies;
    for (const check::Operation& op : run.ops) {
        if (op.completion == check::Completion::ok) {
            ++ok;
            latencies.push_back(static_cast<double>(op.complete_time_ns - op.invoke_time_ns) / 1e6);
        } else if (op.completion == check::Completion::fail) {
            ++fail;
        } else {
            ++info;
        }
    }
    const double total = ok + fail + info;
    out.figures["ops_ok"] = ok;
    out.figures["ops_fail"] = fail;
    out.figures["ops_info"] = info;
    out.figures["availability"] = total > 0 ? ok / total : 1.0;
    out.figures["latency_p50_ms"] = percentile(latencies, 0.5);
    out.figures["latency_p99_ms"] = percentile(latencies, 0.99);
    out.figures["faults"] = static_cast<double>(run.faults.size());
    if (total == 0) {
        out.summary = "none: no client issued an operation";  // e.g. lab 04's election, without clients
        return out;
    }
    out.summary = fmt::format("{:.0f} ok, {:.0f} fail, {:.0f} info   availability {:.3f}   latency p50 {:.1f} ms, p99 {:.1f} ms",
                              ok, fail, info, out.figures["availability"], out.figures["latency_p50_ms"],
                              out.figures["latency_p99_ms"]);
    return out;
}

}  // namespace

CheckerEntry operations_checker() {
    using scenario::FigureType;
    scenario::CheckerSpec s;
    s.name = "operations";
    s.description = "counts the workload's operations by outcome; availability and latency of the ok ones";
    s.reads = "history";
    s.switched_by = scenario::CheckerSwitch::always;
    s.figures = {
        bounded("ops_ok", "operations completed ok (count)", FigureType::count, "ok_ops_min", "ok_ops_max"),
        bounded("ops_fail", "operations that definitely failed (count)", FigureType::count, "fail_ops_min", "fail_ops_max"),
        bounded("ops_info", "operations with an unknown outcome, e.g. timed out (count)", FigureType::count, "info_ops_min",
                "info_ops_max"),
        scenario::figure("availability", "operations completed ok / all operations (fraction)", FigureType::fraction),
        scenario::figure("latency_p50_ms", "median latency of ok operations (ms, virtual time)", FigureType::real),
        scenario::figure("latency_p99_ms", "99th percentile latency of ok operations (ms, virtual time)", FigureType::real),
        scenario::figure("faults", "faults applied, scripted and drawn by the nemesis (count)"),
    };
    return {s, check};
}

}  // namespace faultline::runner
