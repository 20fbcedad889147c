// faultline: the command-line entry point. It parses arguments and calls library functions that
// the tests and the visualizer call too.
//
// Exit codes: 0 ok, 1 a check failed or an expectation was not met, 2 usage or input error,
// 3 internal error. One exception, fixed by the issue that asked for it: `faultline check` exits
// 0 ok, 1 violation, 2 unknown (budget spent), and 3 for an input error in the history file.
#include "sim/check/report.h"
#include "sim/demo/demo.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"faultline: a deterministic distributed-systems simulator"};
    app.require_subcommand(1);

    auto* demo = app.add_subcommand("demo", "Run the kernel demo: a gossiping store under every kind of fault");
    uint64_t seed = 1;
    bool json = false;
    bool no_faults = false;
    int64_t duration_ms = 10'000;
    demo->add_option("--seed", seed, "Run seed (the same seed replays the same run)");
    demo->add_option("--duration-ms", duration_ms, "Virtual time to simulate, in milliseconds")->check(CLI::Range(1, 3'600'000));
    demo->add_flag("--no-faults", no_faults, "Run without the nemesis and buggify");
    demo->add_flag("--json", json, "Print the result as JSON");

    auto* check = app.add_subcommand("check", "Check a recorded history for linearizability (ours or Jepsen's)");
    std::string history_file;
    std::string model = "kv";
    std::string format_name;
    uint64_t steps_max = faultline::check::Budget{}.steps_max;
    uint64_t memory_mb_max = faultline::check::Budget{}.memory_bytes_max >> 20;
    check->add_option("FILE", history_file, "History file: faultline JSON, Jepsen EDN or Jepsen JSON")->required();
    check->add_option("--model", model, "register, cas-register or kv")->check(CLI::IsMember({"register", "cas-register", "kv"}));
    check->add_option("--format", format_name, "faultline-json, jepsen-edn or jepsen-json (default: detect)")
        ->check(CLI::IsMember({"faultline-json", "jepsen-edn", "jepsen-json"}));
    check->add_option("--steps-max", steps_max, "Search budget in steps (the verdict is unknown past it)");
    check->add_option("--memory-mb-max", memory_mb_max, "Search budget in memory (MiB)");
    bool check_json = false;
    check->add_flag("--json", check_json, "Print the report as JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    if (*demo) {
        faultline::demo::DemoOptions o;
        o.seed = seed;
        o.duration = faultline::milliseconds(duration_ms);
        o.faults = !no_faults;
        o.trace_level = faultline::TraceLevel::events;
        auto r = faultline::demo::run_demo(o);
        if (json) {
            nlohmann::json j = {{"seed", r.seed},
                                {"trace_hash", fmt::format("{:016x}", r.trace_hash)},
                                {"events", r.events},
                                {"messages_sent", r.messages_sent},
                                {"messages_delivered", r.messages_delivered},
                                {"messages_dropped", r.messages_dropped},
                                {"ops_ok", r.ops_ok},
                                {"ops_info", r.ops_info},
                                {"faults", r.faults}};
            std::cout << j.dump(2) << "\n";
        } else {
            std::cout << r.summary;
        }
        return 0;
    }
    if (*check) {
        namespace fc = faultline::check;
        fc::Budget budget;
        budget.steps_max = steps_max;
        budget.memory_bytes_max = memory_mb_max << 20;
        std::optional<fc::HistoryFormat> format;
        if (format_name == "faultline-json") format = fc::HistoryFormat::faultline_json;
        if (format_name == "jepsen-edn") format = fc::HistoryFormat::jepsen_edn;
        if (format_name == "jepsen-json") format = fc::HistoryFormat::jepsen_json;
        auto report = fc::check_history_file(history_file, model, budget, format);
        if (check_json) {
            std::cout << fc::report_to_json(report).dump(2) << "\n";
        } else {
            std::cout << fc::format_report(report);
        }
        return report.exit_code();
    }
    return 2;
}
