// The CAP suite (runner/cap.h, `faultline cap`): its table says what each design did, checked
// against what the designs are known to do, and the command handles its arguments.
#include "runner/cap.h"
#include "tests/runner/cli_support.h"
#include "tests/runner/scenario_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace faultline;

namespace {

const runner::CapRow& row(const runner::CapReport& r, const std::string& system) {
    for (const auto& x : r.rows)
        if (x.system == system) return x;
    FAIL("no row " << system);
    return r.rows.front();
}

double value(const runner::CapReport& r, const std::string& system, const std::string& column) {
    const auto& cell = row(r, system).cells.at(column);
    INFO(system << " " << column);
    REQUIRE(cell.value.has_value());
    return *cell.value;
}

const runner::CapReport& suite() {
    static const runner::CapReport report = [] {
        runner::CapOptions o;
        o.seed_first = 1;
        o.seed_last = 10;
        o.jobs = 2;
        return runner::run_cap_suite(test::load_scenario("scenarios/cap/partition.toml"),
                                     test::load_scenario("scenarios/cap/pacelc.toml"), o);
    }();
    return report;
}

}  // namespace

TEST_CASE("cap: the table shows each design's side of the trade-off", "[cap]") {
    const runner::CapReport& r = suite();
    REQUIRE(r.rows.size() == 7);
    REQUIRE(r.internal_errors == 0);
    REQUIRE(r.expectations_unmet == 0);
    // CP: the minority side gets (almost) nothing done, and nothing inconsistent happens.
    for (const char* cp : {"raft", "fenced", "abd"}) {
        REQUIRE(value(r, cp, "availability_minority") < 0.2);
        REQUIRE(row(r, cp).linearizable_violation == 0);
        REQUIRE(value(r, cp, "stale_reads") == 0);
        REQUIRE(value(r, cp, "lost_writes") == 0);
    }
    REQUIRE(value(r, "raft", "availability_majority") > 0.9);  // the majority elects and carries on
    REQUIRE(value(r, "abd", "availability_majority") > 0.9);   // with no election at all
    // AP by design, or by bug: both sides served, consistency gone.
    REQUIRE(value(r, "dynamo_sloppy", "availability_minority") > 0.95);
    REQUIRE(value(r, "naive", "availability_minority") > 0.95);
    REQUIRE(row(r, "dynamo_sloppy").linearizable_violation == 10);
    REQUIRE(row(r, "naive").linearizable_violation == 10);
    REQUIRE(value(r, "dynamo_sloppy", "stale_reads") > 0);
    REQUIRE(value(r, "naive", "stale_reads") > 0);
    REQUIRE(value(r, "dynamo_quorum", "stale_reads") == 0);  // R + W > N
    REQUIRE(value(r, "dynamo_sloppy", "concurrent_versions") > 0);
    // Goodput: the sloppy store keeps serving through the partition, fenced primary-backup stops.
    REQUIRE(value(r, "dynamo_sloppy", "goodput_during") > 3 * value(r, "dynamo_quorum", "goodput_during"));
    REQUIRE(value(r, "fenced", "goodput_during") < 1);
    // Convergence is measured where it is promised, and not for ABD.
    REQUIRE(row(r, "dynamo_sloppy").cells.at("convergence_ms").value.has_value());
    REQUIRE_FALSE(row(r, "abd").cells.at("convergence_ms").value.has_value());
    // PACELC: one round trip against two when nothing is wrong.
    REQUIRE(value(r, "dynamo_sloppy", "latency_p50_ms") < value(r, "raft", "latency_p50_ms"));
    // Every cell names the seed that shows it.
    for (const auto& x : r.rows)
        for (const auto& [key, cell] : x.cells)
            if (cell.value) REQUIRE((cell.seed >= 1 && cell.seed <= 10));
}

TEST_CASE("cap: the same seeds give the same table, whatever the number of threads", "[cap]") {
    runner::CapOptions o;
    o.seed_first = 1;
    o.seed_last = 10;
    o.jobs = 1;
    const auto one = runner::run_cap_suite(test::load_scenario("scenarios/cap/partition.toml"),
                                           test::load_scenario("scenarios/cap/pacelc.toml"), o);
    REQUIRE(runner::cap_json(one) == runner::cap_json(suite()));
    REQUIRE(runner::cap_table(one) == runner::cap_table(suite()));
}

TEST_CASE("cap: the chart draws every system, its partition window and the trade-off plot", "[cap]") {
    const std::string svg = runner::cap_svg(suite());
    REQUIRE(svg.rfind("<svg", 0) == 0);
    for (const auto& x : suite().rows) REQUIRE(svg.find(">" + x.system + "<") != std::string::npos);
    REQUIRE(svg.find("#e4e4e4") != std::string::npos);  // the partition window
    REQUIRE(svg.find("<circle") != std::string::npos);  // the availability-consistency points
}

TEST_CASE("cli: cap prints the table, stores the runs its cells name, and writes JSON and SVG", "[cli][cap]") {
    const auto dir = test::temp_dir("cap_cli");
    const std::string db = (dir / "cap.db").string(), svg = (dir / "cap.svg").string();
    auto r = test::faultline_cli("cap --seeds 1..3 --db " + db + " --svg " + svg + " --json");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
    REQUIRE(j["systems"].size() == 7);
    const auto run_id = j["systems"][0]["columns"]["availability_minority"]["run_id"];
    REQUIRE(run_id.is_number());
    auto shown = test::faultline_cli(fmt::format("show {} --db {}", run_id.get<int64_t>(), db));
    REQUIRE(shown.exit_code == 0);
    REQUIRE(shown.output.find("cap-partition/raft") != std::string::npos);
    REQUIRE(std::filesystem::file_size(svg) > 1000);
}

TEST_CASE("cli: cap refuses bad arguments with exit 2 and a clear message", "[cli][cap]") {
    for (const std::string args : {"--seeds 5..1", "--seeds x", "--seeds -1..3", "--seeds 1..99999999999999999999999",
                                   "--seeds 1..20000", "--partition /nonexistent.toml", "--seeds '\xff\xfe'",
                                   "--jobs -3", "--bogus"}) {
        auto r = test::faultline_cli("cap --no-store " + args);
        INFO(args << "\n" << r.output);
        REQUIRE(r.exit_code == 2);
        REQUIRE_FALSE(r.output.empty());  // a message: ours names the argument, CLI11's the option
    }
}
