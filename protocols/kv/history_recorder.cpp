#include "protocols/kv/history_recorder.h"

#include "sim/assert.h"

namespace faultline::kv {


check::OpId HistoryRecorder::invoke(int64_t process, const KvOp& op) {
    FL_ASSERT(process >= 0 && process <= INT32_MAX, "process id {} out of range", process);
    ++invoked_;
    int p = static_cast<int>(process);
    int64_t now = true_time_ns_();
    served_by_.push_back(no_node);
    switch (op.f) {
        case Function::get: return builder_.invoke(p, check::Function::get, op.key, std::nullopt, now);
        case Function::put:
        case Function::append:
        case Function::incr:
        case Function::add:
        case Function::remove: return builder_.invoke(p, op.f, op.key, op.value, now);
        case Function::cas: return builder_.invoke_cas(p, op.key, op.expected, op.value, now);
    }
    FL_ASSERT(false, "unknown function");
    return 0;
}

void HistoryRecorder::complete(check::OpId id, const KvOp& op, const KvResult& r) {
    int64_t now = true_time_ns_();
    FL_ASSERT(id >= 0 && static_cast<std::size_t>(id) < served_by_.size(), "completing operation {} never invoked", id);
    served_by_[static_cast<std::size_t>(id)] = r.served_by;
    if (r.siblings.size() > 1) siblings_[id] = r.siblings;
    switch (r.outcome) {
        case ClientOutcome::fail: builder_.complete_fail(id, now); return;
        case ClientOutcome::info: builder_.complete_info(id, now); return;
        case ClientOutcome::ok: break;
    }
    switch (op.f) {
        case Function::get: builder_.complete_ok(id, r.found ? check::Value(r.value) : std::nullopt, now); return;
        case Function::put:
        case Function::append:
        case Function::incr:
        case Function::add:
        case Function::remove: builder_.complete_ok(id, std::nullopt, now); return;
        case Function::cas: builder_.complete_cas(id, r.swapped, now); return;
    }
}

}  // namespace faultline::kv
