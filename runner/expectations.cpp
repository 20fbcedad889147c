#include "runner/expectations.h"

#include "runner/catalog.h"
#include "sim/assert.h"

#include <fmt/format.h>

namespace faultline::runner {

namespace {

std::string show(double v) { return fmt::format("{}", v); }

ExpectationResult judge(const scenario::ExpectRow& row, const scenario::ExpectValue& want, const SystemOutcome& o) {
    ExpectationResult r;
    r.name = row.key;
    if (row.comparison == scenario::Comparison::verdict_is) {
        const bool ok_wanted = std::get<bool>(want);
        const std::string verdict = o.verdict(row.verdict);
        r.met = ok_wanted ? verdict == "ok" : verdict == "violation";
        const CheckOutcome* c = o.check(row.verdict);
        const std::size_t found = c ? c->findings.size() : 0;
        r.detail = fmt::format("expected {}, {} says {}{}", ok_wanted, row.source, verdict,
                               found > 0 ? fmt::format(" ({} finding{})", found, found == 1 ? "" : "s") : "");
        return r;
    }
    auto it = o.figures.find(row.figure);
    const double bound = scenario::as_number(want);
    const bool at_least = row.comparison == scenario::Comparison::at_least;
    if (it == o.figures.end()) {
        // The parser refuses keys a system cannot report; a figure missing here was not computed
        // on this run (e.g. no write completed after the heal).
        r.met = false;
        r.detail = fmt::format("expected {} {}, but the run reports no {}", at_least ? ">=" : "<=", show(bound), row.figure);
        return r;
    }
    r.met = at_least ? it->second >= bound : it->second <= bound;
    r.detail = fmt::format("expected {} {}, got {}", at_least ? ">=" : "<=", show(bound), show(it->second));
    return r;
}

}  // namespace

bool expects_violation(const scenario::Scenario& s, const std::string& system) {
    for (const auto& item : expectations_for(s, system).items)
        if (const bool* b = std::get_if<bool>(&item.value); b && !*b) return true;
    return false;
}

scenario::Expect expectations_for(const scenario::Scenario& s, const std::string& system) {
    scenario::Expect e = s.expect_all;
    auto it = s.expect.find(system);
    if (it == s.expect.end()) return e;
    for (const scenario::ExpectItem& item : it->second.items) e.set(item.key, item.value);
    return e;
}

void evaluate_expectations(const scenario::Scenario& s, const scenario::ProtocolSpec& protocol, SystemOutcome& o) {
    const std::vector<scenario::ExpectRow> rows = scenario::expect_rows(catalog(), protocol, s);
    for (const scenario::ExpectItem& item : expectations_for(s, o.system).items) {
        const scenario::ExpectRow* row = scenario::find_row(rows, item.key);
        FL_ASSERT(row != nullptr, "expectation {} of system {} passed validation but is not in its table", item.key, o.system);
        o.expectations.push_back(judge(*row, item.value, o));
        if (!o.expectations.back().met) o.expectations_met = false;
    }
}

}  // namespace faultline::runner
