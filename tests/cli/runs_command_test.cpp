// faultline runs and faultline prune: what a store holds, and taking runs out of it.
#include "tests/runner/cli_support.h"

#include <nlohmann/json.hpp>

using namespace faultline;

namespace {

nlohmann::json runs_of(const std::string& db) {
    auto r = test::faultline_cli("runs --json --limit 1000 --db " + db);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(test::json_text(r.output));
}

std::vector<int64_t> ids_of(const nlohmann::json& j) {
    std::vector<int64_t> out;
    for (const auto& r : j["runs"]) out.push_back(r["run_id"].get<int64_t>());
    return out;
}

}  // namespace

TEST_CASE("runs and prune: list newest first, keep the newest, remove by status and by id, dry runs remove nothing",
          "[cli][store]") {
    const auto dir = test::temp_dir("runs_prune");
    const std::string db = (dir / "runs.db").string();
    // Seeds 1..12 of the tutorial's partition: some pass, some fail, each stored as a run.
    for (int seed = 1; seed <= 12; ++seed)
        REQUIRE(test::faultline_cli(fmt::format("run scenarios/tutorial/register_partition.toml --seed {} --db {}", seed, db))
                    .exit_code <= 1);
    auto all = runs_of(db);
    REQUIRE(ids_of(all) == std::vector<int64_t>{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
    REQUIRE(all["bytes"].get<uint64_t>() > 0);
    int passed = 0;
    for (const auto& r : all["runs"]) passed += r["status"] == "passed";
    REQUIRE(passed > 0);
    REQUIRE(passed < 12);

    auto table = test::faultline_cli("runs --limit 3 --db " + db);
    REQUIRE(table.exit_code == 0);
    REQUIRE_THAT(table.output, Catch::Contains("3 runs shown") && Catch::Contains("register_partition"));

    auto dry = test::faultline_cli("prune --keep 10 --dry-run --db " + db);
    REQUIRE(dry.exit_code == 0);
    REQUIRE_THAT(dry.output, Catch::Contains("would remove 2 runs"));
    REQUIRE(runs_of(db)["runs"].size() == 12);

    REQUIRE(test::faultline_cli("prune --keep 10 --db " + db).exit_code == 0);
    REQUIRE(ids_of(runs_of(db)) == std::vector<int64_t>{12, 11, 10, 9, 8, 7, 6, 5, 4, 3});

    REQUIRE(test::faultline_cli("prune --status passed --db " + db).exit_code == 0);
    const auto left = runs_of(db);  // named: a range-for over a part of a temporary reads freed memory
    for (const auto& r : left["runs"]) REQUIRE(r["status"] == "failed");

    const int64_t victim = ids_of(runs_of(db)).front();
    auto one = test::faultline_cli(fmt::format("prune --run {} --vacuum --json --db {}", victim, db));
    REQUIRE(one.exit_code == 0);
    const auto j = nlohmann::json::parse(test::json_text(one.output));
    REQUIRE(j["removed"] == std::vector<int64_t>{victim});
    REQUIRE(j["bytes_after"].get<uint64_t>() <= j["bytes_before"].get<uint64_t>());
    REQUIRE(test::faultline_cli(fmt::format("show {} --db {}", victim, db)).exit_code == 2);
    for (int64_t id : ids_of(runs_of(db))) REQUIRE(test::faultline_cli(fmt::format("show {} --db {}", id, db)).exit_code == 0);
}
