// `faultline replay RUN --until MS` checks the replayed events against the stored events up to MS.
// Method: store a run of the flagship scenario; replay it up to 1500 ms (the prefix must be equal);
// then tamper with one stored event inside that prefix, through SQLite and the event codec, and
// require the replay to report a determinism bug naming that event's index (exit 1); an event
// tampered after MS is outside the comparison. A copy of the run saved without its events (summary
// only) cannot be checked up to MS: the replay says so and compares the full trace hash.
#include "cli_support.h"

#include "store/event_codec.h"
#include "store/run_store.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace faultline;
using faultline::test::faultline_cli;

namespace {

const std::string flagship = "scenarios/replication/split_brain.toml";
constexpr int64_t until_ms = 1500;

// The stored events of `run_id` up to `until_ms` (what the replay compares).
uint64_t stored_prefix(const std::string& db, int64_t run_id) {
    auto store = store::RunStore::open(db);
    REQUIRE(store.ok());
    auto run = store.value().load_run(run_id, true);
    REQUIRE(run.ok());
    uint64_t n = 0;
    for (const auto& e : run.value().events) n += e.time <= Instant::zero() + milliseconds(until_ms);
    REQUIRE(n > 0);
    REQUIRE(n < run.value().event_count);
    return n;
}

// Adds 1000 to the Lamport time of stored event `index` of run `run_id`, rewriting its chunk.
void tamper_event(const std::string& db_path, int64_t run_id, uint64_t index) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* select = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT chunk, first_index, event_count, data FROM events WHERE run_id = ? AND "
                               "first_index <= ? AND ? < first_index + event_count",
                               -1, &select, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(select, 1, run_id);
    sqlite3_bind_int64(select, 2, static_cast<int64_t>(index));
    sqlite3_bind_int64(select, 3, static_cast<int64_t>(index));
    REQUIRE(sqlite3_step(select) == SQLITE_ROW);
    const int64_t chunk = sqlite3_column_int64(select, 0);
    const auto first = static_cast<uint64_t>(sqlite3_column_int64(select, 1));
    const auto count = static_cast<uint64_t>(sqlite3_column_int64(select, 2));
    std::string bytes(static_cast<const char*>(sqlite3_column_blob(select, 3)), static_cast<std::size_t>(sqlite3_column_bytes(select, 3)));
    sqlite3_finalize(select);

    std::vector<TraceEvent> events;
    REQUIRE_FALSE(store::decode_events(bytes, first, count, events).has_value());
    events[index - first].lamport += 1000;
    std::string encoded;
    store::encode_events(events, encoded);
    // Stored as a well-formed chunk without a checksum (as before schema version 3): what a build
    // that made different events would have stored, not damage, which the checksum would report.

    sqlite3_stmt* update = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "UPDATE events SET data = ?, checksum = NULL WHERE run_id = ? AND chunk = ?", -1, &update, nullptr) ==
            SQLITE_OK);
    sqlite3_bind_blob(update, 1, encoded.data(), static_cast<int>(encoded.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(update, 2, run_id);
    sqlite3_bind_int64(update, 3, chunk);
    REQUIRE(sqlite3_step(update) == SQLITE_DONE);
    sqlite3_finalize(update);
    sqlite3_close(db);
}

nlohmann::json json_of(const std::string& output) {
    auto start = output.find('{');
    REQUIRE(start != std::string::npos);
    return nlohmann::json::parse(output.substr(start));
}

}  // namespace

TEST_CASE("cli: replay --until compares the stored events up to that time and reports the first tampered one", "[cli][replay]") {
    auto dir = test::temp_dir("replay_until");
    const std::string db = (dir / "runs.db").string();
    auto run = faultline_cli(fmt::format("run {} --db {}", flagship, db));
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    const uint64_t prefix = stored_prefix(db, 1);

    // Untouched: equal up to the time.
    auto equal = faultline_cli(fmt::format("replay 1 --until {} --db {}", until_ms, db));
    INFO(equal.output);
    REQUIRE(equal.exit_code == 0);
    REQUIRE(equal.output.find(fmt::format("up to {} ms: identical, {} events equal the stored events", until_ms, prefix)) !=
            std::string::npos);
    auto equal_json = json_of(faultline_cli(fmt::format("replay 1 --until {} --db {} --json", until_ms, db)).output);
    REQUIRE(equal_json["compared"] == "prefix");
    REQUIRE(equal_json["identical"] == true);
    REQUIRE(equal_json["stored_events_compared"] == prefix);
    REQUIRE(equal_json["replayed_events"] == prefix);
    REQUIRE(equal_json["first_divergent_event"].is_null());

    // An event after the time is outside the comparison.
    tamper_event(db, 1, prefix + 5);
    REQUIRE(faultline_cli(fmt::format("replay 1 --until {} --db {}", until_ms, db)).exit_code == 0);

    // An event inside the prefix: a determinism bug at exactly that index.
    const uint64_t tampered = prefix / 2;
    tamper_event(db, 1, tampered);
    auto differ = faultline_cli(fmt::format("replay 1 --until {} --db {}", until_ms, db));
    INFO(differ.output);
    REQUIRE(differ.exit_code == 1);
    REQUIRE(differ.output.find("DIFFERENT from the stored events up to 1500 ms") != std::string::npos);
    REQUIRE(differ.output.find("this is a determinism bug") != std::string::npos);
    REQUIRE(differ.output.find(fmt::format("first divergent event #{}:", tampered)) != std::string::npos);
    auto differ_json = faultline_cli(fmt::format("replay 1 --until {} --db {} --json", until_ms, db));
    REQUIRE(differ_json.exit_code == 1);
    auto j = json_of(differ_json.output);
    REQUIRE(j["identical"] == false);
    REQUIRE(j["first_divergent_event"] == tampered);
}

TEST_CASE("cli: replay --until of a run stored without events compares the full trace hash and says so", "[cli][replay]") {
    auto dir = test::temp_dir("replay_until_summary");
    const std::string db = (dir / "runs.db").string();
    REQUIRE(faultline_cli(fmt::format("run {} --db {}", flagship, db)).exit_code == 0);
    int64_t summary_id = 0;
    {
        auto store = store::RunStore::open(db);
        REQUIRE(store.ok());
        auto run = store.value().load_run(1, true);
        REQUIRE(run.ok());
        auto id = store.value().save_run(run.value(), store::SaveMode::summary_only);
        REQUIRE(id.ok());
        summary_id = id.value();
    }
    auto r = faultline_cli(fmt::format("replay {} --until {} --db {}", summary_id, until_ms, db));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.find("keeps no events") != std::string::npos);
    REQUIRE(r.output.find("only the full trace hash can") != std::string::npos);
    REQUIRE(r.output.find("identical, trace hash") != std::string::npos);
    auto j = json_of(faultline_cli(fmt::format("replay {} --until {} --db {} --json", summary_id, until_ms, db)).output);
    REQUIRE(j["compared"] == "full_trace_hash");
    REQUIRE(j["identical"] == true);
}
