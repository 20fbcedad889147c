// CheckReport. See report.h.
#include "check/report.h"

#include <fmt/format.h>

#include <filesystem>

namespace faultline::check {

int CheckReport::exit_code() const {
    if (error) return exit_input_error;
    switch (result.verdict) {
        case Verdict::ok: return exit_ok;
        case Verdict::violation: return exit_violation;
        case Verdict::unknown: return exit_unknown;
    }
    return exit_unknown;
}

namespace {

void check_into(CheckReport& report, const History& history, const Budget& budget) {
    std::optional<Model> model = Model::by_name(report.model);
    if (!model) {
        report.error = InputError{"", 0, 0, fmt::format("unknown model \"{}\" (known: register, cas-register, kv)", report.model)};
        return;
    }
    Expected<std::vector<Operation>> ops = pair_operations(history);
    if (!ops.ok()) {
        report.error = ops.error();
        report.error->file = report.file;
        return;
    }
    if (std::optional<InputError> unsupported = find_unsupported_operation(ops.value(), *model)) {
        report.error = *unsupported;
        report.error->file = report.file;
        return;
    }
    report.operations = std::move(ops.value());
    report.result = check_operations(report.operations, *model, budget);
}

}  // namespace

CheckReport check_history_file(const std::string& path, std::string_view model_name, const Budget& budget,
                               std::optional<HistoryFormat> format) {
    CheckReport report;
    report.file = path;
    report.model = std::string(model_name);
    // Reading is bounded by the same memory budget as the search: the reader holds the file and
    // the tree of its forms, ~30 bytes of memory a byte of file (measured: a 15.6 MB Jepsen EDN
    // history peaked at 446 MB). A file that would not fit is not read: the verdict is unknown,
    // and the message says what --memory-mb-max would let it be read.
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (!ec && std::filesystem::is_regular_file(path, ec) && bytes > budget.memory_bytes_max / reading_bytes_per_file_byte) {
        report.result.verdict = Verdict::unknown;
        report.result.model = std::string(model_name);
        report.result.explanation = fmt::format(
            "Not read: reading a history of {} MB takes about {} MB of memory (~{} bytes a byte of file), over the "
            "memory budget of {} MB. Check it with --memory-mb-max {} or more.\n",
            bytes >> 20, (bytes * reading_bytes_per_file_byte) >> 20, reading_bytes_per_file_byte,
            budget.memory_bytes_max >> 20, ((bytes * reading_bytes_per_file_byte) >> 20) + 64);
        return report;
    }
    Expected<History> history = read_history_file(path, format);
    if (!history.ok()) {
        report.error = history.error();
        return report;
    }
    // An empty file (or an empty list) holds no history to judge: "ok" would pass a recorder that
    // wrote nothing.
    if (history.value().events.empty()) {
        report.error = InputError(path, 0, 0, "the file holds no operations: nothing to check");
        return report;
    }
    report.format = format;
    check_into(report, history.value(), budget);
    return report;
}

CheckReport check_history(const History& history, std::string_view model_name, const Budget& budget, std::string label) {
    CheckReport report;
    report.file = std::move(label);
    report.model = std::string(model_name);
    check_into(report, history, budget);
    return report;
}

std::string format_report(const CheckReport& report) {
    if (report.error) return fmt::format("error: {}\n", report.error->describe());
    const CheckResult& result = report.result;
    std::string out = fmt::format("{}: {} (model {}, {} operations, {} keys, {} steps, peak memory {} KiB)\n", report.file,
                                  to_string(result.verdict), result.model, result.operations, result.keys.size(),
                                  result.steps, result.memory_bytes_max / 1024);
    out += fmt::format("  {:<24} {:>9} {:>7} {:>10} {:>12} {:>10} {:>8}\n", "key", "verdict", "method", "ops", "steps",
                       "cache", "prefix");
    for (const KeyResult& key : result.keys) {
        out += fmt::format("  {:<24} {:>9} {:>7} {:>10} {:>12} {:>10} {:>8}\n", key.key, to_string(key.verdict),
                           to_string(key.method), key.operations, key.steps, key.cache_entries, key.longest_prefix);
    }
    out += result.explanation;
    return out;
}

namespace {

nlohmann::ordered_json op_json(const Operation& op) {
    nlohmann::ordered_json o;
    o["id"] = op.id;
    o["process"] = op.process;
    o["f"] = std::string(to_string(op.f));
    o["key"] = op.key;
    if (op.f != Function::get) o["value"] = op.value ? nlohmann::ordered_json(*op.value) : nlohmann::ordered_json(nullptr);
    if (op.f == Function::cas) o["expected"] = op.expected ? nlohmann::ordered_json(*op.expected) : nlohmann::ordered_json(nullptr);
    if (op.f == Function::get && op.output_known()) o["output"] = op.output ? nlohmann::ordered_json(*op.output) : nlohmann::ordered_json(nullptr);
    if (op.f == Function::cas && op.output_known()) o["swapped"] = op.cas_swapped;
    o["completion"] = std::string(to_string(op.completion));
    o["invoke_index"] = op.invoke_index;
    o["invoke_time_ns"] = op.invoke_time_ns;
    o["complete_index"] = op.complete_index == time_never ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(op.complete_index);
    o["complete_time_ns"] = op.complete_time_ns == time_never ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(op.complete_time_ns);
    o["text"] = describe_operation(op);
    return o;
}

}  // namespace

nlohmann::ordered_json report_to_json(const CheckReport& report) {
    nlohmann::ordered_json out;
    out["file"] = report.file;
    out["model"] = report.model;
    if (report.error) {
        out["verdict"] = "error";
        out["exit_code"] = report.exit_code();
        out["error"] = {{"file", report.error->file},
                        {"line", report.error->line},
                        {"column", report.error->column},
                        {"message", report.error->message},
                        {"text", report.error->describe()}};
        return out;
    }
    const CheckResult& result = report.result;
    out["verdict"] = std::string(to_string(result.verdict));
    out["exit_code"] = report.exit_code();
    out["operations"] = result.operations;
    out["steps"] = result.steps;
    out["memory_bytes_max"] = result.memory_bytes_max;
    nlohmann::ordered_json keys = nlohmann::ordered_json::array();
    for (const KeyResult& key : result.keys) {
        nlohmann::ordered_json k;
        k["key"] = key.key;
        k["verdict"] = std::string(to_string(key.verdict));
        k["method"] = std::string(to_string(key.method));
        k["operations"] = key.operations;
        k["unobserved_info_writes"] = key.unobserved_info_writes;
        k["steps"] = key.steps;
        k["cache_entries"] = key.cache_entries;
        k["memory_bytes"] = key.memory_bytes;
        k["cache_saturated"] = key.cache_saturated;
        k["out_of_memory"] = key.out_of_memory;
        k["longest_prefix"] = key.longest_prefix;
        if (key.counterexample) {
            const Counterexample& c = *key.counterexample;
            nlohmann::ordered_json e;
            e["culprit"] = c.culprit;
            e["longest_prefix"] = c.longest_prefix;
            e["state_after_prefix"] = c.state_after_prefix ? nlohmann::ordered_json(*c.state_after_prefix) : nlohmann::ordered_json(nullptr);
            e["window"] = c.window;
            e["minimal"] = c.minimal;
            e["minimal_complete"] = c.minimal_complete;
            e["begin_index"] = c.begin_index;
            e["end_index"] = c.end_index;
            e["begin_time_ns"] = c.begin_time_ns;
            e["end_time_ns"] = c.end_time_ns;
            nlohmann::ordered_json ops = nlohmann::ordered_json::array();
            for (OpId id : c.window) ops.push_back(op_json(report.operations.at(static_cast<std::size_t>(id))));
            e["window_operations"] = ops;
            k["counterexample"] = e;
        }
        keys.push_back(k);
    }
    out["keys"] = keys;
    out["explanation"] = result.explanation;
    return out;
}

}  // namespace faultline::check
