// History vocabulary and the pairing of invocations with completions. See history.h.
#include "check/history.h"

#include <map>

#include <fmt/format.h>

namespace faultline::check {

std::string InputError::describe() const {
    std::string out;
    if (!file.empty()) out += file + ":";
    if (line > 0) out += fmt::format("{}:", line);
    if (line > 0 && column > 0) out += fmt::format("{}:", column);
    if (!out.empty()) out += " ";
    return out + message;
}

std::string_view to_string(Function f) {
    switch (f) {
        case Function::get: return "get";
        case Function::put: return "put";
        case Function::append: return "append";
        case Function::cas: return "cas";
        case Function::incr: return "incr";
        case Function::add: return "add";
        case Function::remove: return "remove";
    }
    CHECKER_ASSERT(false, "Function value out of range: memory corruption or a missing case");
    return "";
}

std::string_view to_string(EventType type) {
    switch (type) {
        case EventType::invoke: return "invoke";
        case EventType::ok: return "ok";
        case EventType::fail: return "fail";
        case EventType::info: return "info";
    }
    CHECKER_ASSERT(false, "EventType value out of range: memory corruption or a missing case");
    return "";
}

std::string_view to_string(Completion completion) {
    switch (completion) {
        case Completion::ok: return "ok";
        case Completion::fail: return "fail";
        case Completion::info: return "info";
    }
    CHECKER_ASSERT(false, "Completion value out of range: memory corruption or a missing case");
    return "";
}

std::optional<Function> parse_function(std::string_view name) {
    if (name == "get") return Function::get;
    if (name == "put") return Function::put;
    if (name == "append") return Function::append;
    if (name == "cas") return Function::cas;
    if (name == "incr") return Function::incr;
    if (name == "add") return Function::add;
    if (name == "remove") return Function::remove;
    return std::nullopt;
}

std::optional<EventType> parse_event_type(std::string_view name) {
    if (name == "invoke") return EventType::invoke;
    if (name == "ok") return EventType::ok;
    if (name == "fail") return EventType::fail;
    if (name == "info") return EventType::info;
    return std::nullopt;
}

std::string describe_value(const Value& value) {
    if (!value) return "absent";
    return fmt::format("\"{}\"", *value);
}

std::string describe_operation(const Operation& op) {
    std::string what;
    switch (op.f) {
        case Function::get:
            what = op.output_known() ? fmt::format("get -> {}", describe_value(op.output)) : "get";
            break;
        case Function::put: what = fmt::format("put {}", describe_value(op.value)); break;
        case Function::append: what = fmt::format("append {}", describe_value(op.value)); break;
        case Function::incr: what = fmt::format("incr {}", describe_value(op.value)); break;
        case Function::add: what = fmt::format("add {}", describe_value(op.value)); break;
        case Function::remove: what = fmt::format("remove {}", describe_value(op.value)); break;
        case Function::cas:
            what = fmt::format("cas {} -> {}", describe_value(op.expected), describe_value(op.value));
            if (op.output_known()) what += op.cas_swapped ? " (swapped)" : " (compare failed)";
            break;
    }
    std::string completed = op.complete_index == time_never
                                ? std::string("never")
                                : fmt::format("{}", op.complete_index);
    return fmt::format("#{} process {} key \"{}\" {} {} [events {}..{}]", op.id, op.process, op.key,
                       what, to_string(op.completion), op.invoke_index, completed);
}

Expected<std::vector<Operation>> pair_operations(const History& history) {
    std::vector<Operation> ops;
    ops.reserve(history.events.size() / 2 + 1);
    // Outstanding operation per process. std::map only for lookup; nothing iterates it.
    std::map<int, OpId> outstanding;
    std::int64_t index_previous = std::numeric_limits<std::int64_t>::min();
    std::int64_t time_previous = std::numeric_limits<std::int64_t>::min();
    for (std::size_t position = 0; position < history.events.size(); ++position) {
        const Event& event = history.events[position];
        auto fail = [&](std::string what) {
            return InputError{"", 0, 0, fmt::format("event {} (process {}): {}", event.index, event.process, what),
                              position};
        };
        if (event.index <= index_previous) {
            return fail(fmt::format("index {} does not increase (previous {}); events must be in real-time order",
                                    event.index, index_previous));
        }
        if (event.time_ns < time_previous) {
            return fail(fmt::format("time_ns {} is earlier than the previous event's {}", event.time_ns, time_previous));
        }
        index_previous = event.index;
        time_previous = event.time_ns;
        auto open = outstanding.find(event.process);
        if (event.type == EventType::invoke) {
            if (open != outstanding.end()) {
                return fail(fmt::format("invokes {} while its operation #{} is still outstanding; "
                                        "a process runs one operation at a time",
                                        to_string(event.f), open->second));
            }
            if (event.time_ns == time_never) return fail("time_ns must be less than INT64_MAX");
            Operation op;
            op.id = static_cast<OpId>(ops.size());
            op.process = event.process;
            op.f = event.f;
            op.key = event.key;
            op.value = event.f == Function::get ? Value{} : event.value;
            op.expected = event.f == Function::cas ? event.expected : Value{};
            op.invoke_index = event.index;
            op.invoke_time_ns = event.time_ns;
            if ((event.f == Function::put || event.f == Function::append || event.f == Function::cas) && !event.value) {
                return fail(fmt::format("{} needs a value", to_string(event.f)));
            }
            outstanding.emplace(event.process, op.id);
            ops.push_back(std::move(op));
            continue;
        }
        if (open == outstanding.end()) {
            return fail(fmt::format("completes ({}) an operation it never invoked", to_string(event.type)));
        }
        Operation& op = ops[static_cast<std::size_t>(open->second)];
        outstanding.erase(open);
        if (op.f != event.f) {
            return fail(fmt::format("completion says {} but the outstanding operation #{} is {}", to_string(event.f),
                                    op.id, to_string(op.f)));
        }
        if (event.type == EventType::info) continue;  // unknown outcome: completion stays +infinity
        op.complete_index = event.index;
        op.complete_time_ns = event.time_ns;
        if (event.type == EventType::fail) {
            op.completion = Completion::fail;
            continue;
        }
        op.completion = Completion::ok;
        if (op.f == Function::get) op.output = event.value;
        if (op.f == Function::cas) {
            if (!event.cas_swapped) return fail("an ok cas must say whether it swapped (true/false)");
            op.cas_swapped = *event.cas_swapped;
        }
    }
    return ops;
}

std::vector<Operation> pick_operations(const std::vector<Operation>& ops, const std::vector<std::size_t>& positions) {
    std::vector<Operation> out;
    out.reserve(positions.size());
    for (std::size_t i : positions) out.push_back(ops[i]);
    return out;
}

}  // namespace faultline::check
