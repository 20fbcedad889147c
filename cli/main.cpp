// faultline: the command-line entry point. It parses arguments and calls library functions that
// the tests and the visualizer call too.
//
// Exit codes: 0 ok, 1 a check failed or an expectation was not met, 2 usage or input error,
// 3 internal error.
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
    return 2;
}
