#include "protocols/kv/workload.h"

#include <fmt/format.h>

#include <map>

namespace faultline::kv {

std::string KvOp::describe() const {
    switch (f) {
        case Function::get: return fmt::format("get {}", key);
        case Function::put: return fmt::format("put {} {}", key, value);
        case Function::append: return fmt::format("append {} {}", key, value);
        case Function::cas: return fmt::format("cas {} {} {}", key, expected, value);
    }
    return "?";
}

namespace {
std::string describe_result(const KvOp& op, const KvResult& r) {
    if (r.outcome != ClientOutcome::ok) return std::string(to_string(r.outcome));
    switch (op.f) {
        case Function::get: return r.found ? r.value : "nil";
        case Function::cas: return r.swapped ? "true" : "false";
        default: return "ok";
    }
}
}  // namespace

KvResult record_op(Context& ctx, KvClient& client, HistoryRecorder& recorder, int64_t process, const KvOp& op) {
    uint64_t trace_op = ctx.client_invoke(op.describe());
    check::OpId id = recorder.invoke(process, op);
    KvResult r = client.execute(op);
    recorder.complete(id, op, r);
    ctx.client_complete(trace_op, r.outcome, describe_result(op, r));
    return r;
}

void run_workload(Context& ctx, KvClient& client, HistoryRecorder& recorder, int64_t process,
                  const WorkloadOptions& o) {
    FL_ASSERT(o.ops_per_client >= 0, "negative operation count");
    KeyChooser keys(o.key_count, o.key_distribution, o.zipf_exponent);
    const double weights[4] = {o.get_weight, o.put_weight, o.append_weight, o.cas_weight};
    FL_ASSERT(weights[0] + weights[1] + weights[2] + weights[3] > 0, "the operation mix is empty");
    std::map<std::string, std::string> last_seen;  // key -> value this client last read or wrote
    if (o.start_delay > Duration::zero()) ctx.sleep(o.start_delay);
    for (int64_t n = 1; o.ops_per_client == 0 || n <= o.ops_per_client; ++n) {
        KvOp op;
        op.f = static_cast<Function>(ctx.rng().weighted_index(weights));
        op.key = keys.next(ctx.rng());
        std::string fresh = fmt::format("{}-{}", process, n);
        if (op.f == Function::put) op.value = fresh;
        if (op.f == Function::append) op.value = fresh + ";";
        if (op.f == Function::cas) {
            op.expected = last_seen.count(op.key) ? last_seen[op.key] : std::string();
            op.value = fresh;
        }
        KvResult r = record_op(ctx, client, recorder, process, op);
        if (r.outcome == ClientOutcome::ok) {
            if (op.f == Function::get && r.found) last_seen[op.key] = r.value;
            if (op.f == Function::put) last_seen[op.key] = op.value;
            if (op.f == Function::cas && r.swapped) last_seen[op.key] = op.value;
        }
        auto think = static_cast<int64_t>(ctx.rng().exponential(static_cast<double>(o.think_time_mean.ns())));
        ctx.sleep(nanoseconds(think));
    }
}

}  // namespace faultline::kv
