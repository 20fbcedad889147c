// History: what clients of a simulated (or real) system did, in real-time order.
//
// The Jepsen convention. A history is a sequence of events; each client operation contributes an
// invocation and at most one completion:
//   ok    the operation took effect exactly once, between its invocation and its completion;
//   fail  the operation definitely did not take effect (the checker drops it before searching);
//   info  unknown: it may never take effect, or take effect at any time after its invocation,
//         even after the end of the history. Its completion time is +infinity for the search.
// An invocation without any completion is treated as info.
//
// Invariants of a well-formed History (pair_operations checks them and reports the first breach):
//   - events are in real-time order: `index` strictly increases and `time_ns` never decreases;
//   - a process has at most one outstanding operation; a completion names the same function as
//     the invocation it completes (pairing is by process, as in Jepsen).
//
// Values are strings; a key that was never written reads as `absent` (std::nullopt). A cas carries
// `expected` and the new `value`, and completes ok with a boolean: true if it swapped, false if the
// compare failed (then it changed nothing). A get completes ok with the value it read.
//
// `Operation` is the paired form the search uses: one record per invocation, numbered by OpId in
// invocation order.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/input_error.h"

namespace faultline::check {

// A register or map value. std::nullopt is `absent`: the key has never been written.
using Value = std::optional<std::string>;

// Operation number: position of the invocation among all invocations of a history.
using OpId = std::int64_t;

// Completion time of an operation that never completed or completed `info`.
inline constexpr std::int64_t time_never = std::numeric_limits<std::int64_t>::max();

// incr, add and remove are the counter and set operations of AP stores (CRDTs): a key used as a
// counter or a set is read with get, which returns its value in the canonical form (model.h).
enum class Function { get, put, append, cas, incr, add, remove };
enum class EventType { invoke, ok, fail, info };
enum class Completion { ok, fail, info };

std::string_view to_string(Function f);
std::string_view to_string(EventType type);
std::string_view to_string(Completion completion);
std::optional<Function> parse_function(std::string_view name);
std::optional<EventType> parse_event_type(std::string_view name);

// "absent" for std::nullopt, else the value quoted: "\"abc\"". For reports and explanations.
std::string describe_value(const Value& value);

struct Event {
    std::int64_t index = 0;    // position in the history's real-time order
    std::int64_t time_ns = 0;  // virtual time of the event, nanoseconds
    int process = 0;           // client id
    EventType type = EventType::invoke;
    Function f = Function::get;
    std::string key;
    // invoke: the put/append argument or the cas new value. ok of a get: the value read.
    Value value;
    // invoke of a cas: the value it compares against.
    Value expected;
    // ok of a cas: true if it swapped, false if the compare failed.
    std::optional<bool> cas_swapped;
};

struct History {
    std::vector<Event> events;
};

struct Operation {
    OpId id = 0;
    int process = 0;
    Function f = Function::get;
    std::string key;
    Value value;               // put/append argument, cas new value, incr delta, add/remove element
    Value expected;            // cas only
    Value output;              // get completed ok: the value read
    bool cas_swapped = false;  // cas completed ok: whether it swapped
    Completion completion = Completion::info;
    std::int64_t invoke_index = 0;
    std::int64_t invoke_time_ns = 0;
    std::int64_t complete_index = time_never;    // time_never unless ok or fail
    std::int64_t complete_time_ns = time_never;  // time_never unless ok or fail

    bool output_known() const { return completion == Completion::ok; }
};

// Pairs invocations with completions. Operations come back in invocation order, op.id == position.
// Errors name the event index (InputError::line is left 0: the readers fill in file positions).
Expected<std::vector<Operation>> pair_operations(const History& history);

// The operations at `positions` of `ops`, in the order given.
std::vector<Operation> pick_operations(const std::vector<Operation>& ops, const std::vector<std::size_t>& positions);

// One line, for explanations: "#3 p2 put \"x\" \"1\" ok [events 4..7]".
std::string describe_operation(const Operation& op);

}  // namespace faultline::check
