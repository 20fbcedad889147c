// drop_unobserved_info_writes. See unobserved_writes.h.
#include "check/unobserved_writes.h"

#include <algorithm>
#include <set>

namespace faultline::check {

std::vector<Operation> drop_unobserved_info_writes(std::vector<Operation> ops) {
    std::set<Value> observed;
    for (const Operation& op : ops) {
        if (op.f == Function::append || op.f == Function::incr || op.f == Function::add || op.f == Function::remove) return ops;
        if (op.f == Function::cas && op.output_known() && !op.cas_swapped) return ops;
        if (op.f == Function::get && op.output_known()) observed.insert(op.output);
        if (op.f == Function::cas) observed.insert(op.expected);
    }
    std::erase_if(ops, [&](const Operation& op) {
        bool info_write = op.completion == Completion::info && (op.f == Function::put || op.f == Function::cas);
        return info_write && !observed.contains(op.value);
    });
    return ops;
}

}  // namespace faultline::check
