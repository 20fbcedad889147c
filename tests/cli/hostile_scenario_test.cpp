// `faultline run` on scenario files written by an adversary: every one ends in exit 2 with an
// error naming the file and line, never a signal (a crash reads as exit code -1 here).
// Method: write each file to its own temporary path and run the real binary on it.
#include "tests/runner/cli_support.h"

#include <fstream>
#include <string>

using namespace faultline;

namespace {

const std::string head = "[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-4

test::CliResult run_file(const std::string& name, const std::string& text) {
    const auto dir = test::temp_dir(name);
    const auto file = dir / "hostile.toml";
    std::ofstream(file) << text;
    auto r = test::faultline_cli(fmt::format("run {} --db {}", file.string(), (dir / "runs.db").string()));
    std::filesystem::remove_all(dir);
    return r;
}

}  // namespace

TEST_CASE("cli: a 5,000-byte value that gets a suggestion exits 2, naming file and line", "[cli][hostile]") {
    const auto r = run_file("long_value", head + "[workload]\nkey_distribution = \"" + std::string(5000, 'z') + "\"\n");
    INFO(r.output.substr(0, 2000));
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("hostile.toml:6:") != std::string::npos);
    REQUIRE(r.output.find("workload.key_distribution: unknown value") != std::string::npos);
}

TEST_CASE("cli: a table header of 50,000 parts exits 2, naming file and line", "[cli][hostile]") {
    std::string parts = "a";
    for (int i = 1; i < 50'000; ++i) parts += ".a";
    const auto r = run_file("deep_header", head + "[" + parts + "]\n");
    INFO(r.output.substr(0, 2000));
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("hostile.toml:5:2: a dotted key or table header of more than 32 parts") != std::string::npos);
}

TEST_CASE("cli: a think time of 1e15 ms exits 2 at its key, not 3 from an assertion in the run", "[cli][hostile]") {
    const auto r = run_file("huge_think_time", head + "[workload]\nthink_time_ms = 1e15\n");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("hostile.toml:6:17: workload.think_time_ms: too long") != std::string::npos);
}

TEST_CASE("cli: Raft options that contradict each other exit 2 at the option to blame, not 3 from the run",
          "[cli][hostile]") {
    // The protocol's cross-option check (ProtocolSpec::check_options, protocols/raft/entry.cpp).
    const auto inverted = run_file("raft_inverted_timeouts", head +
                                                                 "election_timeout_ms_min = 500\n"
                                                                 "election_timeout_ms_max = 100\n");
    INFO(inverted.output);
    REQUIRE(inverted.exit_code == 2);
    REQUIRE(inverted.output.find("hostile.toml:6:27: system[0].election_timeout_ms_max: election_timeout_ms_min (500) "
                                 "is above election_timeout_ms_max (100)") != std::string::npos);
    const auto heartbeat = run_file("raft_slow_heartbeat", head + "heartbeat_interval_ms = 150\n");
    INFO(heartbeat.output);
    REQUIRE(heartbeat.exit_code == 2);
    REQUIRE(heartbeat.output.find("system[0].heartbeat_interval_ms: heartbeat_interval_ms (150) must be below "
                                  "election_timeout_ms_min (150)") != std::string::npos);
}

TEST_CASE("cli: a quorum larger than the cluster exits 2 at the option, not a run whose gets never answer",
          "[cli][hostile]") {
    // Lab 06's store and Dynamo (check_options sees the cluster's size); a counter ignores r and w.
    const std::string lab06 = "[scenario]\nversion = 1\n[cluster]\nnodes = 3\n[[system]]\nprotocol = \"lab06\"\n";  // lines 1-6
    const auto r = run_file("lab06_big_quorum", lab06 + "type = \"store\"\nr = 4\n");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("hostile.toml:8:5: system[0].r: r (4) is above the cluster's 3 servers: no get could ever "
                          "gather that many replies") != std::string::npos);
    // Dynamo's n is capped at the cluster: r = w = 4 <= n = 5 still cannot be met by 3 servers.
    const auto dynamo = run_file("dynamo_big_quorum",
                                 "[scenario]\nversion = 1\n[cluster]\nnodes = 3\n[[system]]\nprotocol = \"dynamo\"\n"
                                 "n = 5\nr = 4\nw = 4\n");
    INFO(dynamo.output);
    REQUIRE(dynamo.exit_code == 2);
    REQUIRE(dynamo.output.find("hostile.toml:8:5: system[0].r: r (4) is above the cluster's 3 servers") != std::string::npos);
    REQUIRE(dynamo.output.find("hostile.toml:9:5: system[0].w: w (4) is above the cluster's 3 servers: no put could ever "
                               "gather that many acknowledgements") != std::string::npos);
    const auto counter = run_file("lab06_counter_quorum", lab06 + "type = \"counter\"\nr = 4\n[workload]\nops_per_client = 2\n");
    INFO(counter.output);
    REQUIRE(counter.output.find("above the cluster") == std::string::npos);
}
