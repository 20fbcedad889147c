#include "protocols/kv/workload.h"

#include "check/model.h"

#include <algorithm>
#include <initializer_list>
#include <map>

namespace faultline::kv {

std::string KvOp::describe() const {
    // Plain concatenation, not fmt: it runs for every operation of every run (the text is hashed
    // into the trace, so it must stay exactly "<name> <key>[ <expected>][ <value>]").
    auto words = [](std::string_view name, std::initializer_list<std::string_view> fields) {
        std::size_t size = name.size();
        for (std::string_view field : fields) size += 1 + field.size();
        std::string out;
        out.reserve(size);
        out += name;
        for (std::string_view field : fields) {
            out += ' ';
            out += field;
        }
        return out;
    };
    switch (f) {
        case Function::get: return words("get", {key});
        case Function::put: return words("put", {key, value});
        case Function::append: return words("append", {key, value});
        case Function::cas: return words("cas", {key, expected, value});
        case Function::incr: return words("incr", {key, value});
        case Function::add: return words("add", {key, value});
        case Function::remove: return words("remove", {key, value});
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
    FL_ASSERT(o.elements >= 0, "negative element pool size {}", o.elements);
    KeyChooser keys(o.key_count, o.key_distribution, o.zipf_exponent);
    const double weights[4] = {o.get_weight, o.put_weight, o.append_weight, o.cas_weight};
    const double all_weights[7] = {o.get_weight, o.put_weight, o.append_weight, o.cas_weight,
                                   o.incr_weight, o.add_weight, o.remove_weight};
    // The first four alone when the others are 0, so that every run from before counters and
    // sets draws exactly as it did (weighted_index's last-index fallback would differ).
    const bool collections = o.incr_weight + o.add_weight + o.remove_weight > 0;
    FL_ASSERT(weights[0] + weights[1] + weights[2] + weights[3] > 0 || collections, "the operation mix is empty");
    std::map<std::string, std::string> last_seen;  // key -> value this client last read or wrote
    std::map<std::string, std::vector<std::string>> elements;  // key -> set elements it added or read
    if (o.start_delay > Duration::zero()) ctx.sleep(o.start_delay);
    for (int64_t n = 1; o.ops_per_client == 0 || n <= o.ops_per_client; ++n) {
        if (o.stop_at && ctx.now() >= *o.stop_at) break;
        KvOp op;
        op.f = static_cast<Function>(collections ? ctx.rng().weighted_index(all_weights) : ctx.rng().weighted_index(weights));
        op.key = keys.next(ctx.rng());
        std::string fresh = std::to_string(process) + "-" + std::to_string(n);
        if (op.f == Function::put) op.value = fresh;
        if (op.f == Function::append) op.value = fresh + ";";
        if (op.f == Function::cas) {
            op.expected = last_seen.count(op.key) ? last_seen[op.key] : std::string();
            op.value = fresh;
        }
        if (op.f == Function::incr) op.value = "1";
        if (op.f == Function::remove) {
            const auto& known = elements[op.key];
            if (known.empty()) op.f = Function::add;  // nothing known to remove: add instead
            else op.value = known[ctx.rng().below(known.size())];
        }
        // A pool draw only when a pool is asked for: runs without one draw exactly as before.
        if (op.f == Function::add) op.value = o.elements > 0 ? "e" + std::to_string(1 + ctx.rng().below(static_cast<uint64_t>(o.elements))) : fresh;
        KvResult r = record_op(ctx, client, recorder, process, op);
        if (r.outcome == ClientOutcome::ok) {
            if (op.f == Function::get && r.found) last_seen[op.key] = r.value;
            if (op.f == Function::put) last_seen[op.key] = op.value;
            if (op.f == Function::cas && r.swapped) last_seen[op.key] = op.value;
            // Each element once: pool elements recur. (Fresh elements never do, so without a pool
            // this is the plain push it always was.)
            if (op.f == Function::add && std::find(elements[op.key].begin(), elements[op.key].end(), op.value) == elements[op.key].end())
                elements[op.key].push_back(op.value);
            if (op.f == Function::get && r.found && collections) {
                for (const std::string& e : check::set_elements(r.value))
                    if (std::find(elements[op.key].begin(), elements[op.key].end(), e) == elements[op.key].end())
                        elements[op.key].push_back(e);
            }
        }
        auto think = static_cast<int64_t>(ctx.rng().exponential(static_cast<double>(o.think_time_mean.ns())));
        ctx.sleep(nanoseconds(think));
    }
}

}  // namespace faultline::kv
