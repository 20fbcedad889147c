// faultline demo: the kernel demo, a gossiping store under every kind of fault.
#include "cli/common.h"

#include "sim/demo/demo.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace faultline::cli {

namespace {
struct DemoArgs {
    uint64_t seed = 1;
    bool json = false;
    bool no_faults = false;
    int64_t duration_ms = 10'000;
};

int do_demo(const DemoArgs& a) {
    demo::DemoOptions o;
    o.seed = a.seed;
    o.duration = milliseconds(a.duration_ms);
    o.faults = !a.no_faults;
    o.trace_level = TraceLevel::events;
    auto r = demo::run_demo(o);
    if (a.json) {
        nlohmann::ordered_json j = {{"seed", r.seed},
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
    return exit_ok;
}
}  // namespace

Command add_demo_command(CLI::App& app) {
    auto a = std::make_shared<DemoArgs>();
    auto* c = app.add_subcommand("demo", "Run the kernel demo: a gossiping store under every kind of fault");
    c->add_option("--seed", a->seed, "Run seed (the same seed replays the same run)");
    c->add_option("--duration-ms", a->duration_ms, "Virtual time to simulate, in milliseconds")->check(CLI::Range(1, 3'600'000));
    c->add_flag("--no-faults", a->no_faults, "Run without the nemesis and buggify");
    c->add_flag("--json", a->json, "Print the result as JSON");
    return {c, [a] { return do_demo(*a); }};
}

}  // namespace faultline::cli
