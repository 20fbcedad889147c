// Shared by the run store tests: a temporary directory that cleans up after itself, and a real
// kernel run (two nodes exchanging messages, a crash and a restart) turned into a RunRecord with
// every part a record can hold.
#pragma once

#include "tests/temp_path.h"
#include "sim/faults/fault.h"
#include "store/run_record.h"
#include "store/run_store.h"
#include "sim/world.h"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

// REQUIRE(result.ok()), printing the store's error when it is not.
#define REQUIRE_OK(result)                                                          \
    do {                                                                            \
        const auto& require_ok_result_ = (result);                                  \
        INFO((require_ok_result_.ok() ? std::string() : require_ok_result_.error().describe())); \
        REQUIRE(require_ok_result_.ok());                                           \
    } while (0)

namespace faultline::store::test {

// A fresh directory under the system temp directory, removed with everything in it at scope end.
class TempDir {
public:
    TempDir() {
        path_ = faultline::test::unique_temp_path("store_test");
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Copies what a finished World knows into `record`: node names, the trace's names and events,
// its hash, level and size, and the virtual duration (the World's current time).
inline void take_trace(RunRecord& record, const World& world) {
    const Trace& trace = world.trace();
    record.node_names = world.node_names();
    record.names = trace.names();
    record.events = trace.events().to_vector();
    record.trace_hash = trace.hash();
    record.trace_level = trace.level();
    record.event_count = trace.size();
    record.virtual_duration_ns = world.now().ns();
}

// A fault schedule as text lines, in schedule order (as the runner stores them).
inline std::vector<FaultLine> fault_lines(const faults::FaultSchedule& schedule, const std::vector<std::string>& node_names) {
    std::vector<FaultLine> lines;
    for (const auto& f : schedule)
        lines.push_back({f.at.ns(), std::string(faults::kind_name(f.fault)), faults::describe(f.fault, node_names)});
    return lines;
}

struct Ping {
    static constexpr std::string_view type_name = "ping";
    int64_t n = 0;
    std::string describe() const { return "ping " + std::to_string(n); }
};

// Answers every ping, annotates its role, and keeps a heartbeat timer.
class PingServer final : public Process {
public:
    void on_start(Context& ctx) override {
        ctx.annotate("role", "server");
        ctx.set_timer(milliseconds(7), 1);
    }
    void on_message(Context& ctx, const Envelope& m) override { ctx.reply(m, Ping{m.get<Ping>().n + 100}); }
    void on_timer(Context& ctx, TimerId, uint64_t tag) override {
        ctx.log("heartbeat");
        ctx.set_timer(milliseconds(7), tag);
    }
};

// A kernel run at trace level `full`: client c1 calls server s1 ten times, 5 ms apart; s1
// crashes at 12 ms and restarts at 30 ms, so some calls time out (dropped messages, late
// replies), and client operations complete ok or info.
inline RunRecord make_kernel_run(uint64_t seed) {
    WorldOptions options;
    options.seed = seed;
    options.trace_level = TraceLevel::full;
    World world(options);
    NodeId server = world.add_node("s1", [] { return std::make_unique<PingServer>(); });
    world.add_node("c1", fiber_process([server](Context& ctx) {
        for (int64_t i = 0; i < 10; ++i) {
            uint64_t op = ctx.client_invoke("ping " + std::to_string(i));
            auto reply = ctx.call(server, Ping{i}, milliseconds(4));
            ctx.client_complete(op, reply ? ClientOutcome::ok : ClientOutcome::info, reply ? "pong" : "timeout");
            ctx.sleep(milliseconds(5));
        }
    }));
    faults::FaultSchedule schedule{{Instant::from_ns(12'000'000), faults::Crash{server}},
                                   {Instant::from_ns(30'000'000), faults::Restart{server}}};
    faults::schedule(world, schedule);
    world.run(RunLimits{.until = Instant::from_ns(100'000'000)});

    RunRecord r;
    r.scenario_name = "store/ping_crash";
    r.scenario_text = "# ping with a crash\n[scenario]\nversion = 1\nduration_ms = 100\n";
    r.scenario_hash = "9f86d081884c7d65";
    r.seed = seed;
    r.build_id = "test-build-0.1.0";
    r.wall_time_ms = 3;
    take_trace(r, world);
    r.faults = fault_lines(schedule, r.node_names);
    // A history with every optional field exercised: absent and present values, a cas with its
    // expected value and swap result, and an info completion.
    using check::EventType;
    using check::Function;
    r.history.events = {
        {0, 1'000, 0, EventType::invoke, Function::put, "x", std::string("1"), std::nullopt, std::nullopt},
        {1, 2'000, 0, EventType::ok, Function::put, "x", std::nullopt, std::nullopt, std::nullopt},
        {2, 3'000, 1, EventType::invoke, Function::cas, "x", std::string("2"), std::string("1"), std::nullopt},
        {3, 4'000, 1, EventType::ok, Function::cas, "x", std::nullopt, std::nullopt, true},
        {4, 5'000, 0, EventType::invoke, Function::get, "y", std::nullopt, std::nullopt, std::nullopt},
        {5, 6'000, 0, EventType::ok, Function::get, "y", std::string(""), std::nullopt, std::nullopt},
        {6, 7'000, 1, EventType::invoke, Function::append, "z", std::string("a"), std::nullopt, std::nullopt},
        {7, 8'000, 1, EventType::info, Function::append, "z", std::nullopt, std::nullopt, std::nullopt},
    };
    r.checks = {
        {"linearizability", "ok", nlohmann::ordered_json{{"verdict", "ok"}, {"steps", 42}, {"keys", {"x", "y"}}}},
        {"convergence", "violation", nlohmann::ordered_json{{"diverged", {{"n1", 3}, {"n2", -1}}}, {"ratio", 0.125}}},
    };
    r.figures = {{"availability", 0.7}, {"ops_per_s", 1e9 / 3}, {"p99_ms", std::numeric_limits<double>::quiet_NaN()},
                 {"max", std::numeric_limits<double>::infinity()}};
    r.expectations = {{"linearizable", true, "ok"}, {"availability_min", false, "0.7 < 0.99"}};
    r.status = RunStatus::failed;
    return r;
}

inline OpenOptions read_only_options() {
    OpenOptions o;
    o.read_only = true;
    return o;
}

inline RunFilter filter(std::string scenario_contains, std::optional<RunStatus> status = std::nullopt, int limit = 100) {
    RunFilter f;
    f.scenario_contains = std::move(scenario_contains);
    f.status = status;
    f.limit = limit;
    return f;
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace faultline::store::test
