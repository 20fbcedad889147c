// Stale reads: gets of register keys that returned only values superseded by a put acknowledged
// before the get began (check/register_order.h), and how far behind they were. A linearizable
// store has none; an eventually consistent one has some, fewer as R + W grows past N.
#include "runner/checkers/checker_entry.h"

#include "check/register_order.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::runner {

namespace {

CheckOutcome check(const SystemRun& run) {
    const check::RegisterOrder& order = run.register_order();
    CheckOutcome out;
    if (order.puts().empty() && order.gets().empty()) return out;  // no register key: nothing to report
    const std::vector<check::RegisterAnomaly> stale = check::stale_reads(order);
    std::vector<double> behind;
    for (const auto& a : stale) behind.push_back(a.behind_ms);
    std::sort(behind.begin(), behind.end());
    const double reads = static_cast<double>(order.gets().size());
    out.figures["stale_reads"] = static_cast<double>(stale.size());
    out.figures["stale_read_ratio"] = reads > 0 ? static_cast<double>(stale.size()) / reads : 0;
    out.figures["staleness_ms"] = behind.empty() ? 0 : behind.back();
    int versions = 0;
    for (const auto& a : stale) versions = std::max(versions, a.versions_behind);
    out.figures["versions_behind"] = versions;
    out.figures["sibling_reads"] = static_cast<double>(std::count_if(order.gets().begin(), order.gets().end(), [&](const auto* g) {
        return order.values_read(*g).size() > 1;
    }));
    for (const auto& a : stale) {
        if (out.findings.size() >= 100) break;
        out.findings.push_back({"stale_read", a.detail, Instant::from_ns(a.time_ns), no_event, a.time_ns});
    }
    int siblings_marked = 0;
    for (const check::Operation* g : order.gets()) {
        const std::vector<std::string> values = order.values_read(*g);
        if (values.size() < 2 || siblings_marked++ >= 100) continue;
        out.findings.push_back({"siblings",
                                fmt::format("get {} by p{} returned {} concurrent versions: {}", g->key, g->process,
                                            values.size(), fmt::join(values, " | ")),
                                Instant::from_ns(g->complete_time_ns), no_event, g->invoke_time_ns});
    }
    out.summary = stale.empty() ? fmt::format("0 of {} reads", order.gets().size())
                                : fmt::format("{} of {} reads ({:.1f}%), up to {:.0f} ms behind", stale.size(), order.gets().size(),
                                              100.0 * static_cast<double>(stale.size()) / reads, behind.back());
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry stale_reads_checker() {
    scenario::CheckerSpec s;
    s.name = "stale_reads";
    s.description = "gets that returned a value superseded by a put acknowledged before they began";
    s.reads = "history";
    s.figures = {
        scenario::figure("stale_reads", "gets that returned only superseded values (count)"),
        scenario::figure("stale_read_ratio", "stale gets per ok get of a register key (0..1)", scenario::FigureType::real),
        scenario::figure("staleness_ms", "the longest a value read had been superseded (ms)", scenario::FigureType::real),
        scenario::figure("versions_behind", "the most acknowledged puts a stale get had missed (count)"),
        scenario::figure("sibling_reads", "gets that returned concurrent versions (siblings) (count)"),
    };
    s.applies = [](const scenario::ProtocolSpec& p) {
        return std::count(p.operations.begin(), p.operations.end(), "put") > 0;
    };
    return {s, check};
}

}  // namespace faultline::runner
