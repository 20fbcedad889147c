// faultline check FILE... --model M: the linearizability checker for recorded histories, ours or
// Jepsen's. Exit codes, those of every command: 0 ok, 1 violation, 2 input error, 4 unknown
// (budget spent). Several files are checked one after the other in one process (no start-up per
// history); the exit code is then the most telling of theirs: 1 if any file shows a violation,
// else 2 if any could not be read, else 4 if any is undecided, else 0.
#include "cli/common.h"

#include "check/report.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <vector>

namespace faultline::cli {

// The checker library names the same codes for its reports (check/report.h).
static_assert(check::exit_ok == exit_ok && check::exit_violation == exit_failed);
static_assert(check::exit_input_error == exit_input && check::exit_unknown == exit_unknown);

namespace {
struct CheckArgs {
    std::vector<std::string> files;
    std::string model = "kv";
    std::string format;
    uint64_t steps_max = check::Budget{}.steps_max;
    uint64_t memory_mb_max = check::Budget{}.memory_bytes_max >> 20;
    std::vector<std::string> without;  // shortcuts turned off: "append-order", "register-zones"
    bool json = false;
};

int do_check(const CheckArgs& a) {
    check::Budget budget;
    budget.steps_max = a.steps_max;
    budget.memory_bytes_max = a.memory_mb_max << 20;
    for (const std::string& shortcut : a.without) {
        if (shortcut == "append-order") budget.append_order = false;
        if (shortcut == "register-zones") budget.register_zones = false;
    }
    std::optional<check::HistoryFormat> format;
    if (a.format == "faultline-json") format = check::HistoryFormat::faultline_json;
    if (a.format == "jepsen-edn") format = check::HistoryFormat::jepsen_edn;
    if (a.format == "jepsen-json") format = check::HistoryFormat::jepsen_json;
    std::vector<check::CheckReport> reports;
    for (const std::string& file : a.files) reports.push_back(check::check_history_file(file, a.model, budget, format));
    if (reports.size() == 1) {
        std::cout << (a.json ? json_text(check::report_to_json(reports.front())) + "\n" : check::format_report(reports.front()));
        return reports.front().exit_code();
    }
    std::map<int, int> files_by_code;
    for (const auto& r : reports) ++files_by_code[r.exit_code()];
    int code = exit_ok;
    for (int c : {exit_failed, exit_input, exit_unknown}) {
        if (files_by_code.count(c)) {
            code = c;
            break;
        }
    }
    const int ok = files_by_code[exit_ok], violation = files_by_code[exit_failed], unreadable = files_by_code[exit_input],
              unknown = files_by_code[exit_unknown];
    if (a.json) {
        nlohmann::ordered_json j;
        j["files"] = nlohmann::ordered_json::array();
        for (const auto& r : reports) j["files"].push_back(check::report_to_json(r));
        j["counts"] = {{"ok", ok}, {"violation", violation}, {"input_error", unreadable}, {"unknown", unknown}};
        j["exit_code"] = code;
        std::cout << json_text(std::move(j)) << "\n";
        return code;
    }
    for (const auto& r : reports) std::cout << check::format_report(r) << "\n";
    std::cout << fmt::format("{} files: {} ok, {} violation, {} not readable, {} unknown\n", reports.size(), ok, violation,
                             unreadable, unknown);
    return code;
}
}  // namespace

Command add_check_command(CLI::App& app) {
    auto a = std::make_shared<CheckArgs>();
    auto* c = app.add_subcommand("check", "Check a recorded history for linearizability (ours or Jepsen's)");
    c->add_option("FILE", a->files, "History files: faultline JSON, Jepsen EDN or Jepsen JSON (several: each checked in turn)")
        ->required();
    c->add_option("--model", a->model, "register, cas-register or kv")->check(CLI::IsMember({"register", "cas-register", "kv"}));
    c->add_option("--format", a->format, "faultline-json, jepsen-edn or jepsen-json (default: detect)")
        ->check(CLI::IsMember({"faultline-json", "jepsen-edn", "jepsen-json"}));
    c->add_option("--steps-max", a->steps_max, "Search budget in steps (the verdict is unknown past it)")
        ->transform(whole_number(1, std::numeric_limits<uint64_t>::max()));
    // At most 1 TiB: the budget is kept in bytes, and larger values would overflow.
    c->add_option("--memory-mb-max", a->memory_mb_max, "Search budget in memory (MiB)")
        ->transform(whole_number(1, 1 << 20));
    c->add_option("--without", a->without,
                  "Turn a shortcut of the search off, to measure or cross-check the plain search: append-order, register-zones "
                  "(repeatable)")
        ->check(CLI::IsMember({"append-order", "register-zones"}))
        ->allow_extra_args(false);
    c->add_flag("--json", a->json, "Print the report as JSON");
    return {c, [a] { return do_check(*a); }};
}

}  // namespace faultline::cli
