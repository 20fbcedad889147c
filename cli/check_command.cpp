// faultline check FILE --model M: the linearizability checker for recorded histories, ours or
// Jepsen's. Exit codes, those of every command: 0 ok, 1 violation, 2 input error, 4 unknown
// (budget spent).
#include "cli/common.h"

#include "check/report.h"

#include <iostream>

namespace faultline::cli {

// The checker library names the same codes for its reports (check/report.h).
static_assert(check::exit_ok == exit_ok && check::exit_violation == exit_failed);
static_assert(check::exit_input_error == exit_input && check::exit_unknown == exit_unknown);

namespace {
struct CheckArgs {
    std::string file;
    std::string model = "kv";
    std::string format;
    uint64_t steps_max = check::Budget{}.steps_max;
    uint64_t memory_mb_max = check::Budget{}.memory_bytes_max >> 20;
    bool json = false;
};

int do_check(const CheckArgs& a) {
    check::Budget budget;
    budget.steps_max = a.steps_max;
    budget.memory_bytes_max = a.memory_mb_max << 20;
    std::optional<check::HistoryFormat> format;
    if (a.format == "faultline-json") format = check::HistoryFormat::faultline_json;
    if (a.format == "jepsen-edn") format = check::HistoryFormat::jepsen_edn;
    if (a.format == "jepsen-json") format = check::HistoryFormat::jepsen_json;
    auto report = check::check_history_file(a.file, a.model, budget, format);
    if (a.json) {
        std::cout << json_text(check::report_to_json(report)) << "\n";
    } else {
        std::cout << check::format_report(report);
    }
    return report.exit_code();
}
}  // namespace

Command add_check_command(CLI::App& app) {
    auto a = std::make_shared<CheckArgs>();
    auto* c = app.add_subcommand("check", "Check a recorded history for linearizability (ours or Jepsen's)");
    c->add_option("FILE", a->file, "History file: faultline JSON, Jepsen EDN or Jepsen JSON")->required();
    c->add_option("--model", a->model, "register, cas-register or kv")->check(CLI::IsMember({"register", "cas-register", "kv"}));
    c->add_option("--format", a->format, "faultline-json, jepsen-edn or jepsen-json (default: detect)")
        ->check(CLI::IsMember({"faultline-json", "jepsen-edn", "jepsen-json"}));
    c->add_option("--steps-max", a->steps_max, "Search budget in steps (the verdict is unknown past it)")
        ->transform(whole_number(1, std::numeric_limits<uint64_t>::max()));
    // At most 1 TiB: the budget is kept in bytes, and larger values would overflow.
    c->add_option("--memory-mb-max", a->memory_mb_max, "Search budget in memory (MiB)")
        ->transform(whole_number(1, 1 << 20));
    c->add_flag("--json", a->json, "Print the report as JSON");
    return {c, [a] { return do_check(*a); }};
}

}  // namespace faultline::cli
