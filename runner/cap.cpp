// The CAP suite (cap.h). Sections: [columns] [running] [witnesses] [output].
#include "runner/cap.h"

#include "runner/parallel.h"

#include "protocols/plugin/registry.h"
#include "runner/record.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>

namespace faultline::runner {

// ============================================================================================
// [columns]
// ============================================================================================

const std::vector<CapColumn>& cap_columns() {
    static const std::vector<CapColumn> columns{
        {"availability_majority", "avail maj", "operations invoked during the partition by clients with a majority that completed ok (mean over seeds)", false, true},
        {"availability_minority", "avail min", "the same for clients cut off with a minority (mean)", false, true},
        {"goodput_during", "ops/s cut", "operations completed ok per second while partitioned (mean)", false, true},
        {"goodput_before", "ops/s before", "operations completed ok per second before the partition (mean)", false, true},
        {"linearizable", "linearizable", "seeds whose history is linearizable", false, true},
        {"stale_reads", "stale reads", "gets that returned a superseded value, per seed (mean)", false, false},
        {"lost_writes", "lost writes", "acknowledged writes missing at the end, per seed (mean)", false, false},
        {"concurrent_versions", "siblings", "keys held as concurrent versions at the end, per seed (mean)", false, false},
        {"convergence_ms", "converge ms", "from the heal to the replicas agreeing (worst seed)", false, false},
        {"latency_p50_ms", "p50 ms", "median latency with no partition (pacelc file, mean)", true, false},
        {"latency_p99_ms", "p99 ms", "99th percentile latency with no partition (pacelc file, mean)", true, false},
    };
    return columns;
}

namespace {

// ============================================================================================
// [running]
// ============================================================================================

// What the suite keeps of one system's run.
struct SystemSample {
    bool error = false;
    std::string linearizability;  // ok | violation | unknown | skipped
    std::map<std::string, double> figures;
    double bucket_ms = 0;
    std::vector<double> ok_majority, ok_minority;
    std::vector<std::pair<double, double>> cut_ms;
};

struct SeedSample {
    std::map<std::string, SystemSample> partition, latency;  // by system name
    bool partition_met = true, latency_met = true;           // the files' [expect]
};

SystemSample sample(const SystemOutcome& o) {
    SystemSample s;
    s.error = o.error.has_value();
    s.linearizability = o.verdict("linearizability");
    s.figures = o.figures;
    if (const CheckOutcome* c = o.check("partition_availability"); c != nullptr && c->details.contains("cut")) {
        s.bucket_ms = c->details["bucket_ms"].get<double>();
        for (const auto& v : c->details["ok_per_bucket_majority"]) s.ok_majority.push_back(v.get<double>());
        for (const auto& v : c->details["ok_per_bucket_minority"]) s.ok_minority.push_back(v.get<double>());
        for (const auto& iv : c->details["cut"]) s.cut_ms.emplace_back(iv[0].get<double>(), iv[1].get<double>());
    }
    return s;
}

RunOutcome run_quiet(const scenario::Scenario& s, uint64_t seed) {
    RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    return run_scenario(s, o);
}

SeedSample run_seed(const scenario::Scenario& partition, const scenario::Scenario& latency, uint64_t seed) {
    SeedSample out;
    const RunOutcome p = run_quiet(partition, seed);
    for (const auto& o : p.systems) out.partition[o.system] = sample(o);
    const RunOutcome l = run_quiet(latency, seed);
    for (const auto& o : l.systems) out.latency[o.system] = sample(o);
    out.partition_met = p.expectations_met;
    out.latency_met = l.expectations_met;
    return out;
}

std::vector<SeedSample> run_all(const scenario::Scenario& partition, const scenario::Scenario& latency, const CapOptions& o) {
    return map_in_parallel<SeedSample>(
        o.seed_last - o.seed_first + 1, o.jobs,
        [&](uint64_t i) { return run_seed(partition, latency, o.seed_first + i); }, o.on_progress);
}

// One column of one system over the seeds: the mean (or, for convergence, the worst) and the
// seed that shows the worst.
CapCell aggregate(const CapColumn& c, const std::string& system, const std::vector<SeedSample>& seeds, uint64_t first) {
    CapCell cell;
    double sum = 0, worst = 0;
    int n = 0;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const auto& runs = c.from_latency_file ? seeds[i].latency : seeds[i].partition;
        auto it = runs.find(system);
        if (it == runs.end() || it->second.error) continue;
        auto f = it->second.figures.find(c.key);
        if (f == it->second.figures.end()) continue;
        const double v = f->second;
        const bool worse = n == 0 || (c.worst_is_lowest ? v < worst : v > worst);
        if (worse) {
            worst = v;
            cell.seed = first + i;
        }
        sum += v;
        ++n;
    }
    if (n > 0) cell.value = c.key == "convergence_ms" ? worst : sum / n;
    return cell;
}

}  // namespace

CapReport run_cap_suite(const scenario::Scenario& partition, const scenario::Scenario& latency, const CapOptions& o) {
    FL_ASSERT(o.seed_first <= o.seed_last, "an empty seed range");
    CapReport report;
    report.seed_first = o.seed_first;
    report.seed_last = o.seed_last;
    report.partition_scenario = partition.name;
    report.latency_scenario = latency.name;
    const std::vector<SeedSample> seeds = run_all(partition, latency, o);
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const SeedSample& s = seeds[i];
        for (const auto& [name, r] : s.partition) report.internal_errors += r.error;
        for (const auto& [name, r] : s.latency) report.internal_errors += r.error;
        for (const auto& [met, name] : {std::pair(s.partition_met, partition.name), std::pair(s.latency_met, latency.name)}) {
            if (met) continue;
            ++report.expectations_unmet;
            if (report.unmet.size() < 5) report.unmet.push_back(fmt::format("{} seed {}", name, o.seed_first + i));
        }
    }
    for (const scenario::System& sys : partition.systems) {
        CapRow row;
        row.system = sys.name;
        row.protocol = sys.protocol;
        if (const auto* p = plugin::find_protocol(sys.protocol)) {
            const auto cls = p->spec.cap;
            row.cap_class = cls == scenario::CapClass::unclassified ? "" : (cls == scenario::CapClass::cp ? "CP" : "AP");
        }
        for (const CapColumn& c : cap_columns()) {
            if (c.key == "linearizable") continue;
            row.cells[c.key] = aggregate(c, sys.name, seeds, o.seed_first);
        }
        CapCell lin;
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            auto it = seeds[i].partition.find(sys.name);
            if (it == seeds[i].partition.end() || it->second.error) continue;
            const std::string& v = it->second.linearizability;
            row.linearizable_ok += v == "ok";
            row.linearizable_violation += v == "violation";
            row.linearizable_unknown += v == "unknown";
            if (v == "violation" && row.linearizable_violation == 1) lin.seed = o.seed_first + i;
        }
        const int judged = row.linearizable_ok + row.linearizable_violation + row.linearizable_unknown;
        if (judged > 0) lin.value = static_cast<double>(row.linearizable_ok) / judged;
        if (lin.seed == 0) lin.seed = o.seed_first;
        row.cells["linearizable"] = lin;
        // The chart's timeline: the seed that shows the minority side's availability.
        const CapCell& shown = row.cells["availability_minority"];
        const uint64_t at = shown.value ? shown.seed : o.seed_first;
        if (auto it = seeds[at - o.seed_first].partition.find(sys.name); it != seeds[at - o.seed_first].partition.end()) {
            row.bucket_ms = it->second.bucket_ms;
            row.ok_majority = it->second.ok_majority;
            row.ok_minority = it->second.ok_minority;
            row.cut_ms = it->second.cut_ms;
        }
        report.rows.push_back(std::move(row));
    }
    return report;
}

// ============================================================================================
// [witnesses]
// ============================================================================================

int witness(CapReport& report, const scenario::Scenario& partition, const scenario::Scenario& latency, store::RunStore& db) {
    int refused = 0;
    for (const bool latency_file : {false, true}) {
        const scenario::Scenario& s = latency_file ? latency : partition;
        std::set<uint64_t> seeds;
        for (const CapRow& row : report.rows)
            for (const CapColumn& c : cap_columns())
                if (c.from_latency_file == latency_file && row.cells.at(c.key).seed != 0) seeds.insert(row.cells.at(c.key).seed);
        for (uint64_t seed : seeds) {
            RunOptions o;
            o.seed = seed;
            o.trace_level = TraceLevel::full;
            o.keep_trace = true;
            const auto t0 = std::chrono::steady_clock::now();
            const RunOutcome run = run_scenario(s, o);
            const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
            std::map<std::string, int64_t> ids;
            for (const auto& sys : run.systems) {
                auto id = db.save_run(to_record(s, run, sys, wall));
                if (id) ids[sys.system] = id.value();
                else ++refused;
            }
            for (CapRow& row : report.rows)
                for (const CapColumn& c : cap_columns()) {
                    CapCell& cell = row.cells[c.key];
                    if (c.from_latency_file == latency_file && cell.seed == seed && ids.count(row.system))
                        cell.run_id = ids[row.system];
                }
        }
    }
    return refused;
}

// ============================================================================================
// [output]
// ============================================================================================

namespace {

std::string cell_text(const CapRow& row, const CapColumn& c) {
    const CapCell& cell = row.cells.at(c.key);
    if (!cell.value) return "-";
    if (c.key == "linearizable") {
        const int n = row.linearizable_ok + row.linearizable_violation + row.linearizable_unknown;
        if (row.linearizable_violation > 0) return fmt::format("no {}/{}", row.linearizable_violation, n);
        if (row.linearizable_unknown > 0) return fmt::format("unknown {}/{}", row.linearizable_unknown, n);
        return "yes";
    }
    const double v = *cell.value;
    if (c.key.rfind("availability", 0) == 0) return fmt::format("{:.2f}", v);
    if (c.key == "lost_writes" || c.key == "stale_reads" || c.key == "concurrent_versions")
        return v == 0 ? "0" : fmt::format("{:.1f}", v);
    return fmt::format("{:.0f}", v);
}

}  // namespace

std::string cap_table(const CapReport& r) {
    const auto& columns = cap_columns();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"system", "class"};
    for (const auto& c : columns) header.push_back(c.header);
    rows.push_back(header);
    for (const CapRow& row : r.rows) {
        std::vector<std::string> line{row.system, row.cap_class};
        for (const auto& c : columns) {
            const CapCell& cell = row.cells.at(c.key);
            line.push_back(cell_text(row, c) + (cell.value && cell.run_id ? fmt::format(" #{}", *cell.run_id) : ""));
        }
        rows.push_back(line);
    }
    std::vector<std::size_t> width(header.size(), 0);
    for (const auto& line : rows)
        for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
    std::string out = fmt::format("CAP suite: {} and {}, seeds {}..{}\n\n", r.partition_scenario, r.latency_scenario,
                                  r.seed_first, r.seed_last);
    for (const auto& line : rows) {
        out += " ";
        for (std::size_t i = 0; i < line.size(); ++i)
            out += i < 2 ? fmt::format(" {:<{}}", line[i], width[i]) : fmt::format("  {:>{}}", line[i], width[i]);
        out += "\n";
    }
    out += "\n";
    for (const auto& c : columns) out += fmt::format("  {:<13} {}\n", c.header, c.description);
    out += "  #N            the stored run that shows the cell (the worst seed): faultline view N\n";
    if (r.internal_errors > 0) out += fmt::format("\n  {} run(s) ended in an internal error and are left out\n", r.internal_errors);
    if (r.expectations_unmet > 0)
        out += fmt::format("\n  {} run(s) did not meet their file's [expect] (the lesson did not show): {}{}\n",
                           r.expectations_unmet, fmt::join(r.unmet, ", "), r.expectations_unmet > 5 ? ", ..." : "");
    return out;
}

nlohmann::ordered_json cap_json(const CapReport& r) {
    nlohmann::ordered_json j;
    j["partition_scenario"] = r.partition_scenario;
    j["latency_scenario"] = r.latency_scenario;
    j["seeds"] = {r.seed_first, r.seed_last};
    j["internal_errors"] = r.internal_errors;
    j["expectations_unmet"] = r.expectations_unmet;
    auto systems = nlohmann::ordered_json::array();
    for (const CapRow& row : r.rows) {
        nlohmann::ordered_json s;
        s["system"] = row.system;
        s["protocol"] = row.protocol;
        s["class"] = row.cap_class;
        s["linearizable"] = {{"ok", row.linearizable_ok}, {"violation", row.linearizable_violation},
                             {"unknown", row.linearizable_unknown}};
        nlohmann::ordered_json cells;
        for (const auto& c : cap_columns()) {
            const CapCell& cell = row.cells.at(c.key);
            nlohmann::ordered_json v;
            v["value"] = cell.value ? nlohmann::ordered_json(*cell.value) : nlohmann::ordered_json(nullptr);
            v["seed"] = cell.seed;
            v["run_id"] = cell.run_id ? nlohmann::ordered_json(*cell.run_id) : nlohmann::ordered_json(nullptr);
            cells[c.key] = v;
        }
        s["columns"] = cells;
        systems.push_back(s);
    }
    j["systems"] = systems;
    return j;
}

}  // namespace faultline::runner
