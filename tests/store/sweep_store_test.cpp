// Sweeps in the store: one summary row per seed, committed as soon as the seed finishes, so a
// sweep killed with SIGKILL loses no finished seed and `--resume` can skip them; and several
// RunStore objects (in several processes) share one file through WAL.
// Method: fork children that write and then kill themselves (or run alongside the parent), and
// check from the parent what the file holds.
#include "store_test_support.h"

#include "store/run_store.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace faultline;
using namespace faultline::store;
using namespace faultline::store::test;

namespace {

SweepSpec raft_sweep() {
    SweepSpec spec;
    spec.scenario_name = "raft/partition";
    spec.scenario_hash = "5e3d";
    spec.build_id = "test";
    spec.seed_first = 1;
    spec.seed_last = 1000;
    return spec;
}

SweepResult result_for(uint64_t seed) {
    SweepResult r;
    r.seed = seed;
    r.status = seed % 7 == 0 ? RunStatus::failed : RunStatus::passed;
    r.trace_hash = seed * 0x9e3779b97f4a7c15ULL;
    r.verdicts = {{"linearizability", seed % 7 == 0 ? "violation" : "ok"}};
    r.wall_time_ms = static_cast<int64_t>(seed % 13);
    return r;
}

// Waits for a forked child and returns how it ended: the signal number, or 1000 + exit status.
int wait_child(pid_t pid) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFSIGNALED(status)) return WTERMSIG(status);
    return 1000 + WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("sweep store: results come back in seed order, and finished_seeds says what to skip", "[store][sweep]") {
    TempDir dir;
    auto store = RunStore::open(dir.file("runs.db"));
    REQUIRE_OK(store);
    RunStore& s = store.value();
    auto id = s.begin_sweep(raft_sweep());
    REQUIRE_OK(id);
    for (uint64_t seed : {uint64_t{5}, uint64_t{3}, uint64_t{9}, UINT64_MAX}) REQUIRE_OK(s.record_sweep_result(id.value(), result_for(seed)));
    // A failing seed's full run is saved and linked.
    auto run = s.save_run(make_kernel_run(7));
    REQUIRE_OK(run);
    SweepResult seven = result_for(7);
    seven.run_id = run.value();
    REQUIRE_OK(s.record_sweep_result(id.value(), seven));
    // Recording a seed again replaces it (a resumed sweep re-running a half-written seed).
    REQUIRE_OK(s.record_sweep_result(id.value(), result_for(3)));

    auto seeds = s.finished_seeds(id.value());
    REQUIRE_OK(seeds);
    REQUIRE(seeds.value() == std::set<uint64_t>{3, 5, 7, 9, UINT64_MAX});
    auto results = s.sweep_results(id.value());
    REQUIRE_OK(results);
    REQUIRE(results.value().size() == 5);
    REQUIRE(results.value()[0] == result_for(3));
    REQUIRE(results.value()[2] == seven);
    REQUIRE(results.value()[4] == result_for(UINT64_MAX));  // unsigned order, despite the bit-cast

    auto info = s.sweep(id.value());
    REQUIRE_OK(info);
    REQUIRE(info.value().spec.seed_last == 1000);
    auto found = s.find_sweep(raft_sweep());
    REQUIRE_OK(found);
    REQUIRE(found.value() == id.value());
    SweepSpec other = raft_sweep();
    other.shard_count = 2;
    auto not_found = s.find_sweep(other);
    REQUIRE_OK(not_found);
    REQUIRE_FALSE(not_found.value().has_value());
}

TEST_CASE("sweep store: bad sweep specs and unknown sweeps are errors", "[store][sweep][errors]") {
    TempDir dir;
    auto store = RunStore::open(dir.file("runs.db"));
    REQUIRE_OK(store);
    SweepSpec backwards = raft_sweep();
    backwards.seed_first = 10;
    backwards.seed_last = 9;
    auto a = store.value().begin_sweep(backwards);
    REQUIRE_FALSE(a.ok());
    REQUIRE_THAT(a.error().message, Catch::Contains("seed range 10..9 is empty"));
    SweepSpec bad_shard = raft_sweep();
    bad_shard.shard_index = 2;
    bad_shard.shard_count = 2;
    REQUIRE_FALSE(store.value().begin_sweep(bad_shard).ok());
    auto orphan = store.value().record_sweep_result(77, result_for(1));
    REQUIRE_FALSE(orphan.ok());
    REQUIRE(orphan.error().describe() == "record_sweep_result (sweep 77 seed 1): no such sweep");
    REQUIRE_FALSE(store.value().sweep(77).ok());
}

TEST_CASE("sweep store: a sweep killed with SIGKILL keeps every seed it recorded", "[store][sweep][crash]") {
    // The child records seeds 1..N, each committed on its own, then dies without any cleanup
    // (no destructors, no checkpoint). The parent reopens the file and finds all N.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    int64_t sweep_id = 0;
    {
        auto store = RunStore::open(path);
        REQUIRE_OK(store);
        auto id = store.value().begin_sweep(raft_sweep());
        REQUIRE_OK(id);
        sweep_id = id.value();
    }
    constexpr uint64_t recorded = 200;
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto store = RunStore::open(path);
        if (!store.ok()) _exit(2);
        for (uint64_t seed = 1; seed <= recorded; ++seed) {
            if (!store.value().record_sweep_result(sweep_id, result_for(seed)).ok()) _exit(3);
        }
        raise(SIGKILL);
        _exit(4);  // not reached
    }
    REQUIRE(wait_child(pid) == SIGKILL);

    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    auto seeds = store.value().finished_seeds(sweep_id);
    REQUIRE_OK(seeds);
    REQUIRE(seeds.value().size() == recorded);
    REQUIRE(*seeds.value().begin() == 1);
    REQUIRE(*seeds.value().rbegin() == recorded);
    auto results = store.value().sweep_results(sweep_id);
    REQUIRE_OK(results);
    REQUIRE(results.value()[41] == result_for(42));

    // Resume: record only the seeds not finished.
    auto info = store.value().sweep(sweep_id);
    REQUIRE_OK(info);
    for (uint64_t seed = info.value().spec.seed_first; seed <= info.value().spec.seed_last; ++seed) {
        if (seeds.value().count(seed) == 0) REQUIRE_OK(store.value().record_sweep_result(sweep_id, result_for(seed)));
    }
    auto all = store.value().finished_seeds(sweep_id);
    REQUIRE_OK(all);
    REQUIRE(all.value().size() == 1000);
}

TEST_CASE("sweep store: a process killed in the middle of save_run leaves no half-written run", "[store][crash]") {
    // The child saves runs in a loop and is killed from outside at an arbitrary moment; every
    // run the parent then finds is complete (all of its events), never partial.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    { REQUIRE_OK(RunStore::open(path)); }
    const RunRecord record = make_kernel_run(8);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto store = RunStore::open(path);
        if (!store.ok()) _exit(2);
        for (;;) {
            if (!store.value().save_run(record).ok()) _exit(3);
        }
    }
    usleep(300'000);
    kill(pid, SIGKILL);
    REQUIRE(wait_child(pid) == SIGKILL);

    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    auto runs = store.value().list_runs(filter("", std::nullopt, max_list_limit));
    REQUIRE_OK(runs);
    REQUIRE_FALSE(runs.value().empty());
    for (const auto& summary : runs.value()) {
        auto run = store.value().load_run(summary.run_id);
        REQUIRE_OK(run);
        REQUIRE(run.value().events.size() == record.events.size());
    }
}

TEST_CASE("sweep store: two processes share one file, a writer and a reader, through WAL", "[store][concurrency]") {
    // The child records 300 seeds one by one while the parent, through its own RunStore, keeps
    // reading; the parent never sees an error and ends with all 300. Then two writers at once:
    // busy_timeout serialises them and both finish.
    TempDir dir;
    const std::string path = dir.file("runs.db");
    int64_t sweep_id = 0;
    auto store = RunStore::open(path);
    REQUIRE_OK(store);
    {
        auto id = store.value().begin_sweep(raft_sweep());
        REQUIRE_OK(id);
        sweep_id = id.value();
    }
    pid_t writer = fork();
    REQUIRE(writer >= 0);
    if (writer == 0) {
        auto mine = RunStore::open(path);
        if (!mine.ok()) _exit(2);
        for (uint64_t seed = 1; seed <= 300; ++seed) {
            if (!mine.value().record_sweep_result(sweep_id, result_for(seed)).ok()) _exit(3);
        }
        _exit(0);
    }
    std::size_t last_seen = 0;
    int reads = 0;
    bool monotonic = true;
    for (;;) {
        auto seeds = store.value().finished_seeds(sweep_id);
        REQUIRE_OK(seeds);
        if (seeds.value().size() < last_seen) monotonic = false;
        last_seen = seeds.value().size();
        ++reads;
        int status = 0;
        if (waitpid(writer, &status, WNOHANG) == writer) {
            REQUIRE(WIFEXITED(status));
            REQUIRE(WEXITSTATUS(status) == 0);
            break;
        }
    }
    REQUIRE(monotonic);
    REQUIRE(reads > 1);
    auto seeds = store.value().finished_seeds(sweep_id);
    REQUIRE_OK(seeds);
    REQUIRE(seeds.value().size() == 300);

    // Two writers at once, each saving 10 full runs in its own transactions.
    const RunRecord record = make_kernel_run(12);
    pid_t other = fork();
    REQUIRE(other >= 0);
    if (other == 0) {
        auto mine = RunStore::open(path);
        if (!mine.ok()) _exit(2);
        for (int i = 0; i < 10; ++i) {
            if (!mine.value().save_run(record).ok()) _exit(3);
        }
        _exit(0);
    }
    for (int i = 0; i < 10; ++i) REQUIRE_OK(store.value().save_run(record));
    REQUIRE(wait_child(other) == 1000);
    auto runs = store.value().list_runs();
    REQUIRE_OK(runs);
    REQUIRE(runs.value().size() == 20);
}

TEST_CASE("sweep store: several processes creating one new store at once all open it and save", "[store][concurrency]") {
    // Four writers race to create the same file, 100 times over. SQLite reports some of the
    // collisions (switching the new file to WAL, reading a schema being written) as "database is
    // locked" at once, without waiting: RunStore::open retries within the busy timeout. Before
    // it did, 1 of 30 such races failed a `faultline run`, and this test failed 5 times in 6.
    const RunRecord record = make_kernel_run(4);
    constexpr int writers = 4;
    for (int round = 0; round < 100; ++round) {
        TempDir dir;
        const std::string path = dir.file("new.db");
        std::vector<pid_t> children;
        for (int w = 0; w < writers; ++w) {
            pid_t pid = fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                auto store = RunStore::open(path);
                if (!store.ok()) _exit(2);
                if (!store.value().save_run(record).ok()) _exit(3);
                _exit(0);
            }
            children.push_back(pid);
        }
        for (pid_t pid : children) {
            int status = 0;
            REQUIRE(waitpid(pid, &status, 0) == pid);
            INFO("round " << round);
            REQUIRE(WIFEXITED(status));
            REQUIRE(WEXITSTATUS(status) == 0);
        }
        auto store = RunStore::open(path);
        REQUIRE_OK(store);
        auto runs = store.value().list_runs(filter("", std::nullopt, max_list_limit));
        REQUIRE_OK(runs);
        REQUIRE(runs.value().size() == writers);
    }
}
