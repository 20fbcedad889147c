// The scenario writer (scenario/scenario_writer.h): what it writes, the parser reads back into
// the same Scenario, and a run of the rewritten scenario is the same run.
// Method: parse (every file in scenarios/ but malformed/, and a file that sets every key to
// something other than its default), write, parse the text again, and compare the two Scenarios
// field by field with a slow, obvious comparison (CONTRIBUTING.md rule 15: a dumb oracle beside the clever
// code); then require that writing is a fixpoint (write(parse(write(s))) == write(s)) and that
// one seed gives the same trace hashes before and after.
// Sections: [the comparison] [round trips].
#include "tests/runner/scenario_support.h"
#include "runner/catalog.h"
#include "runner/run.h"
#include "scenario/scenario_parser.h"
#include "scenario/scenario_writer.h"
#include "tests/scenario/test_catalog.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

using namespace faultline;
using namespace faultline::scenario;
namespace fs = std::filesystem;

// ============================================================================================
// [the comparison]
// ============================================================================================
namespace {

// Every difference between two Scenarios in the fields the format carries (not file, text or
// FaultSpec::line, which say where a scenario was read from), one line each.
class Differences {
public:
    template <typename T>
    void field(const std::string& name, const T& a, const T& b) {
        if (!(a == b)) lines_.push_back(name);
    }
    void link(const std::string& p, const LinkSpec& a, const LinkSpec& b) {
        field(p + ".latency", a.latency, b.latency);
        field(p + ".latency_ms", a.latency_ms, b.latency_ms);
        field(p + ".latency_spread_ms", a.latency_spread_ms, b.latency_spread_ms);
        field(p + ".latency_shape", a.latency_shape, b.latency_shape);
        field(p + ".latency_cap_ms", a.latency_cap_ms, b.latency_cap_ms);
        field(p + ".loss", a.loss, b.loss);
        field(p + ".duplicate", a.duplicate, b.duplicate);
        field(p + ".reorder", a.reorder, b.reorder);
        field(p + ".reorder_window_ms", a.reorder_window_ms, b.reorder_window_ms);
    }
    void expect(const std::string& p, const Expect& a, const Expect& b) {
        std::vector<std::string> keys_a, keys_b;
        for (const ExpectItem& i : a.items) keys_a.push_back(i.key);
        for (const ExpectItem& i : b.items) keys_b.push_back(i.key);
        field(p + ".<keys>", keys_a, keys_b);
        for (const ExpectItem& i : a.items)
            if (const ExpectItem* j = b.find(i.key)) field(p + "." + i.key, i.value, j->value);
    }
    void scenario(const Scenario& a, const Scenario& b) {
        field("version", a.version, b.version);
        field("name", a.name, b.name);
        field("description", a.description, b.description);
        field("duration_ms", a.duration_ms, b.duration_ms);
        field("seed", a.seed, b.seed);
        field("nodes", a.nodes, b.nodes);
        field("systems.size", a.systems.size(), b.systems.size());
        for (std::size_t i = 0; i < std::min(a.systems.size(), b.systems.size()); ++i) {
            const std::string p = fmt::format("system[{}]", i);
            field(p + ".name", a.systems[i].name, b.systems[i].name);
            field(p + ".protocol", a.systems[i].protocol, b.systems[i].protocol);
            field(p + ".options", a.systems[i].options, b.systems[i].options);
        }
        link("network", a.network.link, b.network.link);
        field("network.overrides.size", a.network.overrides.size(), b.network.overrides.size());
        for (std::size_t i = 0; i < std::min(a.network.overrides.size(), b.network.overrides.size()); ++i) {
            const std::string p = fmt::format("network.link[{}]", i);
            field(p + ".from", a.network.overrides[i].from, b.network.overrides[i].from);
            field(p + ".to", a.network.overrides[i].to, b.network.overrides[i].to);
            field(p + ".both_ways", a.network.overrides[i].both_ways, b.network.overrides[i].both_ways);
            link(p, a.network.overrides[i].link, b.network.overrides[i].link);
        }
        const Workload& w = a.workload;
        const Workload& v = b.workload;
        field("workload.clients", w.clients, v.clients);
        field("workload.ops_per_client", w.ops_per_client, v.ops_per_client);
        field("workload.think_time_ms", w.think_time_ms, v.think_time_ms);
        field("workload.start_delay_ms", w.start_delay_ms, v.start_delay_ms);
        field("workload.keys", w.keys, v.keys);
        field("workload.key_distribution", w.key_distribution, v.key_distribution);
        field("workload.zipf_exponent", w.zipf_exponent, v.zipf_exponent);
        field("workload.mix", w.mix(), v.mix());
        field("workload.timeout_ms", w.timeout_ms, v.timeout_ms);
        field("workload.attempts_max", w.attempts_max, v.attempts_max);
        field("workload.elements", w.elements, v.elements);
        field("faults.size", a.faults.size(), b.faults.size());
        for (std::size_t i = 0; i < std::min(a.faults.size(), b.faults.size()); ++i) {
            const FaultSpec& f = a.faults[i];
            const FaultSpec& g = b.faults[i];
            const std::string p = fmt::format("fault[{}]", i);
            field(p + ".kind", f.kind, g.kind);
            field(p + ".at_ms", f.at_ms, g.at_ms);
            field(p + ".until_ms", f.until_ms, g.until_ms);
            std::vector<std::string> keys_f, keys_g;
            for (const auto& [key, value] : f.args.values()) keys_f.push_back(key);
            for (const auto& [key, value] : g.args.values()) keys_g.push_back(key);
            field(p + ".<fields>", keys_f, keys_g);
            for (const auto& [key, value] : f.args.values()) {
                auto it = g.args.values().find(key);
                if (it != g.args.values().end()) field(p + "." + key, value, it->second);
            }
        }
        const Nemesis& n = a.nemesis;
        const Nemesis& m = b.nemesis;
        field("nemesis.enabled", n.enabled, m.enabled);
        field("nemesis.kinds", n.kinds, m.kinds);
        field("nemesis.targets", n.targets, m.targets);
        field("nemesis.start_ms", n.start_ms, m.start_ms);
        field("nemesis.end_ms", n.end_ms, m.end_ms);
        field("nemesis.interval_ms", n.interval_ms, m.interval_ms);
        field("nemesis.episode_ms", n.episode_ms, m.episode_ms);
        field("nemesis.swarm", n.swarm, m.swarm);
        field("nemesis.clock_jump_ms_max", n.clock_jump_ms_max, m.clock_jump_ms_max);
        field("nemesis.clock_drift_ppm_max", n.clock_drift_ppm_max, m.clock_drift_ppm_max);
        field("buggify.enabled", a.buggify.enabled, b.buggify.enabled);
        field("buggify.sites", a.buggify.sites, b.buggify.sites);
        auto choices = [](const Scenario& s) {
            std::vector<std::string> out;
            for (const auto& c : s.explored.choices) out.push_back(fmt::format("{} {}", c.index, choice_name(c.choice)));
            return out;
        };
        field("explored.choices", choices(a), choices(b));
        field("explored.late_ms", a.explored.late_ms, b.explored.late_ms);
        field("explored.restart_ms", a.explored.restart_ms, b.explored.restart_ms);
        field("checkers.switches", a.checkers.switches, b.checkers.switches);
        field("checkers.options", a.checkers.options, b.checkers.options);
        field("liveness.enabled", a.liveness.enabled, b.liveness.enabled);
        field("liveness.heal_at_ms", a.liveness.heal_at_ms, b.liveness.heal_at_ms);
        field("liveness.within_ms", a.liveness.within_ms, b.liveness.within_ms);
        expect("expect", a.expect_all, b.expect_all);
        std::vector<std::string> systems_a, systems_b;
        for (const auto& [name, e] : a.expect) systems_a.push_back(name);
        for (const auto& [name, e] : b.expect) systems_b.push_back(name);
        field("expect.<systems>", systems_a, systems_b);
        for (const auto& [name, e] : a.expect) {
            if (b.expect.contains(name)) expect("expect." + name, e, b.expect.at(name));
        }
    }
    std::string text() const {
        std::string out;
        for (const std::string& l : lines_) out += l + "\n";
        return out;
    }
    bool empty() const { return lines_.empty(); }

private:
    std::vector<std::string> lines_;
};

Scenario parse_ok(std::string_view text, std::string_view label, const Catalog& catalog) {
    ParseResult r = parse_scenario_text(text, label, catalog);
    INFO(label << ":\n" << format_errors(r.errors) << "--- text ---\n" << text);
    REQUIRE(r.ok());
    return *r.scenario;
}

// Writes, parses back, compares; returns the reparsed scenario.
Scenario require_round_trip(const Scenario& original, const Catalog& catalog) {
    const std::string written = write_scenario_toml(original);
    const Scenario again = parse_ok(written, original.file + " (rewritten)", catalog);
    Differences d;
    d.scenario(original, again);
    INFO(original.file << ": fields that differ after the round trip:\n" << d.text() << "--- written ---\n" << written);
    REQUIRE(d.empty());
    REQUIRE(write_scenario_toml(again) == written);
    return again;
}


// Every key of the format set to something other than its default, with the awkward cases the
// writer must get right: a description whose block needs paragraph breaks, a named cluster, an
// override equal to the base link but for one field, every fault kind and partition form, a
// link fault that changes a field back to the default, a disabled nemesis with settings.
constexpr std::string_view full_scenario = R"(# tests/x.toml
# Every key of the format, none at its default.
#
#   An indented line, and a "quoted" one.
[scenario]
version = 1
name = "every key"
duration_ms = 30_000.5
seed = 9_223_372_036_854_775_807

[cluster]
names = ["a", "b", "c", "d"]

[[system]]
name = "cp"
protocol = "raft"
[system.options]
heartbeat_ms = 25
election_timeout_ms = 200.25
pre_vote = true
read_mode = "lease"

[[system]]
name = "ap"
protocol = "dynamo"
read_quorum = 1
write_quorum = 1
sloppy_quorum = true

[network]
latency = "long_tail"
latency_ms = 2
latency_spread_ms = 3.5
latency_shape = 1.5
latency_cap_ms = 900
loss = 0.01
duplicate = 0.02
reorder = 0.03
reorder_window_ms = 7

[[network.link]]
from = "a"
to = "c2"
both_ways = true
loss = 0.5

[[network.link]]
from = "b"
to = "a"
latency = "constant"

[workload]
clients = 4
ops_per_client = 0
think_time_ms = 5
start_delay_ms = 100
keys = 8
key_distribution = "zipfian"
zipf_exponent = 1.2
mix = { get = 1, put = 2, append = 3 }
timeout_ms = 250
attempts_max = 4
elements = 6

[[fault]]
kind = "crash"
at_ms = 1_000
node = "a"
until_ms = 2_000

[[fault]]
kind = "restart"
at_ms = 2_500
node = "a"

[[fault]]
kind = "pause"
at_ms = 3_000
node = "b"
duration_ms = 0.125

[[fault]]
kind = "partition"
at_ms = 4_000
heal_at_ms = 9_000
sides = [["a", "b", "c1"], ["c", "d"]]

[[fault]]
kind = "partition"
at_ms = 10_000
shape = "one_way"
nodes = ["c", "d"]

[[fault]]
kind = "partition"
at_ms = 10_500
shape = "majorities_ring"
until_ms = 10_600

[[fault]]
kind = "heal"
at_ms = 11_000

[[fault]]
kind = "clock_jump"
at_ms = 12_000
node = "c"
jump_ms = -250

[[fault]]
kind = "clock_drift"
at_ms = 13_000
node = "d"
drift_ppm = -500
until_ms = 14_000

[[fault]]
kind = "link"
at_ms = 15_000
from = "c2"
to = "a"
latency_ms = 50
until_ms = 16_000

[[fault]]
kind = "link"
at_ms = 15_500
latency = "constant"
loss = 0

[[fault]]
kind = "clear_links"
at_ms = 17_000

[[fault]]
kind = "disk"
at_ms = 18_000
node = "b"
lost_sync = 0.1
torn_write = 0.2
corrupt = 0.3
sync_latency_ms = 4
until_ms = 19_000

[[fault]]
kind = "disk"
at_ms = 19_500
node = "c"
torn_write = 0

[[fault]]
kind = "corrupt_block"
at_ms = 20_000
node = "c"

[nemesis]
enabled = false
kinds = ["crash", "partition"]
targets = ["a", "b"]
start_ms = 2_000
end_ms = 25_000
interval_ms = 700
episode_ms = 350
swarm = true

[checkers]
linearizability = true
invariants = true
linearizability_steps_max = 1_000

[liveness]
enabled = true
heal_at_ms = 26_000
within_ms = 3_000

[expect]
faults_max = 100

[expect.cp]
linearizable = true
live = true
availability_min = 0.5
availability_max = 0.9
ok_ops_min = 10
info_ops_max = 5
lost_writes_max = 0
minority_ok_writes_max = 0

[expect.ap]
linearizable = false
lost_writes_min = 1
concurrent_versions_min = 2
)";

}  // namespace

// ============================================================================================
// [round trips]
// ============================================================================================
TEST_CASE("scenario writer: a file setting every key reads back field by field", "[scenario][writer]") {
    const Scenario s = parse_ok(full_scenario, "full.toml", scenario::test::test_catalog());
    REQUIRE(s.faults.size() == 15);
    REQUIRE(s.description.find("An indented line") != std::string::npos);
    require_round_trip(s, scenario::test::test_catalog());
}

TEST_CASE("scenario writer: descriptions the comment block cannot carry go in the key", "[scenario][writer]") {
    // A first line that looks like a path would be skipped, and blank edge lines trimmed, by the
    // leading-comment rule; quotes, backslashes and tabs must be escaped in the key.
    for (std::string_view description : {"x.toml", "\nstarts blank", "ends blank\n", "a \"quote\", a \\ and a\ttab",
                                         "two\n\nparagraphs"}) {
        Scenario s = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n", "d.toml", scenario::test::test_catalog());
        s.description = std::string(description);
        const Scenario again = require_round_trip(s, scenario::test::test_catalog());
        REQUIRE(again.description == description);
    }
}

TEST_CASE("scenario writer: the element pool is written only when it is not the default", "[scenario][writer]") {
    Scenario s = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n", "e.toml", scenario::test::test_catalog());
    REQUIRE(write_scenario_toml(s).find("elements") == std::string::npos);
    s.workload.elements = 3;
    REQUIRE(write_scenario_toml(s).find("elements = 3\n") != std::string::npos);
    REQUIRE(require_round_trip(s, scenario::test::test_catalog()).workload.elements == 3);
}

TEST_CASE("scenario writer: an edited scenario (as shrink makes them) reads back", "[scenario][writer]") {
    Scenario s = parse_ok(full_scenario, "full.toml", scenario::test::test_catalog());
    s.workload.clients = 0;  // with no clients, ops_per_client 0 is still allowed
    s.faults.erase(s.faults.begin() + 3);  // the partition that names c1
    s.network.overrides.erase(s.network.overrides.begin());  // and the override naming c2
    s.faults.erase(s.faults.begin() + 8);  // the link fault from c2
    s.nemesis.enabled = true;
    s.liveness.heal_at_ms.reset();
    s.expect.erase("ap");
    s.expect["ap"];  // an empty [expect.ap] stays in the map
    require_round_trip(s, scenario::test::test_catalog());
}

TEST_CASE("scenario writer: every scenario in scenarios/ round-trips and runs the same", "[scenario][writer]") {
    const auto files = faultline::test::scenario_files();
    REQUIRE(files.size() >= 2);
    for (const std::string& file : files) {
        INFO(file);
        ParseResult parsed = parse_scenario_file(file, runner::catalog());
        INFO(format_errors(parsed.errors));
        REQUIRE(parsed.ok());
        const Scenario& s = *parsed.scenario;
        const Scenario again = require_round_trip(s, runner::catalog());
        // A description written as the comment block is the house's: it starts the file.
        if (!s.description.empty()) REQUIRE(write_scenario_toml(s).rfind("# ", 0) == 0);

        runner::RunOptions o;
        o.seed = s.seed;
        o.trace_level = TraceLevel::off;
        o.keep_trace = false;
        const runner::RunOutcome before = runner::run_scenario(s, o);
        const runner::RunOutcome after = runner::run_scenario(again, o);
        REQUIRE(before.systems.size() == after.systems.size());
        for (std::size_t i = 0; i < before.systems.size(); ++i) {
            INFO("system " << before.systems[i].system);
            REQUIRE(before.systems[i].trace_hash == after.systems[i].trace_hash);
            REQUIRE(before.systems[i].event_count == after.systems[i].event_count);
        }
        REQUIRE(before.expectations_met == after.expectations_met);
    }
}
