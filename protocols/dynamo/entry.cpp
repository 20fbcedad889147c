// The Dynamo-style store's plug-in (protocols/plugin/protocol_entry.h). The only file of
// protocols/dynamo/ that sees the World (to add the servers).
#include "protocols/dynamo/client.h"
#include "protocols/dynamo/invariants.h"
#include "protocols/dynamo/server.h"
#include "protocols/plugin/figures.h"
#include "protocols/plugin/protocol_entry.h"
#include "protocols/plugin/replicas.h"

#include "sim/world.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultline::dynamo {

namespace {

scenario::ProtocolSpec spec() {
    scenario::ProtocolSpec s;
    s.name = "dynamo";
    s.description = "a Dynamo-style store: N/R/W quorums on a hash ring, sloppy quorums with hinted handoff, "
                    "last-writer-wins or version vectors with siblings, read repair, Merkle anti-entropy";
    s.cap = scenario::CapClass::ap;
    s.options = {
        plugin::int_option("n", 3, "replicas per key (capped at the number of servers)", 1, 64),
        plugin::int_option("r", 2, "replies a get waits for", 1, 64),
        plugin::int_option("w", 2, "acknowledgements a put waits for", 1, 64),
        plugin::bool_option("sloppy_quorum", false,
                            "true: when a replica is silent, the next server along the ring stands in for it and holds "
                            "the write as a hint (writes stay available, reads may miss them)"),
        plugin::string_option("conflicts", "vv",
                              "lww: the version with the newest coordinator clock wins (clock skew loses writes); "
                              "vv: version vectors keep concurrent writes as siblings",
                              {"lww", "vv"}),
        plugin::int_option("vnodes", 8, "tokens per server on the hash ring", 1, 256),
        plugin::bool_option("read_repair", true, "a get sends the merged result to replicas that answered with less"),
        plugin::int_option("anti_entropy_ms", 200, "how often a server compares Merkle trees with a random peer (0: never)", 0,
                           3'600'000),
        plugin::int_option("merkle_depth", 6, "Merkle tree depth (2^depth leaves)", 1, 16),
        plugin::int_option("handoff_ms", 100, "how often a stand-in tries to hand its hints back", 1, 3'600'000),
        plugin::int_option("hint_after_ms", 40, "sloppy quorum: a replica silent this long is replaced by a stand-in", 1,
                           3'600'000),
        plugin::int_option("suspect_ms", 300, "how long a silent replica is skipped by later requests", 0, 3'600'000),
        plugin::int_option("request_timeout_ms", 300, "a coordinator gives up on a request after this long", 1, 3'600'000),
        plugin::int_option("client_suspect_ms", 1000, "a client tries a coordinator that timed out last, for this long", 0,
                           3'600'000),
        plugin::bool_option("read_repair_overwrites_newer", false,
                            "planted bug: read repair replaces every differing replica's versions with the first reply, "
                            "even when that reply is older (versions_never_regress catches it)"),
        plugin::bool_option("hints_never_handed_off", false,
                            "planted bug: stand-ins keep their hints forever, so a key's home replica never gets the "
                            "writes it missed unless anti-entropy is on (convergence catches it)"),
    };
    s.check_options = [specs = s.options](const scenario::OptionValues& given, int servers) {
        plugin::Options o(specs, given);
        std::vector<scenario::OptionError> errors;
        for (const char* quorum : {"r", "w"})
            if (o.integer(quorum) > o.integer("n"))
                errors.push_back({given.count(quorum) ? quorum : "n",
                                  fmt::format("{} ({}) is above n ({}): no request could ever gather that many replies",
                                              quorum, o.integer(quorum), o.integer("n"))});
        // n is capped at the cluster's size, and stand-ins are servers too: r and w must fit it.
        if (errors.empty()) errors = plugin::quorums_above_cluster(o, servers);
        return errors;
    };
    s.operations = {"get", "put"};
    s.figures = {
        plugin::minority_ok_writes_figure(),
        scenario::figure("concurrent_versions", "keys some live replica holds as siblings at the end of the run (count)"),
        scenario::figure("hinted_writes", "writes a stand-in stored for a replica it replaced (count)"),
        scenario::figure("hints_pending", "hints still held by stand-ins at the end of the run (count)"),
    };
    s.invariants = invariant_names;
    s.reports_replica_states = true;
    s.replicas_converge = true;
    s.servers_min = 3;
    return s;
}

plugin::BuiltSystem build(World& world, const std::vector<std::string>& servers, const plugin::Options& v) {
    Options o;
    o.servers = servers;
    o.n = static_cast<int>(std::min<int64_t>(v.integer("n"), static_cast<int64_t>(servers.size())));
    o.r = static_cast<int>(std::min<int64_t>(v.integer("r"), o.n));
    o.w = static_cast<int>(std::min<int64_t>(v.integer("w"), o.n));
    o.sloppy_quorum = v.boolean("sloppy_quorum");
    o.conflicts = v.string("conflicts") == "lww" ? ConflictMode::lww : ConflictMode::vv;
    o.vnodes = static_cast<int>(v.integer("vnodes"));
    o.read_repair = v.boolean("read_repair");
    o.anti_entropy_ms = static_cast<int>(v.integer("anti_entropy_ms"));
    o.merkle_depth = static_cast<int>(v.integer("merkle_depth"));
    o.handoff_ms = static_cast<int>(v.integer("handoff_ms"));
    o.hint_after_ms = static_cast<int>(v.integer("hint_after_ms"));
    o.suspect_ms = static_cast<int>(v.integer("suspect_ms"));
    o.request_timeout_ms = static_cast<int>(v.integer("request_timeout_ms"));
    o.read_repair_overwrites_newer = v.boolean("read_repair_overwrites_newer");
    o.hints_never_handed_off = v.boolean("hints_never_handed_off");

    plugin::BuiltSystem b;
    for (const auto& name : servers) b.servers.push_back(world.add_node(name, server(o)));
    auto ring = std::make_shared<const Ring>(servers, o.vnodes);
    b.make_client = [ring, n = static_cast<std::size_t>(o.n), suspect = milliseconds(v.integer("client_suspect_ms"))](
                        Context& ctx, const plugin::ClientSettings& s) -> std::unique_ptr<kv::KvClient> {
        return std::make_unique<Client>(ctx, ring, n, s.attempt_timeout, s.attempts_max, suspect);
    };
    const std::vector<NodeId> ids = b.servers;
    const ConflictMode mode = o.conflicts;
    b.replicas_of = [ring, ids, n = static_cast<std::size_t>(o.n)](const std::string& key) {
        std::vector<NodeId> out;
        for (std::size_t i : ring->preference_list(key, n)) out.push_back(ids[i]);
        return out;
    };
    // The system's data: per key, every live replica's versions reconciled; siblings read as
    // the greatest value (what a client's merge would pick).
    b.data = [ids, mode](const plugin::ClusterView& c) {
        std::map<std::string, Siblings> merged;
        plugin::for_each_live<Server>(c, ids, [&](NodeId, const Server& s) {
            for (const auto& [key, versions] : s.data()) reconcile_all(mode, merged[key], versions);
        });
        std::map<std::string, std::string> out;
        for (const auto& [key, versions] : merged)
            if (!versions.empty()) out[key] = values_of(versions).back();
        return out;
    };
    b.replica_states = [ids](const plugin::ClusterView& c) {
        std::vector<plugin::ReplicaState> out;
        plugin::for_each_live<Server>(c, ids, [&](NodeId id, const Server& s) {
            plugin::ReplicaState state{id, "", {}};
            for (const auto& [key, versions] : s.data())
                if (!versions.empty()) state.values[key] = values_of(versions);
            out.push_back(std::move(state));
        });
        return out;
    };
    b.figures = [ids](const plugin::FigureInputs& in) {
        std::map<std::string, double> f = plugin::report_minority_ok_writes(in);
        std::set<std::string> concurrent;
        double hinted = 0, pending = 0;
        plugin::for_each_live<Server>(in.cluster, ids, [&](NodeId, const Server& s) {
            for (const auto& [key, versions] : s.data())
                if (versions.size() > 1) concurrent.insert(key);
            hinted += static_cast<double>(s.hinted_writes());
            pending += static_cast<double>(s.hints().size());
        });
        f["concurrent_versions"] = static_cast<double>(concurrent.size());
        f["hinted_writes"] = hinted;
        f["hints_pending"] = pending;
        return f;
    };
    b.invariants = invariants(mode);
    return b;
}

}  // namespace

plugin::ProtocolEntry entry() { return {spec(), build}; }

}  // namespace faultline::dynamo
