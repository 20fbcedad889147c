// The fault kind table (fault_kind.h): one line per file of kinds, in the order docs/scenarios.md
// lists them.
#include "sim/faults/fault_kind.h"

#include "sim/assert.h"

#include <set>

namespace faultline::faults {

namespace {

std::vector<FaultKind> all_kinds() {
    std::vector<FaultKind> out;
    for (auto part : {crash_kinds(), pause_kinds(), partition_kinds(), clock_kinds(), link_kinds(), disk_kinds()})
        out.insert(out.end(), part.begin(), part.end());
    std::set<std::string_view> names;
    for (const FaultKind& k : out) {
        FL_ASSERT(names.insert(k.name).second, "fault kind {} is listed twice", k.name);
        FL_ASSERT(k.make != nullptr, "fault kind {} cannot make its fault", k.name);
        FL_ASSERT(k.until.empty() == (k.undo == nullptr), "fault kind {}: until_ms and undo go together", k.name);
    }
    return out;
}

}  // namespace

const FaultField* FaultKind::field(std::string_view key) const {
    for (const FaultField& f : fields)
        if (f.key == key) return &f;
    return nullptr;
}

const std::vector<FaultKind>& fault_kinds() {
    static const std::vector<FaultKind> all = all_kinds();
    return all;
}

const FaultKind* find_fault_kind(std::string_view name) {
    for (const FaultKind& k : fault_kinds())
        if (k.name == name) return &k;
    return nullptr;
}

const FaultKind& kind_of(const Fault& f) {
    const FaultKind* k = find_fault_kind(kind_name(f));
    FL_ASSERT(k != nullptr, "fault type {} has no entry in the fault kind table", kind_name(f));
    return *k;
}

bool is_fault_event(EventKind e) {
    for (const FaultKind& k : fault_kinds())
        for (EventKind t : k.trace_kinds)
            if (t == e) return true;
    return false;
}

}  // namespace faultline::faults
