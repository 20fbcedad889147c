// Sweeps: one scenario over many seeds, and the merge of a sharded sweep's stores. The CLI's
// `sweep` and `merge`, the tests and the labs' graders call these.
//
// run_sweep runs seeds on worker threads, each run single-threaded in its own World; the calling
// thread is the only writer to the store and commits every seed as it finishes, so an interrupt
// (options.stop) or kill -9 loses no finished seed and `resume` continues where it stopped. Seeds
// run with the trace off (hash only); a failing seed is run again with the full trace and stored
// as a run (RunOutcome is a pure function of scenario and seed, so it is the same run). A seed
// whose run trips an assertion is a failed seed with the verdict `internal_error`; the sweep
// goes on. Shard K of N runs the seeds whose offset from the first is K modulo N
// (docs/sweeps.md). Seeds are generated as they are needed: a range of 2^64 seeds costs no memory.
#pragma once

#include "runner/run.h"
#include "scenario/scenario.h"
#include "store/run_store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

struct SweepOptions {
    uint64_t seed_first = 1;
    uint64_t seed_last = 1;
    int shard_index = 0;  // K of K/N
    int shard_count = 1;  // N
    unsigned jobs = 0;    // worker threads; 0: one per core
    bool resume = false;  // continue the same sweep (scenario, seeds, shard, build), skipping finished seeds
    // Called on the calling thread once the sweep is open, before any seed runs.
    std::function<void(int64_t sweep_id, uint64_t already_done, uint64_t to_run)> on_start;
    // Called on the calling thread after each finished seed.
    std::function<void(uint64_t finished, uint64_t total, uint64_t failing)> on_progress;
    // Set (e.g. by a SIGINT handler) to stop handing out seeds; running ones finish and are kept.
    const std::atomic<bool>* stop = nullptr;
};

struct SweepReport {
    int64_t sweep_id = 0;
    uint64_t already_done = 0;  // seeds a resumed sweep had finished before this call
    uint64_t to_run = 0;        // seeds this call set out to run
    uint64_t finished = 0;      // of those, finished
    std::vector<store::SweepResult> rows;  // every seed of the sweep so far, from the store
    uint64_t failed = 0;        // over `rows`
    uint64_t internal_errors = 0;
    bool interrupted = false;
    int write_errors = 0;       // results the store refused (the sweep went on)
};

// Errors of opening or starting the sweep in the store are returned as StoreError.
store::Result<SweepReport> run_sweep(const scenario::Scenario& s, store::RunStore& db, const SweepOptions& options);

// A failed seed whose run ended in an assertion or exception (verdict `internal_error`).
bool is_internal_error(const store::SweepResult& row);
// For a failed row of a scenario that expects violations (a planted bug: `linearizable = false`):
// the expectations of a violation the seed did not meet ("buggy: linearizable"), when nothing
// else failed: no verdict the scenario expects ok is anything but ok. Empty otherwise: the row
// is a failure like any other. Figures' bounds are not in a row, so a row that failed only on
// one of them is a failure like any other too.
std::vector<std::string> bugs_not_reproduced(const scenario::Scenario& s, const store::SweepResult& row);
// The verdicts of a seed's systems: {"linearizability": "ok", ...}, prefixed "<system>." when
// the scenario has several systems.
nlohmann::ordered_json seed_verdicts(const RunOutcome& run);

// Parses "A..B" (A <= B) and "K/N" (0 <= K < N, N at most 1,000,000), each number decimal
// digits only (runner/command_line.h); false on anything else.
bool parse_seed_range(const std::string& text, uint64_t& first, uint64_t& last);
bool parse_shard(const std::string& text, int& index, int& count);

struct MergeReport {
    int64_t sweep_id = 0;
    uint64_t seeds = 0;
    uint64_t expected = 0;
    uint64_t failed = 0;
    std::size_t shards = 0;
    bool complete() const { return seeds == expected; }
};
struct MergeError {
    enum class Kind { input, conflict, store } kind = Kind::input;
    std::string message;
};
// Combines the sweeps of shard stores (each from `sweep --shard K/N`) into one sweep in `out`:
// every seed's row, in seed order; failing seeds' stored runs are copied and their ids rewritten.
// The shards must be of one scenario and seed range; a seed present twice must agree.
std::variant<MergeReport, MergeError> merge_sweeps(const std::vector<std::string>& shard_stores, store::RunStore& out);

}  // namespace faultline::runner
