// HistoryBuilder. See history_builder.h.
#include "check/history_builder.h"

namespace faultline::check {

std::int64_t HistoryBuilder::next_time(std::optional<std::int64_t> time_ns) {
    std::int64_t time = time_ns ? *time_ns : time_last_ns_ + 1;
    CHECKER_ASSERT(time >= time_last_ns_, "HistoryBuilder: time_ns went backwards; events must be recorded in real-time order");
    CHECKER_ASSERT(time >= 0 && time < time_never, "HistoryBuilder: time_ns must be in [0, INT64_MAX)");
    time_last_ns_ = time;
    return time;
}

OpId HistoryBuilder::invoke(int process, Function f, std::string key, Value value, std::optional<std::int64_t> time_ns) {
    CHECKER_ASSERT(process >= 0, "HistoryBuilder: process ids are non-negative");
    CHECKER_ASSERT(f != Function::cas, "HistoryBuilder: use invoke_cas for a cas (it needs the expected value)");
    CHECKER_ASSERT(f == Function::get || value.has_value(), "HistoryBuilder: put and append need a value");
    OpId& busy = busy_process_[process];
    CHECKER_ASSERT(busy == 0,
                   "HistoryBuilder: process already has an outstanding operation; complete it first");
    OpId id = static_cast<OpId>(ops_.size());
    Event event;
    event.index = static_cast<std::int64_t>(history_.events.size());
    event.time_ns = next_time(time_ns);
    event.process = process;
    event.type = EventType::invoke;
    event.f = f;
    event.key = key;
    event.value = f == Function::get ? Value{} : std::move(value);
    history_.events.push_back(std::move(event));
    ops_.push_back(Pending{process, f, std::move(key), false});
    busy = id + 1;
    return id;
}

OpId HistoryBuilder::invoke_cas(int process, std::string key, Value expected, std::string new_value,
                                std::optional<std::int64_t> time_ns) {
    OpId id = invoke(process, Function::get, std::move(key), std::nullopt, time_ns);
    // Re-label the event just recorded: one code path for bookkeeping, cas fields filled here.
    Event& event = history_.events.back();
    event.f = Function::cas;
    event.value = std::move(new_value);
    event.expected = std::move(expected);
    ops_[static_cast<std::size_t>(id)].f = Function::cas;
    return id;
}

Event& HistoryBuilder::complete(OpId id, EventType type, std::optional<std::int64_t> time_ns) {
    CHECKER_ASSERT(id >= 0 && static_cast<std::size_t>(id) < ops_.size(), "HistoryBuilder: unknown OpId");
    Pending& op = ops_[static_cast<std::size_t>(id)];
    CHECKER_ASSERT(!op.completed, "HistoryBuilder: operation completed twice");
    CHECKER_ASSERT(busy_process_[op.process] == id + 1, "HistoryBuilder: process bookkeeping out of step");
    op.completed = true;
    busy_process_[op.process] = 0;
    Event event;
    event.index = static_cast<std::int64_t>(history_.events.size());
    event.time_ns = next_time(time_ns);
    event.process = op.process;
    event.type = type;
    event.f = op.f;
    event.key = op.key;
    history_.events.push_back(std::move(event));
    return history_.events.back();
}

void HistoryBuilder::complete_ok(OpId id, Value output, std::optional<std::int64_t> time_ns) {
    Event& event = complete(id, EventType::ok, time_ns);
    CHECKER_ASSERT(event.f != Function::cas, "HistoryBuilder: complete a cas with complete_cas(id, swapped)");
    CHECKER_ASSERT(event.f == Function::get || !output.has_value(), "HistoryBuilder: only a get has an output value");
    event.value = std::move(output);
}

void HistoryBuilder::complete_cas(OpId id, bool swapped, std::optional<std::int64_t> time_ns) {
    Event& event = complete(id, EventType::ok, time_ns);
    CHECKER_ASSERT(event.f == Function::cas, "HistoryBuilder: complete_cas on an operation that is not a cas");
    event.cas_swapped = swapped;
}

void HistoryBuilder::complete_fail(OpId id, std::optional<std::int64_t> time_ns) {
    complete(id, EventType::fail, time_ns);
}

void HistoryBuilder::complete_info(OpId id, std::optional<std::int64_t> time_ns) {
    complete(id, EventType::info, time_ns);
}

}  // namespace faultline::check
