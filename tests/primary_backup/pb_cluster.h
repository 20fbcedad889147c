// A primary-backup cluster for tests: replicas n1..nN, the view service "vs" (fenced mode), and
// client nodes c1..cK each running the key-value workload; the history is recorded for the
// linearizability checker.
#pragma once

#include "protocols/kv/workload.h"
#include "protocols/primary_backup/client.h"
#include "protocols/primary_backup/replica.h"
#include "protocols/primary_backup/view_service.h"
#include "check/checker.h"
#include "check/model.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <memory>
#include <set>

namespace faultline::test {

struct PbSetup {
    primary_backup::Mode mode = primary_backup::Mode::fenced;
    int replicas = 3;
    int clients = 3;
    uint64_t seed = 1;
    kv::WorkloadOptions workload;
    LinkConfig network;
};

struct PbCluster {
    std::unique_ptr<World> world;
    std::unique_ptr<kv::HistoryRecorder> recorder;
    std::vector<NodeId> replicas;
    std::vector<NodeId> clients;
    NodeId view_service = no_node;

    explicit PbCluster(const PbSetup& s) {
        WorldOptions wo;
        wo.seed = s.seed;
        wo.network = s.network;
        world = std::make_unique<World>(wo);
        World* w = world.get();
        recorder = std::make_unique<kv::HistoryRecorder>([w] { return w->now().ns(); });
        primary_backup::Options o;
        o.mode = s.mode;
        for (int i = 1; i <= s.replicas; ++i) o.replicas.push_back(fmt::format("n{}", i));
        for (const auto& name : o.replicas) replicas.push_back(world->add_node(name, primary_backup::replica(o)));
        if (s.mode == primary_backup::Mode::fenced) view_service = world->add_node("vs", primary_backup::view_service(o));
        primary_backup::ClientOptions co;
        co.replicas = o.replicas;
        kv::HistoryRecorder* rec = recorder.get();
        for (int i = 1; i <= s.clients; ++i) {
            kv::WorkloadOptions wl = s.workload;
            clients.push_back(world->add_node(fmt::format("c{}", i), fiber_process([co, wl, rec](Context& ctx) {
                primary_backup::PbClient client(ctx, co);
                kv::run_workload(ctx, client, *rec, ctx.id() * 100 + ctx.incarnation(), wl);
            })));
        }
    }

    check::CheckResult check() const { return check::check(recorder->history(), check::Model::key_value_map()); }

    const primary_backup::Replica* replica(NodeId id) const {
        if (!world->is_up(id)) return nullptr;
        return dynamic_cast<const primary_backup::Replica*>(world->process(id));
    }

    // Every append acknowledged ok, as "key\ttoken".
    std::set<std::string> acked_appends() const {
        std::set<std::string> out;
        auto ops = check::pair_operations(recorder->history());
        if (!ops) return out;
        for (const auto& op : ops.value())
            if (op.f == check::Function::append && op.completion == check::Completion::ok)
                out.insert(op.key + "\t" + *op.value);
        return out;
    }
};

}  // namespace faultline::test
