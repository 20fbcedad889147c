#include "protocols/kv/store.h"

#include "check/model.h"
#include "sim/assert.h"

namespace faultline::kv {

const KvResult* Store::applied(uint64_t client, uint64_t sequence) const {
    auto it = sessions_.find(client);
    if (it == sessions_.end() || it->second.sequence != sequence) return nullptr;
    return &it->second.result;
}

bool Store::superseded(uint64_t client, uint64_t sequence) const {
    auto it = sessions_.find(client);
    return client != 0 && it != sessions_.end() && it->second.sequence > sequence;
}

KvResult Store::apply(const KvOp& op, uint64_t client, uint64_t sequence) {
    if (client != 0) {
        auto it = sessions_.find(client);
        if (it != sessions_.end()) {
            if (it->second.sequence == sequence) return it->second.result;  // a retry: no second effect
            // An older request of a client that has moved on (a stale copy a protocol replayed: a
            // duplicated message, a deposed primary's stream). Its client no longer waits for it,
            // and applying it now would give it a second, out-of-order effect (thesis §6.3: the
            // session keeps only the latest response). It is refused, not applied.
            if (sequence < it->second.sequence) return KvResult{ClientOutcome::fail};
        }
    }
    KvResult r;
    r.outcome = ClientOutcome::ok;
    auto it = data_.find(op.key);
    switch (op.f) {
        case Function::get:
            r.found = it != data_.end();
            if (r.found) r.value = it->second;
            break;
        case Function::put: data_[op.key] = op.value; break;
        case Function::append: data_[op.key] += op.value; break;
        case Function::cas:
            r.swapped = it != data_.end() && it->second == op.expected;
            if (r.swapped) it->second = op.value;
            break;
        case Function::incr:
        case Function::add:
        case Function::remove: {
            const check::StepResult s = check::step_update(op.f, it != data_.end() ? check::Value(it->second) : std::nullopt, op.value);
            if (!s.legal) {
                r.outcome = ClientOutcome::fail;  // an increment of a value that is no number
                break;
            }
            if (s.next) data_[op.key] = *s.next;
            break;
        }
    }
    if (client != 0) sessions_[client] = Session{sequence, r};
    return r;
}

}  // namespace faultline::kv
