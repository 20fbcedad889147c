// The story of a failed run (failure_story.h).
#include "runner/failure_story.h"

#include "runner/world_setup.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace faultline::runner {

std::string seconds_text(int64_t ns) { return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9); }

namespace {

std::string client_name(const StoryInput& o, int process) {
    if (process == detail::probe_process) return "probe";
    const NodeId id = detail::client_of_process(process);
    return id < o.node_names.size() ? o.node_names[id] : fmt::format("client {}", process);
}

// "c2 get k1 -> "a b", invoked at 1.204 s, answered at 1.210 s"
std::string describe_op(const StoryInput& o, const check::Operation& op) {
    std::string args;
    switch (op.f) {
        case check::Function::get: break;
        case check::Function::cas:
            args = fmt::format(" {} -> {}", check::describe_value(op.expected), check::describe_value(op.value));
            break;
        default: args = " " + check::describe_value(op.value);
    }
    std::string result;
    if (op.completion == check::Completion::ok) {
        if (op.f == check::Function::get) result = fmt::format(" returned {}", check::describe_value(op.output));
        else if (op.f == check::Function::cas) result = op.cas_swapped ? " swapped" : " did not swap";
        else result = " ok";
        result += fmt::format(", invoked at {}, answered at {}", seconds_text(op.invoke_time_ns), seconds_text(op.complete_time_ns));
    } else if (op.completion == check::Completion::fail) {
        result = fmt::format(" refused, invoked at {}", seconds_text(op.invoke_time_ns));
    } else {
        result = fmt::format(" unanswered (it may or may not have happened), invoked at {}", seconds_text(op.invoke_time_ns));
    }
    return fmt::format("{} {} {}{}{}", client_name(o, op.process), check::to_string(op.f), op.key, args, result);
}

// The linearizability counterexample: the operations no order explains, the culprit first.
void tell_counterexample(const StoryInput& o, Story& f) {
    const StoryCheck* c = nullptr;
    for (const auto& x : o.checks)
        if (x.checker == "linearizability") c = &x;
    if (!c || c->verdict != "violation" || !c->details.contains("counterexample")) return;
    const auto& story = c->details["counterexample"];
    auto paired = check::pair_operations(o.history);
    if (!paired.ok()) return;
    const auto& ops = paired.value();
    auto op_at = [&](int64_t invoke_ns) -> const check::Operation* {
        for (const auto& op : ops)
            if (op.invoke_time_ns == invoke_ns) return &op;
        return nullptr;
    };
    f.lines.push_back(fmt::format("no order of these operations on key {} explains what the clients saw:",
                                  story.value("key", std::string("?"))));
    int64_t first_ns = -1;
    if (story.contains("culprit_invoke_ns"))
        if (const auto* op = op_at(story["culprit_invoke_ns"].get<int64_t>())) {
            f.lines.push_back("  the one that cannot be placed: " + describe_op(o, *op));
            first_ns = op->invoke_time_ns;
        }
    const int64_t culprit_ns = story.value("culprit_invoke_ns", int64_t{-1});
    int shown = 0;
    for (const auto& ns : story.value("ops_invoke_ns", nlohmann::ordered_json::array())) {
        const auto* op = op_at(ns.get<int64_t>());
        if (!op || op->invoke_time_ns == culprit_ns) continue;
        if (++shown > 8) {
            f.lines.push_back("  ...");
            break;
        }
        f.lines.push_back("  " + describe_op(o, *op));
        if (first_ns < 0 || op->invoke_time_ns < first_ns) first_ns = op->invoke_time_ns;
    }
    // A read that no order explains: the writes whose values it holds, so that a value read twice
    // or read after it was overwritten shows.
    const check::Operation* culprit = culprit_ns >= 0 ? op_at(culprit_ns) : nullptr;
    if (culprit && culprit->f == check::Function::get && culprit->output) {
        const std::string& read = *culprit->output;
        auto occurrences = [&read](const std::string& v) {
            std::size_t times = 0;
            for (std::size_t at = read.find(v); at != std::string::npos; at = read.find(v, at + 1)) ++times;
            return times;
        };
        std::vector<const check::Operation*> writes;
        for (const auto& w : ops) {
            if (w.key != culprit->key || w.f == check::Function::get || !w.value || w.value->empty()) continue;
            if (w.invoke_time_ns > culprit->invoke_time_ns) continue;
            if (occurrences(*w.value) > 0) writes.push_back(&w);
        }
        if (!writes.empty()) f.lines.push_back("  the writes whose values that read holds:");
        for (std::size_t i = 0; i < writes.size() && i < 8; ++i) {
            const std::size_t times = occurrences(*writes[i]->value);
            f.lines.push_back(fmt::format("    {}{}", describe_op(o, *writes[i]),
                                          times > 1 ? fmt::format(" (the read holds it {} times)", times) : ""));
        }
    }
    if (first_ns >= 0) f.at_ms = static_cast<double>(first_ns) / 1e6;
}

}  // namespace

std::string in_client_names(const StoryInput& o, const std::string& text) {
    static const std::regex process(R"(\bp(\d{1,9})\b)");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), process);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += text.substr(last, static_cast<std::size_t>(it->position()) - last);
        out += client_name(o, std::stoi((*it)[1]));
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    return out + text.substr(last);
}

namespace {

// Other checks' findings (invariants, lost writes, ...): the first few, with their trace events;
// those behind an unmet expectation first.
void tell_findings(const StoryInput& o, Story& f) {
    for (const StoryCheck& c : o.checks) {
        if (c.verdict != "violation" || c.checker == "linearizability") continue;
        const auto findings = c.details.value("findings", nlohmann::ordered_json::array());
        const bool any_named = std::any_of(findings.begin(), findings.end(), [&](const auto& x) {
            return o.unmet.count(x.value("what", std::string())) != 0;
        });
        int shown = 0;
        for (const auto& x : findings) {
            const std::string what = x.value("what", std::string());
            if (any_named && o.unmet.count(what) == 0) continue;
            if (++shown > 3) break;
            const int64_t event = x.value("event", int64_t{-1});
            const int64_t at_ns = x.value("time_ns", int64_t{0});
            f.lines.push_back(fmt::format("{} at {}{}: {}", what, seconds_text(at_ns),
                                          event >= 0 ? fmt::format(" (trace event {})", event) : "",
                                          in_client_names(o, x.value("detail", std::string()))));
            const double ms = static_cast<double>(at_ns) / 1e6;
            if (!f.at_ms || ms < *f.at_ms) f.at_ms = ms;
        }
        if (findings.empty() && !c.summary.empty()) f.lines.push_back(fmt::format("{}: {}", c.checker, c.summary));
    }
}

}  // namespace

Story failure_story(const StoryInput& input) {
    Story s;
    tell_counterexample(input, s);
    tell_findings(input, s);
    return s;
}

}  // namespace faultline::runner
