// The faultline command as a user meets it: run, replay, show, list, bad input, sweep with a
// kill and --resume, and a sharded sweep merged back.
#include "cli_support.h"

#include "store/run_store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

using namespace faultline;
using faultline::test::faultline_cli;

namespace {
const std::string flagship = "scenarios/replication/split_brain.toml";
const std::string raft_nemesis = "scenarios/raft/nemesis.toml";

std::vector<store::SweepResult> results_of(const std::string& db_path) {
    auto db = store::RunStore::open(db_path);
    REQUIRE(db.ok());
    auto ids = db.value().list_sweeps();
    REQUIRE(ids.ok());
    REQUIRE(!ids.value().empty());
    auto rows = db.value().sweep_results(ids.value().back());
    REQUIRE(rows.ok());
    return rows.value();
}
}  // namespace

TEST_CASE("cli: run stores the run, and replay of the stored run is identical", "[cli][run]") {
    auto dir = test::temp_dir("run_replay");
    std::string db = (dir / "runs.db").string();
    auto run = faultline_cli(fmt::format("run {} --db {} --json", flagship, db));
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    REQUIRE(run.output.find("\"run_id\": 1") != std::string::npos);
    REQUIRE(run.output.find("\"expectations_met\": true") != std::string::npos);
    REQUIRE(run.output.find("\"trace_hash\"") != std::string::npos);
    REQUIRE(run.output.find("\"verdicts\"") != std::string::npos);
    for (int id : {1, 2, 3}) {
        auto replay = faultline_cli(fmt::format("replay {} --db {}", id, db));
        INFO(replay.output);
        REQUIRE(replay.exit_code == 0);
        REQUIRE(replay.output.find("identical") != std::string::npos);
    }
    auto show = faultline_cli(fmt::format("show 3 --db {} --events --kind crash,partition,heal", db));
    INFO(show.output);
    REQUIRE(show.exit_code == 0);
    REQUIRE(show.output.find("split-brain/raft") != std::string::npos);
    REQUIRE(show.output.find("partition") != std::string::npos);
    REQUIRE(show.output.find("heal") != std::string::npos);
    auto svg = faultline_cli(fmt::format("export 3 --db {} --format svg", db));
    REQUIRE(svg.exit_code == 0);
    REQUIRE(svg.output.rfind("<svg", 0) == 0);
    auto jsonl = faultline_cli(fmt::format("export 3 --db {} --format jsonl", db));
    REQUIRE(jsonl.exit_code == 0);
    REQUIRE(jsonl.output.find("\"kind\":\"deliver\"") != std::string::npos);
}

TEST_CASE("cli: a malformed scenario exits 2 and names the file, line and key", "[cli][run]") {
    auto r = faultline_cli("run scenarios/malformed/unknown_protocol.toml --no-store");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("scenarios/malformed/unknown_protocol.toml:11:12: system[0].protocol: unknown protocol 'rafft'; "
                          "did you mean 'raft'?") != std::string::npos);
    REQUIRE(r.output.find("nothing was run") != std::string::npos);
}

TEST_CASE("cli: a missing or corrupt database is an error, not a crash", "[cli][store]") {
    auto dir = test::temp_dir("corrupt_db");
    std::string db = (dir / "junk.db").string();
    std::ofstream(db) << std::string(8192, 'x');
    auto r = faultline_cli(fmt::format("show 1 --db {}", db));
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find("not a database") != std::string::npos);
    auto unknown = faultline_cli(fmt::format("show 99 --db {}", (dir / "empty.db").string()));
    REQUIRE(unknown.exit_code == 2);
}

TEST_CASE("cli: list names the protocols, their options, fault kinds and checkers", "[cli][golden]") {
    // An empty folder: the golden file holds the catalog, not the scenarios of the day.
    const auto empty = test::temp_dir("list_empty");
    auto r = faultline_cli("list --scenarios " + empty.string());
    REQUIRE(r.exit_code == 0);
    const std::string shown = r.output.replace(r.output.find(empty.string()), empty.string().size(), "EMPTY");
    test::check_golden("list.txt", shown);
}

TEST_CASE("cli: list --scenarios naming a missing folder or a file exits 2 and says so", "[cli]") {
    auto missing = faultline_cli("list --scenarios /nonexistent/scenarios");
    REQUIRE(missing.exit_code == 2);
    REQUIRE_THAT(missing.output, Catch::Contains("no such folder"));
    auto file = faultline_cli("list --scenarios README.md");
    REQUIRE(file.exit_code == 2);
    REQUIRE_THAT(file.output, Catch::Contains("is not a folder"));
}

TEST_CASE("cli: a sweep killed with SIGKILL keeps every finished seed and --resume completes it", "[cli][sweep]") {
    auto dir = test::temp_dir("sweep_kill");
    std::string db = (dir / "sweep.db").string();
    std::string whole = (dir / "whole.db").string();
    std::string cmd = fmt::format("cd {} && exec {} sweep {} --seeds 1..150 --jobs 1 --db {} > /dev/null 2>&1",
                                  FAULTLINE_SOURCE_DIR, FAULTLINE_CLI_PATH, raft_nemesis, db);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait until some seeds are committed, then kill -9 mid-sweep.
    std::size_t seen = 0;
    for (int i = 0; i < 400 && seen < 10; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        auto s = store::RunStore::open(db, store::OpenOptions{.read_only = true, .create = false, .quick_check = false});
        if (!s.ok()) continue;
        auto ids = s.value().list_sweeps();
        if (!ids.ok() || ids.value().empty()) continue;
        auto rows = s.value().sweep_results(ids.value().back());
        if (rows.ok()) seen = rows.value().size();
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(seen >= 1);
    auto partial = results_of(db);
    INFO("killed after " << partial.size() << " seeds");
    auto resumed = faultline_cli(fmt::format("sweep {} --seeds 1..150 --jobs 2 --db {} --resume", raft_nemesis, db));
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 0);
    auto uninterrupted = faultline_cli(fmt::format("sweep {} --seeds 1..150 --jobs 2 --db {}", raft_nemesis, whole));
    REQUIRE(uninterrupted.exit_code == 0);
    auto a = results_of(db);
    auto b = results_of(whole);
    REQUIRE(a.size() == 150);
    REQUIRE(b.size() == 150);
    for (std::size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].seed == b[i].seed);
        REQUIRE(a[i].trace_hash == b[i].trace_hash);
        REQUIRE(a[i].status == b[i].status);
    }
}

TEST_CASE("cli: three shards merged equal one unsharded sweep", "[cli][sweep]") {
    auto dir = test::temp_dir("shards");
    std::vector<std::string> shards;
    for (int k = 0; k < 3; ++k) {
        shards.push_back((dir / fmt::format("shard{}.db", k)).string());
        auto r = faultline_cli(fmt::format("sweep {} --seeds 1..60 --shard {}/3 --jobs 1 --db {}", raft_nemesis, k, shards.back()));
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        REQUIRE(results_of(shards.back()).size() == 20);
    }
    std::string merged = (dir / "merged.db").string();
    auto m = faultline_cli(fmt::format("merge {} {} {} --into {}", shards[0], shards[1], shards[2], merged));
    INFO(m.output);
    REQUIRE(m.exit_code == 0);
    std::string whole = (dir / "whole.db").string();
    REQUIRE(faultline_cli(fmt::format("sweep {} --seeds 1..60 --jobs 2 --db {}", raft_nemesis, whole)).exit_code == 0);
    auto a = results_of(merged);
    auto b = results_of(whole);
    REQUIRE(a.size() == 60);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i].seed == b[i].seed);
        REQUIRE(a[i].trace_hash == b[i].trace_hash);
        REQUIRE(a[i].verdicts == b[i].verdicts);
    }
    // Merging an incomplete set says so.
    auto partial = faultline_cli(fmt::format("merge {} --into {}", shards[0], (dir / "partial.db").string()));
    REQUIRE(partial.exit_code == 1);
    REQUIRE(partial.output.find("INCOMPLETE") != std::string::npos);
}

TEST_CASE("cli: show of a stored run is golden, apart from its build and wall-clock line", "[cli][golden]") {
    auto dir = test::temp_dir("show_golden");
    std::string db = (dir / "runs.db").string();
    REQUIRE(faultline_cli(fmt::format("run {} --db {} --no-store", raft_nemesis, db)).exit_code == 0);
    REQUIRE(faultline_cli(fmt::format("run {} --db {}", raft_nemesis, db)).exit_code == 0);
    auto show = faultline_cli(fmt::format("show 1 --db {} --events --limit 40", db));
    REQUIRE(show.exit_code == 0);
    // Line 2 holds the build id, when the run was written and its wall time: not deterministic.
    std::string stable;
    std::istringstream lines(show.output);
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n)
        if (n != 2) stable += line + "\n";
    test::check_golden("show_raft_nemesis.txt", stable);
}

TEST_CASE("cli: show of a failing run says what failed: the checker's explanation", "[cli]") {
    auto dir = test::temp_dir("show_failure");
    std::string db = (dir / "runs.db").string();
    std::string planted = std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/tutorial/register_partition.toml";
    REQUIRE(faultline_cli(fmt::format("run {} --seed 4 --db {}", planted, db)).exit_code == 1);
    auto show = faultline_cli(fmt::format("show 1 --db {}", db));
    REQUIRE(show.exit_code == 0);
    CHECK(show.output.find("NOT linearizable") != std::string::npos);
    CHECK(show.output.find("Culprit:") != std::string::npos);
    CHECK(show.output.find("Minimal failing window") != std::string::npos);
}

// A scenario without [scenario] name is named after its file; its stored runs are too. Replay
// and shrink parse the stored text again and must give it back that name, or replay cannot
// find the run's system ("which the scenario no longer has") and shrink misnames its result.
TEST_CASE("cli: replay and shrink of a stored run whose scenario has no name", "[cli][replay]") {
    auto dir = test::temp_dir("unnamed_replay");
    std::string db = (dir / "runs.db").string();
    const std::string unnamed = "scenarios/tutorial/register_partition.toml";  // no [scenario] name
    auto sweep = faultline_cli(fmt::format("sweep {} --seeds 4..4 --db {}", unnamed, db));
    INFO(sweep.output);
    REQUIRE(sweep.exit_code == 1);  // seed 4 fails: the tutorial's bug
    auto replay = faultline_cli(fmt::format("replay 1 --db {}", db));
    INFO(replay.output);
    REQUIRE(replay.exit_code == 0);
    REQUIRE(replay.output.find("replay of run 1 (seed 4): identical") != std::string::npos);
    std::string out = (dir / "min.toml").string();
    auto shrink = faultline_cli(fmt::format("shrink 1 --db {} -o {} --max-runs 5", db, out));
    INFO(shrink.output);
    REQUIRE(shrink.exit_code == 0);
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE(text.str().find("name = \"register_partition-shrunk\"") != std::string::npos);
}

TEST_CASE("cli: the commands run and sweep suggest name the store the user gave, and work as printed", "[cli]") {
    const auto dir = test::temp_dir("hint_db");
    const std::string db = (dir / "mine.db").string();
    auto run = faultline_cli("run scenarios/tutorial/register_partition.toml --seed 4 --db " + db);
    REQUIRE(run.exit_code == 1);
    REQUIRE_THAT(run.output, Catch::Contains("show: faultline show 1 --db " + db + ", view: faultline view 1 --db " + db));
    auto shown = faultline_cli("show 1 --db " + db);  // the hint, copied
    REQUIRE(shown.exit_code == 0);
    auto sweep = faultline_cli("sweep scenarios/tutorial/register_partition.toml --seeds 4..4 --db " + db);
    REQUIRE(sweep.exit_code == 1);
    REQUIRE_THAT(sweep.output, Catch::Contains("faultline view 2 --db " + db + "   (or: show 2 --db " + db));
}

TEST_CASE("cli: run --json's top-level trace_hash covers every system, as a sweep row's does", "[cli]") {
    const auto dir = test::temp_dir("json_hash");
    auto r = faultline_cli(fmt::format("run {} --json --db {}", flagship, (dir / "h.db").string()));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(test::json_text(r.output));
    REQUIRE(j["systems"].size() == 3);
    // RunOutcome::trace_hash, the hash `sweep` records per seed: h = h * FNV prime ^ system hash.
    uint64_t combined = 0;
    for (const auto& s : j["systems"]) combined = combined * 0x100000001b3ull ^ std::stoull(s["trace_hash"].get<std::string>(), nullptr, 16);
    REQUIRE(j["trace_hash"] == fmt::format("{:016x}", combined));
    REQUIRE(j["trace_hash"] != j["systems"][0]["trace_hash"]);
}

TEST_CASE("cli: faultline loads no GUI library, only faultline-view does", "[cli]") {
    // Every command but the viewer's window would pay their start-up (GLFW, OpenGL, X11).
    auto needed = test::run_shell(fmt::format("readelf -d {} | grep NEEDED", FAULTLINE_CLI_PATH));
    REQUIRE(needed.exit_code == 0);
    CHECK(needed.output.find("libsqlite3") != std::string::npos);  // the listing is real
    for (const char* gui : {"glfw", "libGL", "libOpenGL", "libX11"}) {
        INFO(gui);
        CHECK(needed.output.find(gui) == std::string::npos);
    }
}

TEST_CASE("cli: a sweep of a planted bug says which seeds did not reproduce it, apart from failures", "[cli][sweep][aim]") {
    // Seeds 1..3 of the vote-without-persisting scenario run clean on the buggy system: the
    // expectation of a violation is not met, and nothing else broke.
    const auto db = test::unique_temp_path("not_reproduced.db");
    const test::CliResult table = test::faultline_cli(
        fmt::format("sweep scenarios/raft/planted_vote_without_persisting.toml --seeds 1..3 --db {}", db.string()));
    INFO(table.output);
    REQUIRE(table.exit_code == 1);
    REQUIRE(table.output.find("3 failing (3 of them: bug not reproduced)") != std::string::npos);
    REQUIRE(table.output.find("bug not reproduced (buggy: invariants_hold)") != std::string::npos);
    std::filesystem::remove(db);
    const test::CliResult json = test::faultline_cli(
        fmt::format("sweep scenarios/raft/planted_vote_without_persisting.toml --seeds 1..3 --db {} --json", db.string()));
    const auto j = nlohmann::json::parse(test::json_text(json.output));
    REQUIRE(j["failures"].size() == 3);
    for (const auto& f : j["failures"]) {
        REQUIRE(f["kind"] == "bug_not_reproduced");
        REQUIRE(f["not_reproduced"] == nlohmann::json::array({"buggy: invariants_hold"}));
    }
    std::filesystem::remove(db);
}

TEST_CASE("cli: list names every protocol's buggify sites, in text and in --json", "[cli][buggify]") {
    const auto text = faultline_cli("list");
    REQUIRE(text.exit_code == 0);
    REQUIRE(text.output.find("raft.crash_after_vote") != std::string::npos);
    REQUIRE(text.output.find("primary_backup.crash_after_ack") != std::string::npos);
    const auto json = faultline_cli("list --json");
    REQUIRE(json.exit_code == 0);
    const auto j = nlohmann::json::parse(test::json_text(json.output));
    bool found = false;
    for (const auto& p : j["protocols"])
        if (p["name"] == "raft")
            for (const auto& site : p["buggify_sites"]) found |= site["name"] == "raft.crash_after_vote" && !site["what"].get<std::string>().empty();
    REQUIRE(found);
}
