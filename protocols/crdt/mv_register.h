// MvRegister: a multi-value register (Shapiro et al. 2011, §3.2.2; as a delta CRDT, Almeida et
// al. 2018, §7.3): concurrent writes are all kept, as siblings, until a write that has seen them
// replaces them.
//
// State: a DotKernel whose entries are the values written, each under the dot of its put, and
// the causal context (a version vector with a cloud, dot_context.h).
//   put(v)  a fresh dot for v; the delta's context also holds every dot this replica holds, so
//           the join drops exactly what the writer observed. A put on another replica that has
//           not seen it keeps its own dot: after the join both values are there (siblings).
// The value is the set of values held (sorted; one value written twice concurrently is one).
#pragma once

#include "protocols/crdt/dot_kernel.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::crdt {

class MvRegister {
public:
    // The delta of `replica` writing `value`.
    MvRegister put(const std::string& replica, const std::string& value) const;
    bool merge(const MvRegister& other) { return kernel_.merge(other.kernel_); }

    std::vector<std::string> values() const;  // sorted, distinct; empty before any put
    bool empty() const { return kernel_.empty(); }
    const DotKernel<std::string>& kernel() const { return kernel_; }

    // "<dot>=<value>,...|<context>".
    std::string encode() const;
    static std::optional<MvRegister> decode(std::string_view text);
    bool operator==(const MvRegister&) const = default;

private:
    DotKernel<std::string> kernel_;
};

}  // namespace faultline::crdt
