#include "protocols/plugin/figures.h"

#include "sim/assert.h"

namespace faultline::plugin {

int64_t minority_ok_writes(const FigureInputs& in) {
    FL_ASSERT(in.served_by.size() >= in.ops.size() || in.ops.empty() || in.served_by.empty(),
              "served_by has {} entries for {} operations", in.served_by.size(), in.ops.size());
    int64_t count = 0;
    for (const check::Operation& op : in.ops) {
        if (op.completion != check::Completion::ok) continue;
        // Counter and set updates are writes too (only stores of counters and sets serve them, so
        // every other protocol counts as it always did).
        const bool write = op.f == check::Function::put || op.f == check::Function::append ||
                           (op.f == check::Function::cas && op.cas_swapped) || op.f == check::Function::incr ||
                           op.f == check::Function::add || op.f == check::Function::remove;
        if (!write) continue;
        const auto id = static_cast<std::size_t>(op.id);
        if (id >= in.served_by.size() || in.served_by[id] == no_node) continue;
        if (in.partitions.minority_throughout(in.served_by[id], Instant::from_ns(op.invoke_time_ns),
                                              Instant::from_ns(op.complete_time_ns), in.servers))
            ++count;
    }
    return count;
}

scenario::FigureSpec minority_ok_writes_figure() {
    return scenario::figure("minority_ok_writes", "writes acknowledged by a server cut off from every majority (count)");
}

std::map<std::string, double> report_minority_ok_writes(const FigureInputs& in) {
    return {{"minority_ok_writes", static_cast<double>(minority_ok_writes(in))}};
}

}  // namespace faultline::plugin
