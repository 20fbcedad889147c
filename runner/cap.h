// The CAP suite (`faultline cap`): the partition file (scenarios/cap/partition.toml) and the
// PACELC file (scenarios/cap/pacelc.toml) over a range of seeds, one row per system: what it did
// with each side of the partition, what consistency it kept, and what it costs in latency when
// nothing is wrong. Each cell keeps the seed that shows it (the worst one: the lowest
// availability, the most stale reads, the first violation), and witness() stores those runs,
// so that every figure in the table can be opened in the viewer.
//
// Seeds run on worker threads, each run single-threaded in its own World (as a sweep's); the
// table depends only on the scenarios and the seeds, never on the number of threads.
#pragma once

#include "runner/run.h"
#include "scenario/scenario.h"
#include "store/run_store.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

struct CapOptions {
    uint64_t seed_first = 1;
    uint64_t seed_last = 20;
    unsigned jobs = 0;  // worker threads; 0: one per core
    std::function<void(uint64_t done, uint64_t total)> on_progress;  // called on the calling thread
};

// One cell: a value over the seeds, the seed that shows it best, and (after witness()) the
// stored run of that seed.
struct CapCell {
    std::optional<double> value;  // nothing: the system does not report it
    uint64_t seed = 0;
    std::optional<int64_t> run_id;
};

struct CapRow {
    std::string system;
    std::string protocol;
    std::string cap_class;  // "CP", "AP", ""
    // Keys: the columns below, in this order (cap_columns()).
    std::map<std::string, CapCell> cells;
    int linearizable_ok = 0, linearizable_violation = 0, linearizable_unknown = 0;
    // The goodput timeline of the witness seed of availability_minority: ok operations per bucket,
    // by side, and the partition window (for the chart).
    double bucket_ms = 0;
    std::vector<double> ok_majority, ok_minority;
    std::vector<std::pair<double, double>> cut_ms;
};

struct CapReport {
    uint64_t seed_first = 0, seed_last = 0;
    std::string partition_scenario, latency_scenario;
    std::vector<CapRow> rows;  // in the partition file's system order
    int internal_errors = 0;   // runs that ended in an assertion (their seeds are left out)
    // (file, seed) runs that did not meet their file's [expect]: the lesson did not show.
    int expectations_unmet = 0;
    std::vector<std::string> unmet;  // "partition.toml seed 7", the first few
};

struct CapColumn {
    std::string key;     // "availability_minority"
    std::string header;  // "avail min"
    std::string description;
    bool from_latency_file = false;
    bool worst_is_lowest = false;  // witness: the seed with the lowest value (else the highest)
};
// The table's columns, in order.
const std::vector<CapColumn>& cap_columns();

CapReport run_cap_suite(const scenario::Scenario& partition, const scenario::Scenario& latency, const CapOptions& options);

// Runs each witness seed again with its full trace and stores it; fills the cells' run_id.
// Returns how many runs the store refused.
int witness(CapReport& report, const scenario::Scenario& partition, const scenario::Scenario& latency, store::RunStore& db);

nlohmann::ordered_json cap_json(const CapReport& report);
std::string cap_table(const CapReport& report);
// The chart: per system, the goodput timeline of its witness seed by side with the partition
// window shaded, and availability against consistency.
std::string cap_svg(const CapReport& report);

}  // namespace faultline::runner
