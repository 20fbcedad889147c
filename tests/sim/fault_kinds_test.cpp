// The fault kind table (sim/faults/fault_kind.h) is the one place a kind is defined: every kind
// is documented, every kind a scenario can write makes a fault that runs, and the kernel action
// behind the newest kind (disk_wipe) does what it says.
// Method: walk the table against docs/scenarios.md and `faultline list`'s source of truth; parse,
// run and describe a one-fault scenario of each kind; wipe a node's disk in a bare World.
#include "tests/runner/scenario_support.h"

#include "runner/session.h"
#include "sim/faults/fault_kind.h"
#include "sim/world.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

using namespace faultline;

namespace {

// The fields one fault of `kind` needs in a 3-server, 1-client cluster, as TOML lines.
std::string fields_of(const faults::FaultKind& kind) {
    std::string out;
    for (const faults::FaultField& f : kind.fields) {
        if (!f.required) continue;
        switch (f.type) {
            case faults::FieldType::server:
            case faults::FieldType::node: out += fmt::format("{} = \"n2\"\n", f.key); break;
            case faults::FieldType::number: out += fmt::format("{} = {}\n", f.key, f.min_open ? f.min + 1 : std::max(f.min, 0.0) + 1); break;
            default: FAIL("no generic value for required field " << f.key << " of " << kind.name);
        }
    }
    if (kind.name == "partition") out += "sides = [[\"n1\"], [\"n2\", \"n3\"]]\n";
    if (kind.name == "link") out += "loss = 0.5\n";
    if (kind.name == "disk") out += "lost_sync = 0.5\n";
    if (!kind.until.empty()) out += "until_ms = 900\n";
    return out;
}

}  // namespace

TEST_CASE("fault kinds: every kind of the table is documented in docs/scenarios.md", "[faults]") {
    std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/docs/scenarios.md");
    std::stringstream doc;
    doc << in.rdbuf();
    REQUIRE(faults::fault_kinds().size() >= 12);
    for (const faults::FaultKind& k : faults::fault_kinds()) {
        INFO(k.name);
        REQUIRE(doc.str().find(fmt::format("| `{}` |", k.name)) != std::string::npos);
    }
}

TEST_CASE("fault kinds: a one-fault scenario of each kind parses, runs and applies its fault", "[faults]") {
    for (const faults::FaultKind& k : faults::fault_kinds()) {
        const std::string text = fmt::format(
            "[scenario]\nversion = 1\nduration_ms = 1_000\n[cluster]\nnodes = 3\n[[system]]\nprotocol = \"raft\"\n"
            "[workload]\nclients = 1\nops_per_client = 5\n[liveness]\nenabled = false\n"
            "{}[[fault]]\nkind = \"{}\"\nat_ms = 500\n{}",
            // A restart restarts a crashed node (of an up node it is nothing): crash it first.
            k.name == "restart" ? "[[fault]]\nkind = \"crash\"\nat_ms = 400\nnode = \"n2\"\n" : "", k.name, fields_of(k));
        INFO(k.name << "\n" << text);
        auto parsed = scenario::parse_scenario_text(text, "one_fault.toml", runner::catalog());
        INFO(scenario::format_errors(parsed.errors));
        REQUIRE(parsed.ok());
        const runner::RunOutcome run = test::run_seed(*parsed.scenario, 1, TraceLevel::events);
        REQUIRE_FALSE(run.internal_error());
        const runner::SystemOutcome& o = run.systems.front();
        std::size_t of_kind = 0;
        for (const auto& f : o.planned) of_kind += faults::kind_name(f.fault) == k.name && f.at == Instant::zero() + milliseconds(500);
        REQUIRE(of_kind == 1);
        REQUIRE(o.planned.size() == (k.until.empty() ? 1u : 2u) + (k.name == "restart" ? 1u : 0u));
        bool recorded = false;
        for (const TraceEvent& e : o.trace)
            for (EventKind t : k.trace_kinds) recorded |= e.kind == t && e.time == Instant::zero() + milliseconds(500);
        REQUIRE(recorded);
    }
}

TEST_CASE("fault kinds: a wiped disk is empty when its node comes back, and the wipe is traced", "[faults][disk]") {
    World world(WorldOptions{.seed = 1, .trace_level = TraceLevel::events});
    struct Keeper final : Process {
        void on_start(Context& ctx) override {
            if (!ctx.disk().contains("k")) {
                ctx.disk().write("k", "v");
                ctx.sync();
            }
        }
    };
    const NodeId n = world.add_node("n1", [] { return std::make_unique<Keeper>(); });
    world.run_for(milliseconds(1));
    REQUIRE(world.disk(n).contains("k"));
    faults::apply(world, faults::WipeDisk{n});
    REQUIRE_FALSE(world.is_up(n));
    REQUIRE_FALSE(world.disk(n).contains("k"));
    REQUIRE(world.trace().count(EventKind::disk_wipe) == 1);
    REQUIRE(world.trace().count(EventKind::crash) == 1);
    world.restart(n);
    world.run_for(milliseconds(1));
    REQUIRE(world.disk(n).contains("k"));  // written afresh by the new incarnation
}
