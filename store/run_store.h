// RunStore: the SQLite file where runs and sweeps are kept (runs, their traces, histories,
// faults, check results, figures, expectations, and one summary row per seed of a sweep).
//
// What it guarantees
// - No exception and no crash through this API: every failure is a StoreError naming the
//   operation and the cause (SQLite's message where SQLite failed). open() refuses, with a clear
//   message, a path that is a directory or cannot be opened, a file that is not SQLite, a SQLite
//   database that is not a run store, a store whose schema is newer than this build, and a file
//   that fails `PRAGMA quick_check`.
// - save_run writes a whole run in one transaction: a reader sees all of it or none of it.
//   record_sweep_result commits each seed on its own, so a sweep killed with SIGKILL loses no
//   finished seed (WAL with synchronous=NORMAL is durable against process crashes; an OS crash
//   may lose the last commits, never corrupt the file).
// - Several RunStore objects (threads or processes) may use one file: WAL lets readers run while
//   one writer writes; a writer that finds the file locked waits up to busy_timeout_ms.
// - The store does no simulation and reads no simulation clock; its only wall-clock readings
//   (written_at, created_at) are SQLite's and are never part of a hash.
//
// Who owns what: a RunStore owns its SQLite connection and cached statements. Use one RunStore
// from one thread at a time (give each worker thread its own). Moving is allowed; copying is not.
//
// docs/run_store.md describes the schema, the migration policy and every error message.
#pragma once

#include "store/run_record.h"
#include "store/store_error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faultline::store {

class Database;

enum class SaveMode : uint8_t {
    full_trace,    // events and names too (`faultline run`, a sweep's failing seeds)
    summary_only,  // everything but the events and names (event_count is still kept)
};

struct OpenOptions {
    bool read_only = false;       // never writes; a store that needs migrating is an error
    bool create = true;           // create the file if it does not exist (ignored when read_only)
    // PRAGMA quick_check on open: a damaged page reported at once, as "integrity check failed".
    // It reads the whole file (~0.35 s a GB), so only files up to quick_check_bytes_max get it;
    // in a larger one damage shows when a damaged page is read ("database disk image is
    // malformed", explained) and in our own event chunks by their checksums.
    bool quick_check = true;
    uint64_t quick_check_bytes_max = 64ull << 20;
    int busy_timeout_ms = 10'000; // how long to wait for another writer's lock
};

// One row of list_runs: what a table of runs shows, without the run's children.
struct RunSummary {
    int64_t run_id = 0;
    std::string written_at;
    std::string scenario_name;
    std::string scenario_hash;
    uint64_t seed = 0;
    std::string build_id;
    RunStatus status = RunStatus::passed;
    uint64_t trace_hash = 0;
    uint64_t event_count = 0;
    bool events_stored = false;
    int64_t virtual_duration_ns = 0;
    int64_t wall_time_ms = 0;
};

struct RunFilter {
    std::string scenario_contains;     // substring of the scenario name; empty matches all
    std::optional<RunStatus> status;   // only runs with this status
    int limit = 100;                   // newest first; 1 ..= max_list_limit
};
inline constexpr int max_list_limit = 100'000;

// A sweep: one scenario over a seed range, possibly one shard K/N of it.
struct SweepSpec {
    std::string scenario_name;
    std::string scenario_hash;
    std::string build_id;
    uint64_t seed_first = 0;  // inclusive
    uint64_t seed_last = 0;   // inclusive
    int shard_index = 0;      // 0 ..< shard_count
    int shard_count = 1;
};

struct SweepInfo {
    int64_t sweep_id = 0;
    std::string created_at;
    SweepSpec spec;
};

// One seed's outcome in a sweep. run_id names the full run saved for it (failures), if any.
struct SweepResult {
    uint64_t seed = 0;
    RunStatus status = RunStatus::passed;
    uint64_t trace_hash = 0;
    nlohmann::ordered_json verdicts = nlohmann::ordered_json::object();  // e.g. {"linearizability": "ok"}
    int64_t wall_time_ms = 0;
    std::optional<int64_t> run_id;
    bool operator==(const SweepResult&) const = default;
};

// One grading of a lab (`faultline lab grade`). `report` is the grader's JSON (runner/labs/grade.h).
struct LabGrade {
    int64_t grade_id = 0;    // set by the store
    std::string graded_at;   // set by the store (UTC, ISO 8601)
    std::string lab;         // "02-exactly-once"
    std::string protocol;    // the implementation graded
    int score = 0;
    int points = 0;          // the most there was to get
    std::string build_id;
    nlohmann::ordered_json report = nlohmann::ordered_json::object();
    std::vector<int64_t> run_ids;  // the runs this grading stored (its failures)
};

class RunStore {
public:
    static Result<RunStore> open(const std::string& path, const OpenOptions& options = {});
    RunStore(RunStore&&) noexcept;
    RunStore& operator=(RunStore&&) noexcept;
    ~RunStore();

    const std::string& path() const { return path_; }
    int schema_version() const;

    // --- runs ---
    Result<int64_t> save_run(const RunRecord& record, SaveMode mode = SaveMode::full_trace);
    Result<RunRecord> load_run(int64_t run_id, bool with_events = true);
    Result<std::vector<RunSummary>> list_runs(const RunFilter& filter = {});
    // The newest run, or std::nullopt in an empty store.
    Result<std::optional<RunSummary>> latest_run();

    // --- sweeps ---
    Result<int64_t> begin_sweep(const SweepSpec& spec);
    // The newest sweep with exactly this spec (scenario hash, seeds, shard), for `sweep --resume`.
    Result<std::optional<int64_t>> find_sweep(const SweepSpec& spec);
    Result<SweepInfo> sweep(int64_t sweep_id);
    // Every sweep in the store, oldest first (`faultline merge` reads the shards' sweeps).
    Result<std::vector<int64_t>> list_sweeps();
    // Commits immediately. Recording a seed again replaces its row (a resumed sweep may re-run a
    // seed whose result was being written when the process died).
    Result<void> record_sweep_result(int64_t sweep_id, const SweepResult& result);
    Result<std::set<uint64_t>> finished_seeds(int64_t sweep_id);
    // In seed order.
    Result<std::vector<SweepResult>> sweep_results(int64_t sweep_id);

    // --- runs, removed ---
    // Removes the runs and every row of theirs; sweep rows that named them keep their verdicts
    // and lose the link. Ids that do not exist are skipped. One transaction.
    Result<void> delete_runs(const std::vector<int64_t>& run_ids);
    // Compacts the file (SQLite's VACUUM): the pages removed runs freed go back to the disk.
    Result<void> vacuum();

    // --- labs ---
    Result<int64_t> save_lab_grade(const LabGrade& grade);
    // Newest first; every lab's when `lab` is empty.
    Result<std::vector<LabGrade>> lab_grades(const std::string& lab = "");
    // Keeps the newest `keep` gradings of `lab` and removes the older ones with their runs.
    Result<void> prune_lab_grades(const std::string& lab, int keep);

private:
    RunStore(std::string path, std::unique_ptr<Database> db, int schema_version);
    Result<int64_t> save_run_unguarded(const RunRecord& record, SaveMode mode);
    Result<RunRecord> load_run_unguarded(int64_t run_id, bool with_events);

    std::string path_;
    std::unique_ptr<Database> db_;
    int schema_version_ = 0;
};

// "0123456789abcdef": 16 lower-case hex digits, as trace hashes are printed and stored.
std::string hash_to_hex(uint64_t h);
std::optional<uint64_t> hex_to_hash(std::string_view text);

}  // namespace faultline::store
