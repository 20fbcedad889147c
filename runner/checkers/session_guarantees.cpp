// Session guarantees (Terry et al. 1994): read your writes, monotonic reads, monotonic writes,
// writes follow reads, each judged per client on register keys (check/register_order.h says
// exactly how). A verdict per guarantee; the breaches are findings.
#include "runner/checkers/checker_entry.h"

#include "check/register_order.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace faultline::runner {

namespace {

const std::vector<std::pair<std::string, std::string>> guarantees{
    {"read_your_writes", "a client reads its own writes"},
    {"monotonic_reads", "a client never reads older values than it read before"},
    {"monotonic_writes", "a client's writes to a key take effect in the order it made them"},
    {"writes_follow_reads", "a write made after reading a value is not overwritten by that value"},
};

CheckOutcome check(const SystemRun& run) {
    const check::RegisterOrder& order = run.register_order();
    CheckOutcome out;
    if (order.puts().empty()) return out;  // no register key written: nothing to report
    const std::vector<check::RegisterAnomaly> found = check::session_anomalies(order, final_values(run));
    std::vector<std::string> broken;
    for (const auto& [name, description] : guarantees) {
        const auto n = std::count_if(found.begin(), found.end(), [&](const auto& a) { return a.kind == name; });
        out.verdicts.emplace_back(name, n == 0 ? "ok" : "violation");
        out.figures[name + "_violations"] = static_cast<double>(n);
        if (n > 0) broken.push_back(fmt::format("{} {}", name, n));
    }
    out.figures["session_violations"] = static_cast<double>(found.size());
    // At most 25 findings of each guarantee, so that a common breach does not hide a rare one.
    std::map<std::string, int> kept;
    for (const auto& a : found) {
        if (++kept[a.kind] > 25) continue;
        out.findings.push_back({a.kind, a.detail, Instant::from_ns(a.time_ns), no_event});
    }
    out.summary = broken.empty() ? std::string("ok") : fmt::format("BROKEN: {}", fmt::join(broken, ", "));
    if (!out.findings.empty()) out.details["findings"] = findings_json(out.findings);
    return out;
}

}  // namespace

CheckerEntry session_guarantees_checker() {
    scenario::CheckerSpec s;
    s.name = "session_guarantees";
    s.description = "read your writes, monotonic reads, monotonic writes and writes follow reads, per client";
    s.reads = "history + final replica states";
    for (const auto& [name, description] : guarantees) {
        s.verdicts.push_back({name, name, "true: " + description + "; false: a client saw it broken"});
        s.figures.push_back(scenario::figure(name + "_violations", "breaches of " + name + " (count)"));
    }
    s.figures.push_back(scenario::figure("session_violations", "breaches of any session guarantee (count)"));
    s.applies = [](const scenario::ProtocolSpec& p) {
        return std::count(p.operations.begin(), p.operations.end(), "put") > 0;
    };
    return {s, check};
}

}  // namespace faultline::runner
