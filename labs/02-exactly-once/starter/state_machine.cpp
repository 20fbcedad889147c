#include "state_machine.h"

namespace faultline::lab02 {

kv::KvResult apply(Data& data, const kv::KvOp& op) {
    kv::KvResult r;
    r.outcome = ClientOutcome::ok;
    auto it = data.find(op.key);
    switch (op.f) {
        case kv::Function::get:
            r.found = it != data.end();
            if (r.found) r.value = it->second;
            break;
        case kv::Function::put: data[op.key] = op.value; break;
        case kv::Function::append: data[op.key] += op.value; break;
        case kv::Function::cas:
            r.swapped = it != data.end() && it->second == op.expected;
            if (r.swapped) it->second = op.value;
            break;
        default: r.outcome = ClientOutcome::fail;  // this store serves get, put, append and cas only
    }
    return r;
}

}  // namespace faultline::lab02
