// The disk and corrupt_block kinds (disk_fault.h says what they model).
#include "sim/faults/kind_fields.h"
#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

using namespace detail;

void DiskFaultProfile::apply(World& w) const { w.set_disk_faults(node, faults); }
std::string DiskFaultProfile::describe(const std::vector<std::string>& names) const {
    return fmt::format("disk of {}: lost_sync={} torn={} corrupt={} sync_latency={}", node_label(node, names),
                       faults.lost_sync_probability, faults.torn_write_probability, faults.corrupt_probability,
                       to_string(faults.sync_latency));
}
void CorruptBlock::apply(World& w) const { w.corrupt_disk(node); }
std::string CorruptBlock::describe(const std::vector<std::string>& names) const {
    return "corrupt a block on " + node_label(node, names);
}

void WipeDisk::apply(World& w) const { w.wipe_disk(node); }
std::string WipeDisk::describe(const std::vector<std::string>& names) const {
    return "wipe the disk of " + node_label(node, names);
}

namespace {

constexpr std::array<std::string_view, 4> disk_keys{"lost_sync", "torn_write", "corrupt", "sync_latency_ms"};

std::vector<FieldProblem> check_disk(const FaultArgs& a, const std::vector<std::string>& = {}) {
    for (std::string_view key : disk_keys)
        if (a.has(key)) return {};
    return {{"", "a disk fault needs at least one of lost_sync, torn_write, corrupt, sync_latency_ms"}};
}

DiskFaults disk_faults(const FaultArgs& a) {
    DiskFaults d;
    d.lost_sync_probability = a.number_or("lost_sync", 0);
    d.torn_write_probability = a.number_or("torn_write", 0);
    d.corrupt_probability = a.number_or("corrupt", 0);
    d.sync_latency = ms(a.number_or("sync_latency_ms", 0));
    return d;
}

}  // namespace

std::vector<FaultKind> disk_kinds() {
    FaultKind disk;
    disk.name = "disk";
    disk.summary = "a node's disk loses fsyncs, tears writes or corrupts blocks at crash, or syncs slowly";
    disk.fields = {server_field("node", "the server whose disk misbehaves"),
                   probability_field("lost_sync", "probability an fsync returns without making the data durable"),
                   probability_field("torn_write", "probability a crash tears the last write"),
                   probability_field("corrupt", "probability a crash corrupts a stored block"),
                   number_field("sync_latency_ms", "how long each fsync takes (ms)", 0, 1e15, false)};
    disk.until = "end the disk faults";
    disk.trace_kinds = {EventKind::disk_fault_change};
    disk.check = check_disk;
    disk.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return DiskFaultProfile{node(a, c), disk_faults(a)}; };
    disk.undo = [](const FaultArgs& a, const FaultContext& c) -> Fault { return DiskFaultProfile{node(a, c), DiskFaults{}}; };
    disk.args_of = [](const Fault& f, const std::vector<std::string>& names) {
        const auto& d = std::get<DiskFaultProfile>(f);
        auto a = node_args(d.node, names);
        if (!a) return a;
        if (d.faults.lost_sync_probability != 0) a->set("lost_sync", d.faults.lost_sync_probability);
        if (d.faults.torn_write_probability != 0) a->set("torn_write", d.faults.torn_write_probability);
        if (d.faults.corrupt_probability != 0) a->set("corrupt", d.faults.corrupt_probability);
        if (d.faults.sync_latency != Duration::zero()) a->set("sync_latency_ms", d.faults.sync_latency.ms_f());
        if (check_disk(*a).size() > 0) a->set("lost_sync", 0.0);  // a profile of no faults: say so
        return a;
    };

    FaultKind corrupt;
    corrupt.name = "corrupt_block";
    corrupt.summary = "damage one stored block of a node now (reads see a checksum error)";
    corrupt.fields = {server_field("node", "the server whose disk is damaged")};
    corrupt.trace_kinds = {EventKind::disk_corrupt};
    corrupt.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return CorruptBlock{node(a, c)}; };
    corrupt.args_of = [](const Fault& f, const std::vector<std::string>& names) { return node_args(std::get<CorruptBlock>(f).node, names); };

    FaultKind wipe;
    wipe.name = "disk_wipe";
    wipe.summary = "a node crashes and loses everything it stored (a replaced machine); until_ms restarts it empty";
    wipe.fields = {server_field("node", "the server whose disk is wiped")};
    wipe.until = "restart the node, with an empty disk";
    wipe.trace_kinds = {EventKind::disk_wipe};
    wipe.make = [](const FaultArgs& a, const FaultContext& c) -> Fault { return WipeDisk{node(a, c)}; };
    wipe.undo = [](const FaultArgs& a, const FaultContext& c) -> Fault { return Restart{node(a, c)}; };
    wipe.args_of = [](const Fault& f, const std::vector<std::string>& names) { return node_args(std::get<WipeDisk>(f).node, names); };
    return {disk, corrupt, wipe};
}

}  // namespace faultline::faults
