// HistoryBuilder: records a History one client event at a time, for simulated clients and tests.
//
// Usage: `OpId id = b.invoke(p, Function::put, "x", "1"); ... b.complete_ok(id);`.
// Each call appends one event; the event index is its position. Time is virtual nanoseconds: pass
// it explicitly (it must never decrease) or leave it out and the builder uses the previous event's
// time + 1. OpIds number invocations from 0, the same numbering pair_operations() gives.
//
// Misuse is a caller bug and asserts: invoking on a process that has an outstanding operation,
// completing an operation twice, complete_ok on a cas (use complete_cas), a put without a value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "check/history.h"

namespace faultline::check {

class HistoryBuilder {
  public:
    OpId invoke(int process, Function f, std::string key, Value value = std::nullopt,
                std::optional<std::int64_t> time_ns = std::nullopt);
    OpId invoke_cas(int process, std::string key, Value expected, std::string new_value,
                    std::optional<std::int64_t> time_ns = std::nullopt);

    // get: `output` is the value read (std::nullopt = absent). put/append: leave `output` empty.
    void complete_ok(OpId id, Value output = std::nullopt, std::optional<std::int64_t> time_ns = std::nullopt);
    void complete_cas(OpId id, bool swapped, std::optional<std::int64_t> time_ns = std::nullopt);
    void complete_fail(OpId id, std::optional<std::int64_t> time_ns = std::nullopt);
    void complete_info(OpId id, std::optional<std::int64_t> time_ns = std::nullopt);

    const History& history() const { return history_; }
    History take() { return std::move(history_); }

  private:
    struct Pending {
        int process = 0;
        Function f = Function::get;
        std::string key;
        bool completed = false;
    };
    std::int64_t next_time(std::optional<std::int64_t> time_ns);
    Event& complete(OpId id, EventType type, std::optional<std::int64_t> time_ns);

    History history_;
    std::vector<Pending> ops_;          // indexed by OpId
    // process -> its outstanding OpId + 1 (absent or 0: idle). A map: process ids are sparse (a
    // probe numbered 99,999 once made this a vector of 100,000 slots, filled for every run).
    std::map<int, OpId> busy_process_;
    std::int64_t time_last_ns_ = -1;
};

}  // namespace faultline::check
