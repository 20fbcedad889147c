// A long run in bounded memory: one virtual hour of a five-server Raft cluster (1.9 million
// trace events) through the real `faultline run`. A run used to keep every event (~250 bytes
// each: 480 MB for this hour, a bad_alloc at 3 GB for a busier one); now it lets them go past
// RunOptions::trace_events_max, stores the run without them and says so, and a replay still
// verifies it by its hash. The bound is on memory, not time: the child's peak RSS is read with
// wait4, and must stay under 300 MB (measured: 139 MB at the default bound; BENCHMARKS.md).
#include "cli_support.h"

#include <fstream>
#include <sys/resource.h>

using faultline::test::faultline_cli;

namespace {

const char* hour = R"(
[scenario]
version = 1
name = "raft-hour"
duration_ms = 3_600_000

[cluster]
nodes = 5

[[system]]
name = "raft"
protocol = "raft"

[workload]
clients = 3
ops_per_client = 200
think_time_ms = 30
keys = 3
mix = { get = 0.5, put = 0.5 }
)";

struct ChildRun {
    int exit_code = -1;
    long peak_rss_kb = 0;
    std::string output;
};

ChildRun run_child(const std::string& args, const std::filesystem::path& out_file) {
    const std::string cmd = fmt::format("exec {} {} > {} 2>&1", FAULTLINE_CLI_PATH, args, out_file.string());
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    REQUIRE(wait4(pid, &status, 0, &usage) == pid);
    std::ifstream in(out_file);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss, text.str()};
}

}  // namespace

TEST_CASE("long run: one virtual hour completes in bounded memory, is stored without its trace, and replays",
          "[cli][long]") {
    const auto dir = faultline::test::temp_dir("long_run");
    const auto scenario = dir / "hour.toml";
    std::ofstream(scenario) << hour;
    const std::string db = (dir / "hour.db").string();
    const ChildRun r = run_child(fmt::format("run {} --db {}", scenario.string(), db), dir / "out.txt");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE_THAT(r.output, Catch::Contains("virtual time      3600.000000s"));
    REQUIRE_THAT(r.output, Catch::Contains("trace             not kept: more events than a run keeps in memory"));
#if defined(FAULTLINE_SANITIZE)
    // AddressSanitizer's shadow memory and quarantine inflate the footprint: measured 856 MB with
    // the bound, 1,333 MB without it.
    REQUIRE(r.peak_rss_kb < 1100 * 1024);
#else
    REQUIRE(r.peak_rss_kb < 300 * 1024);
#endif
    auto replay = faultline_cli("replay 1 --db " + db);
    REQUIRE(replay.exit_code == 0);
    REQUIRE_THAT(replay.output, Catch::Contains("identical"));
    auto view = faultline_cli("view 1 --svg - --db " + db);
    REQUIRE(view.exit_code == 2);
    REQUIRE_THAT(view.output, Catch::Contains("more than a run keeps in memory"));
    auto fresh = faultline_cli(fmt::format("view {} --svg -", scenario.string()));  // the viewer runs it itself
    REQUIRE(fresh.exit_code == 2);
    REQUIRE_THAT(fresh.output, Catch::Contains("too long to draw"));
}

TEST_CASE("long run: a run stored without its trace is run again to be drawn", "[cli][long]") {
    // --trace-events-max 100 (the bound is met when the buffer first grows, past 4096 events)
    // makes the flagship's runs ones stored without their events; `view` runs one again
    // from its stored scenario text and seed (the same execution) and draws that.
    const auto dir = faultline::test::temp_dir("rerun_view");
    const std::string db = (dir / "runs.db").string();
    auto run = faultline_cli("run scenarios/replication/split_brain.toml --trace-events-max 100 --db " + db);
    REQUIRE(run.exit_code == 0);
    REQUIRE_THAT(run.output, Catch::Contains("trace             not kept"));
    auto svg = faultline_cli("view 1 --svg - --db " + db);
    INFO(svg.output.substr(0, 400));
    REQUIRE(svg.exit_code == 0);
    REQUIRE_THAT(svg.output, Catch::Contains("<svg"));
}
