// Sweeps and merges (sweep.h). Sections: [seeds] [workers] [sweep] [merge].
#include "runner/sweep.h"

#include "runner/catalog.h"
#include "runner/command_line.h"
#include "runner/expectations.h"
#include "runner/record.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace faultline::runner {

// ============================================================================================
// [seeds]
// ============================================================================================

bool parse_seed_range(const std::string& text, uint64_t& first, uint64_t& last) {
    const auto dots = text.find("..");
    if (dots == std::string::npos) return false;
    // Each side is a whole number on its own ("1..2..3" and "1x..5" are refused).
    const auto a = parse_whole_number(std::string_view(text).substr(0, dots));
    const auto b = parse_whole_number(std::string_view(text).substr(dots + 2));
    if (!a || !b || *a > *b) return false;
    first = *a;
    last = *b;
    return true;
}

bool parse_shard(const std::string& text, int& index, int& count) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    constexpr uint64_t shards_max = 1'000'000;
    const auto k = parse_whole_number(std::string_view(text).substr(0, slash), shards_max);
    const auto n = parse_whole_number(std::string_view(text).substr(slash + 1), shards_max);
    if (!k || !n || *n < 1 || *k >= *n) return false;
    index = static_cast<int>(*k);
    count = static_cast<int>(*n);
    return true;
}

nlohmann::ordered_json seed_verdicts(const RunOutcome& run) {
    nlohmann::ordered_json v = nlohmann::ordered_json::object();
    for (const auto& o : run.systems) {
        const std::string prefix = run.systems.size() > 1 ? o.system + "." : "";
        if (o.error) {
            // The run did not complete: no check ran, the error is the verdict.
            v[prefix + "internal_error"] = o.error->describe();
            continue;
        }
        const nlohmann::ordered_json verdicts = verdicts_json(o);
        for (const auto& [name, value] : verdicts.items()) v[prefix + name] = value;
    }
    return v;
}

bool is_internal_error(const store::SweepResult& row) {
    for (auto it = row.verdicts.begin(); it != row.verdicts.end(); ++it) {
        const std::string& key = it.key();
        if (key == "internal_error" || key.ends_with(".internal_error")) return true;
    }
    return false;
}

std::vector<std::string> bugs_not_reproduced(const scenario::Scenario& s, const store::SweepResult& row) {
    if (row.status != store::RunStatus::failed || is_internal_error(row)) return {};
    const std::vector<scenario::ExpectRow> rows = scenario::all_expect_rows(catalog());
    std::vector<std::string> missed;
    for (const scenario::System& system : s.systems) {
        const std::string prefix = s.systems.size() > 1 ? system.name + "." : "";
        for (const scenario::ExpectItem& item : expectations_for(s, system.name).items) {
            const bool* wanted = std::get_if<bool>(&item.value);
            const scenario::ExpectRow* expect_row = scenario::find_row(rows, item.key);
            if (wanted == nullptr || expect_row == nullptr || expect_row->comparison != scenario::Comparison::verdict_is) continue;
            auto it = row.verdicts.find(prefix + expect_row->verdict);
            if (it == row.verdicts.end() || !it->is_string()) continue;
            const bool ok = it->get<std::string>() == "ok";
            if (*wanted && !ok) return {};  // something expected to hold broke
            if (!*wanted && ok) missed.push_back(fmt::format("{}: {}", system.name, item.key));
        }
    }
    return missed;
}

namespace {

// The seeds of one shard, handed out one at a time to any thread: offset i of the shard is seed
// first + index + i * count. Finished seeds of a resumed sweep are skipped.
class SeedSource {
public:
    SeedSource(const SweepOptions& o, std::set<uint64_t> done) : o_(o), done_(std::move(done)) {}

    // The number of seeds of the shard not done yet.
    uint64_t remaining() const {
        const uint64_t span = o_.seed_last - o_.seed_first;  // seeds - 1; no overflow at 2^64 seeds
        const auto k = static_cast<uint64_t>(o_.shard_index), n = static_cast<uint64_t>(o_.shard_count);
        const uint64_t in_shard = k > span ? 0 : (span - k) / n + 1;
        return in_shard - std::min<uint64_t>(in_shard, done_.size());
    }
    std::optional<uint64_t> next() {
        while (true) {
            const uint64_t i = next_.fetch_add(1);
            const auto k = static_cast<uint64_t>(o_.shard_index), n = static_cast<uint64_t>(o_.shard_count);
            const uint64_t span = o_.seed_last - o_.seed_first;
            if (k > span || i > (span - k) / n) return std::nullopt;
            const uint64_t seed = o_.seed_first + k + i * n;
            if (!done_.count(seed)) return seed;
        }
    }

private:
    const SweepOptions& o_;
    const std::set<uint64_t> done_;
    std::atomic<uint64_t> next_{0};
};

// ============================================================================================
// [workers]
// ============================================================================================

struct SeedResult {
    uint64_t seed = 0;
    RunOutcome run;
    int64_t wall_ms = 0;
    std::optional<RunOutcome> full;  // failing seeds: the run again, with its trace
    int64_t full_wall_ms = 0;
};

int64_t wall_ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

SeedResult run_seed(const scenario::Scenario& s, uint64_t seed) {
    SeedResult r;
    r.seed = seed;
    RunOptions o;
    o.seed = seed;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    auto t0 = std::chrono::steady_clock::now();
    r.run = run_scenario(s, o);
    r.wall_ms = wall_ms_since(t0);
    if (!r.run.expectations_met) {
        o.trace_level = TraceLevel::full;
        o.keep_trace = true;
        auto t1 = std::chrono::steady_clock::now();
        r.full = run_scenario(s, o);
        r.full_wall_ms = wall_ms_since(t1);
    }
    return r;
}

// Worker threads run seeds and queue results; the caller drains the queue.
class WorkerPool {
public:
    WorkerPool(const scenario::Scenario& s, SeedSource& seeds, unsigned jobs, const std::atomic<bool>* stop)
        : left_(jobs) {
        for (unsigned j = 0; j < jobs; ++j) {
            threads_.emplace_back([this, &s, &seeds, stop] {
                while (stop == nullptr || !stop->load()) {
                    std::optional<uint64_t> seed = seeds.next();
                    if (!seed) break;
                    SeedResult r = run_seed(s, *seed);
                    std::lock_guard lock(mu_);
                    results_.push_back(std::move(r));
                    cv_.notify_one();
                }
                std::lock_guard lock(mu_);
                --left_;
                cv_.notify_one();
            });
        }
    }
    ~WorkerPool() {
        for (auto& t : threads_) t.join();
    }
    // The next result; nullopt once every worker has stopped and the queue is empty.
    std::optional<SeedResult> take() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !results_.empty() || left_ == 0; });
        if (results_.empty()) return std::nullopt;
        SeedResult r = std::move(results_.front());
        results_.pop_front();
        return r;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<SeedResult> results_;
    unsigned left_;
    std::vector<std::thread> threads_;
};

// ============================================================================================
// [sweep]
// ============================================================================================

// The sweep's id in the store (found again when resuming), and the seeds it has already finished.
store::Result<int64_t> open_sweep(const scenario::Scenario& s, store::RunStore& db, const SweepOptions& o,
                                  std::set<uint64_t>& done) {
    const store::SweepSpec spec{s.name, scenario_hash(s), build_id(), o.seed_first, o.seed_last, o.shard_index, o.shard_count};
    if (o.resume) {
        auto found = db.find_sweep(spec);
        if (!found) return found.error();
        if (found.value()) {
            auto finished = db.finished_seeds(*found.value());
            if (!finished) return finished.error();
            done = finished.value();
            return *found.value();
        }
    }
    return db.begin_sweep(spec);
}

// Stores one seed's result (and, for a failing seed, its full runs); false if the store refused.
bool record_seed(const scenario::Scenario& s, store::RunStore& db, int64_t sweep_id, const SeedResult& r, SweepReport& report) {
    store::SweepResult row;
    row.seed = r.seed;
    row.status = r.run.expectations_met ? store::RunStatus::passed : store::RunStatus::failed;
    row.trace_hash = r.run.trace_hash();
    row.verdicts = seed_verdicts(r.run);
    row.wall_time_ms = r.wall_ms;
    if (r.full) {
        for (const auto& sys : r.full->systems) {
            auto id = db.save_run(to_record(s, *r.full, sys, r.full_wall_ms));
            if (!id) ++report.write_errors;
            else if (!row.run_id) row.run_id = id.value();
        }
    }
    if (!db.record_sweep_result(sweep_id, row)) {
        ++report.write_errors;
        return false;
    }
    return true;
}

}  // namespace

store::Result<SweepReport> run_sweep(const scenario::Scenario& s, store::RunStore& db, const SweepOptions& o) {
    FL_ASSERT(o.seed_first <= o.seed_last, "a seed range runs forwards");
    FL_ASSERT(o.shard_count >= 1 && o.shard_index >= 0 && o.shard_index < o.shard_count, "shard {}/{}", o.shard_index,
              o.shard_count);
    SweepReport report;
    std::set<uint64_t> done;
    auto id = open_sweep(s, db, o, done);
    if (!id) return id.error();
    report.sweep_id = id.value();
    report.already_done = done.size();
    SeedSource seeds(o, std::move(done));
    report.to_run = seeds.remaining();
    if (o.on_start) o.on_start(report.sweep_id, report.already_done, report.to_run);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned jobs = static_cast<unsigned>(std::min<uint64_t>(o.jobs ? o.jobs : cores, std::max<uint64_t>(1, report.to_run)));
    uint64_t failing = 0;
    {
        WorkerPool pool(s, seeds, jobs, o.stop);
        while (std::optional<SeedResult> r = pool.take()) {
            record_seed(s, db, report.sweep_id, *r, report);
            failing += r->run.expectations_met ? 0 : 1;
            ++report.finished;
            if (o.on_progress) o.on_progress(report.finished, report.to_run, failing);
        }
    }
    report.interrupted = o.stop != nullptr && o.stop->load() && report.finished < report.to_run;
    auto rows = db.sweep_results(report.sweep_id);
    if (!rows) return rows.error();
    report.rows = std::move(rows.value());
    for (const auto& row : report.rows) {
        report.failed += row.status == store::RunStatus::failed;
        report.internal_errors += is_internal_error(row);
    }
    return report;
}

// ============================================================================================
// [merge]
// ============================================================================================

namespace {

struct MergeState {
    std::optional<store::SweepSpec> spec;
    std::map<uint64_t, store::SweepResult> rows;
    std::set<int> shards;
};

// One shard store's sweeps into `state`, copying failing runs into `out`; an error message or "".
std::optional<MergeError> merge_one(const std::string& path, store::RunStore& out, MergeState& state) {
    store::OpenOptions read_only;
    read_only.read_only = true;
    auto in = store::RunStore::open(path, read_only);
    if (!in) return MergeError{MergeError::Kind::input, in.error().describe()};
    auto ids = in->list_sweeps();
    if (!ids || ids.value().empty()) return MergeError{MergeError::Kind::input, path + " holds no sweep"};
    for (int64_t id : ids.value()) {
        auto info = in->sweep(id);
        if (!info) return MergeError{MergeError::Kind::input, info.error().describe()};
        const auto& sp = info.value().spec;
        if (state.spec && (sp.scenario_hash != state.spec->scenario_hash || sp.seed_first != state.spec->seed_first ||
                           sp.seed_last != state.spec->seed_last || sp.shard_count != state.spec->shard_count))
            return MergeError{MergeError::Kind::input,
                              fmt::format("{}: sweep {} is of another scenario, seed range or shard count", path, id)};
        if (!state.spec) state.spec = sp;
        state.shards.insert(sp.shard_index);
        auto results = in->sweep_results(id);
        if (!results) return MergeError{MergeError::Kind::input, results.error().describe()};
        for (auto r : results.value()) {
            if (r.run_id) {
                auto run = in->load_run(*r.run_id, true);
                auto new_id = run ? out.save_run(run.value()) : store::Result<int64_t>(run.error());
                r.run_id = new_id ? std::optional<int64_t>(new_id.value()) : std::nullopt;
            }
            auto [it, fresh] = state.rows.emplace(r.seed, r);
            if (!fresh && it->second.trace_hash != r.trace_hash)
                return MergeError{MergeError::Kind::conflict,
                                  fmt::format("seed {} has two different results (a determinism bug or two builds)", r.seed)};
        }
    }
    return std::nullopt;
}

}  // namespace

std::variant<MergeReport, MergeError> merge_sweeps(const std::vector<std::string>& shard_stores, store::RunStore& out) {
    FL_ASSERT(!shard_stores.empty(), "a merge needs at least one shard store");
    MergeState state;
    for (const std::string& path : shard_stores)
        if (auto error = merge_one(path, out, state)) return *error;
    store::SweepSpec merged = *state.spec;
    merged.shard_index = 0;
    merged.shard_count = 1;
    auto id = out.begin_sweep(merged);
    if (!id) return MergeError{MergeError::Kind::store, id.error().describe()};
    MergeReport report;
    report.sweep_id = id.value();
    for (const auto& [seed, r] : state.rows) {
        if (!out.record_sweep_result(id.value(), r)) return MergeError{MergeError::Kind::store, "cannot write the merged sweep"};
        report.failed += r.status == store::RunStatus::failed;
    }
    report.seeds = state.rows.size();
    report.expected = merged.seed_last - merged.seed_first + 1;
    report.shards = state.shards.size();
    return report;
}

}  // namespace faultline::runner
