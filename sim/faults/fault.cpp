#include "sim/faults/fault.h"

#include "sim/world.h"

#include <fmt/format.h>

namespace faultline::faults {

namespace {
template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;
}  // namespace

std::string_view kind_name(const Fault& f) {
    return std::visit(overloaded{
                          [](const Crash&) { return std::string_view("crash"); },
                          [](const Restart&) { return std::string_view("restart"); },
                          [](const Pause&) { return std::string_view("pause"); },
                          [](const PartitionNetwork&) { return std::string_view("partition"); },
                          [](const Heal&) { return std::string_view("heal"); },
                          [](const ClockJump&) { return std::string_view("clock_jump"); },
                          [](const ClockDrift&) { return std::string_view("clock_drift"); },
                          [](const LinkChange&) { return std::string_view("link"); },
                          [](const ClearLinkOverrides&) { return std::string_view("clear_links"); },
                          [](const DiskFaultProfile&) { return std::string_view("disk_faults"); },
                          [](const CorruptBlock&) { return std::string_view("corrupt_block"); },
                      },
                      f);
}

std::string describe(const Fault& f, const std::vector<std::string>& names) {
    auto name = [&](NodeId id) { return id < names.size() ? names[id] : fmt::format("#{}", id); };
    return std::visit(
        overloaded{
            [&](const Crash& c) { return fmt::format("crash {}", name(c.node)); },
            [&](const Restart& r) { return fmt::format("restart {}", name(r.node)); },
            [&](const Pause& p) { return fmt::format("pause {} for {}", name(p.node), to_string(p.duration)); },
            [&](const PartitionNetwork& p) { return fmt::format("partition {}", p.partition.describe(names)); },
            [&](const Heal&) { return std::string("heal"); },
            [&](const ClockJump& c) { return fmt::format("clock of {} jumps {}", name(c.node), to_string(c.delta)); },
            [&](const ClockDrift& c) { return fmt::format("clock of {} drifts {}ppm", name(c.node), c.ppm); },
            [&](const LinkChange& l) {
                if (l.from && l.to) return fmt::format("link {}->{}: {}", name(*l.from), name(*l.to), l.config.describe());
                return fmt::format("all links: {}", l.config.describe());
            },
            [&](const ClearLinkOverrides&) { return std::string("clear link overrides"); },
            [&](const DiskFaultProfile& d) {
                return fmt::format("disk of {}: lost_sync={} torn={} corrupt={} sync_latency={}", name(d.node),
                                   d.faults.lost_sync_probability, d.faults.torn_write_probability,
                                   d.faults.corrupt_probability, to_string(d.faults.sync_latency));
            },
            [&](const CorruptBlock& c) { return fmt::format("corrupt a block on {}", name(c.node)); },
        },
        f);
}

void apply(World& w, const Fault& f) {
    std::visit(overloaded{
                   [&](const Crash& c) { w.crash(c.node); },
                   [&](const Restart& r) { w.restart(r.node); },
                   [&](const Pause& p) { w.pause(p.node, p.duration); },
                   [&](const PartitionNetwork& p) { w.set_partition(p.partition); },
                   [&](const Heal&) { w.heal(); },
                   [&](const ClockJump& c) { w.jump_clock(c.node, c.delta); },
                   [&](const ClockDrift& c) { w.set_clock_drift(c.node, c.ppm); },
                   [&](const LinkChange& l) {
                       if (l.from && l.to) {
                           w.set_link(*l.from, *l.to, l.config);
                       } else {
                           w.set_default_link(l.config);
                       }
                   },
                   [&](const ClearLinkOverrides&) { w.clear_link_overrides(); },
                   [&](const DiskFaultProfile& d) { w.set_disk_faults(d.node, d.faults); },
                   [&](const CorruptBlock& c) { w.corrupt_disk(c.node); },
               },
               f);
}

void schedule(World& world, const FaultSchedule& faults) {
    for (const auto& sf : faults) {
        Fault f = sf.fault;
        world.at(sf.at, [f](World& w) { apply(w, f); });
    }
}

}  // namespace faultline::faults
