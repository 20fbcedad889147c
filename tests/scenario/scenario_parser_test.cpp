// The scenario parser (scenario/scenario_parser.h): valid files become exactly the Scenario
// they describe; omitted keys take the documented defaults; the CP-vs-AP example parses; errors
// name file, line, column and key, are all collected, and come sorted.
// Method: parse texts with a test catalog (raft, dynamo) and compare field by field.
// Sections: [helpers] [valid files] [errors] [fuzzing].
#include "scenario/scenario_parser.h"
#include "scenario/suggest.h"
#include "tests/scenario/parse_support.h"
#include "runner/record.h"
#include "runner/run.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace faultline::scenario;

// ============================================================================================
// [helpers]
// ============================================================================================
using test::has_error;
using test::parse;

namespace {

// An [expect] key's value, when the table has the key.
template <typename T>
std::optional<T> expected(const Expect& e, std::string_view key) {
    const ExpectItem* item = e.find(key);
    if (item == nullptr) return std::nullopt;
    return std::get<T>(item->value);
}

// The parse must succeed; on failure the errors are printed as the CLI would print them.
Scenario parse_ok(std::string_view text) {
    ParseResult r = parse(text);
    INFO(format_errors(r.errors));
    REQUIRE(r.ok());
    REQUIRE(r.scenario.has_value());
    return *r.scenario;
}

// Every key the format has, each set to a value other than its default (except the checker and
// liveness switches, which the expectations need on; switching them off is tested below).
constexpr std::string_view full_scenario = R"(# The full format: every key set to something other than its default.
[scenario]
version = 1
name = "everything"
description = "every key, no defaults"
duration_ms = 30_000
seed = 42

[cluster]
names = ["a", "b", "c", "d"]

[[system]]
name = "cp"
protocol = "raft"
[system.options]
heartbeat_ms = 25
election_timeout_ms = 200
pre_vote = true
read_mode = "lease"

[[system]]
name = "ap"
protocol = "dynamo"
read_quorum = 1
write_quorum = 1
sloppy_quorum = true

[network]
latency = "uniform"
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
to = "b"
both_ways = true
loss = 0.5

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
duration_ms = 400

[[fault]]
kind = "partition"
at_ms = 4_000
until_ms = 9_000
sides = [["a", "b", "c1"], ["c", "d"]]

[[fault]]
kind = "partition"
at_ms = 10_000
shape = "one_way"
nodes = ["c", "d"]

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
drift_ppm = 500
until_ms = 14_000

[[fault]]
kind = "link"
at_ms = 15_000
from = "c2"
to = "a"
latency_ms = 50
until_ms = 16_000

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
kind = "corrupt_block"
at_ms = 20_000
node = "c"

[nemesis]
kinds = ["crash", "partition"]
targets = ["a", "b"]
start_ms = 2_000
end_ms = 25_000
interval_ms = 700
episode_ms = 350
swarm = true
clock_jump_ms_max = 0
clock_drift_ppm_max = 200

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
// [valid files]
// ============================================================================================
TEST_CASE("scenario parser: a full file round-trips every field", "[scenario]") {
    const Scenario s = parse_ok(full_scenario);
    REQUIRE(s.version == 1);
    REQUIRE(s.name == "everything");
    REQUIRE(s.description == "every key, no defaults");
    REQUIRE(s.file == "t.toml");
    REQUIRE(s.text == full_scenario);
    REQUIRE(s.duration_ms == 30'000);
    REQUIRE(s.seed == 42);
    REQUIRE(s.nodes == std::vector<std::string>{"a", "b", "c", "d"});

    REQUIRE(s.systems.size() == 2);
    REQUIRE(s.systems[0].name == "cp");
    REQUIRE(s.systems[0].protocol == "raft");
    REQUIRE(s.systems[0].options.size() == 4);
    REQUIRE(std::get<int64_t>(s.systems[0].options.at("heartbeat_ms")) == 25);
    // An integer written for a real option arrives as a real.
    REQUIRE(std::get<double>(s.systems[0].options.at("election_timeout_ms")) == 200.0);
    REQUIRE(std::get<bool>(s.systems[0].options.at("pre_vote")) == true);
    REQUIRE(std::get<std::string>(s.systems[0].options.at("read_mode")) == "lease");
    REQUIRE(s.systems[1].name == "ap");
    REQUIRE(s.systems[1].protocol == "dynamo");
    REQUIRE(std::get<int64_t>(s.systems[1].options.at("read_quorum")) == 1);
    REQUIRE(std::get<int64_t>(s.systems[1].options.at("write_quorum")) == 1);
    REQUIRE(std::get<bool>(s.systems[1].options.at("sloppy_quorum")) == true);

    const LinkSpec& link = s.network.link;
    REQUIRE(link.latency == "uniform");
    REQUIRE(link.latency_ms == 2);
    REQUIRE(link.latency_spread_ms == 3.5);
    REQUIRE(link.latency_shape == 1.5);
    REQUIRE(link.latency_cap_ms == 900);
    REQUIRE(link.loss == 0.01);
    REQUIRE(link.duplicate == 0.02);
    REQUIRE(link.reorder == 0.03);
    REQUIRE(link.reorder_window_ms == 7);
    REQUIRE(s.network.overrides.size() == 1);
    const LinkOverride& o = s.network.overrides[0];
    REQUIRE(o.from == "a");
    REQUIRE(o.to == "b");
    REQUIRE(o.both_ways);
    REQUIRE(o.link.loss == 0.5);
    REQUIRE(o.link.latency == "uniform");  // the fields it does not name come from [network]
    REQUIRE(o.link.latency_spread_ms == 3.5);

    const Workload& w = s.workload;
    REQUIRE(w.clients == 4);
    REQUIRE(w.ops_per_client == 0);
    REQUIRE(w.think_time_ms == 5);
    REQUIRE(w.start_delay_ms == 100);
    REQUIRE(w.keys == 8);
    REQUIRE(w.key_distribution == "zipfian");
    REQUIRE(w.zipf_exponent == 1.2);
    REQUIRE(w.get == 1);
    REQUIRE(w.put == 2);
    REQUIRE(w.append == 3);
    REQUIRE(w.cas == 0);  // left out of the mix: weight 0
    REQUIRE(w.timeout_ms == 250);
    REQUIRE(w.attempts_max == 4);
    REQUIRE(w.elements == 6);

    REQUIRE(s.faults.size() == 12);
    const auto& f = s.faults;
    REQUIRE(f[0].kind == "crash");
    REQUIRE(f[0].at_ms == 1'000);
    REQUIRE(f[0].args.text("node") == "a");
    REQUIRE(f[0].until_ms == 2'000);
    REQUIRE(f[0].line == 58);  // the [[fault]] header line
    REQUIRE(f[1].kind == "restart");
    REQUIRE(f[1].args.text("node") == "a");
    REQUIRE_FALSE(f[1].until_ms.has_value());
    REQUIRE(f[2].kind == "pause");
    REQUIRE(f[2].args.number("duration_ms") == 400);
    REQUIRE(f[3].kind == "partition");
    REQUIRE(f[3].until_ms == 9'000);
    REQUIRE(f[3].args.groups("sides") == std::vector<std::vector<std::string>>{{"a", "b", "c1"}, {"c", "d"}});
    REQUIRE(f[4].args.text("shape") == "one_way");
    REQUIRE(f[4].args.list("nodes") == std::vector<std::string>{"c", "d"});
    REQUIRE_FALSE(f[4].until_ms.has_value());
    REQUIRE(f[5].kind == "heal");
    REQUIRE(f[6].kind == "clock_jump");
    REQUIRE(f[6].args.number("jump_ms") == -250);
    REQUIRE(f[7].kind == "clock_drift");
    REQUIRE(f[7].args.number("drift_ppm") == 500);
    REQUIRE(f[7].until_ms == 14'000);
    REQUIRE(f[8].kind == "link");
    REQUIRE(f[8].args.text("from") == "c2");
    REQUIRE(f[8].args.text("to") == "a");
    REQUIRE(f[8].args.number("latency_ms") == 50);
    REQUIRE_FALSE(f[8].args.has("loss"));  // the rest of the link stays as [network] has it
    REQUIRE(f[8].until_ms == 16'000);
    REQUIRE(f[9].kind == "clear_links");
    REQUIRE(f[10].kind == "disk");
    REQUIRE(f[10].args.number("lost_sync") == 0.1);
    REQUIRE(f[10].args.number("torn_write") == 0.2);
    REQUIRE(f[10].args.number("corrupt") == 0.3);
    REQUIRE(f[10].args.number("sync_latency_ms") == 4);
    REQUIRE(f[10].until_ms == 19'000);
    REQUIRE(f[11].kind == "corrupt_block");
    REQUIRE(f[11].args.text("node") == "c");

    REQUIRE(s.nemesis.enabled);  // a [nemesis] table turns it on
    REQUIRE(s.nemesis.kinds == std::vector<std::string>{"crash", "partition"});
    REQUIRE(s.nemesis.targets == std::vector<std::string>{"a", "b"});
    REQUIRE(s.nemesis.start_ms == 2'000);
    REQUIRE(s.nemesis.end_ms == 25'000);
    REQUIRE(s.nemesis.interval_ms == 700);
    REQUIRE(s.nemesis.episode_ms == 350);
    REQUIRE(s.nemesis.swarm);
    REQUIRE(s.nemesis.clock_jump_ms_max == 0);
    REQUIRE(s.nemesis.clock_drift_ppm_max == 200);

    REQUIRE(s.checkers.switches.at("linearizability"));
    REQUIRE(s.checkers.switches.at("invariants"));
    REQUIRE(std::get<int64_t>(s.checkers.options.at("linearizability_steps_max")) == 1'000);

    REQUIRE(s.liveness.enabled);
    REQUIRE(s.liveness.heal_at_ms == 26'000);
    REQUIRE(s.liveness.within_ms == 3'000);

    REQUIRE(expected<int64_t>(s.expect_all, "faults_max") == 100);
    REQUIRE_FALSE(expected<bool>(s.expect_all, "linearizable").has_value());
    REQUIRE(s.expect.size() == 2);
    const Expect& cp = s.expect.at("cp");
    REQUIRE(expected<bool>(cp, "linearizable") == true);
    REQUIRE(expected<bool>(cp, "live") == true);
    REQUIRE(expected<double>(cp, "availability_min") == 0.5);
    REQUIRE(expected<double>(cp, "availability_max") == 0.9);
    REQUIRE(expected<int64_t>(cp, "ok_ops_min") == 10);
    REQUIRE(expected<int64_t>(cp, "info_ops_max") == 5);
    REQUIRE(expected<int64_t>(cp, "lost_writes_max") == 0);
    REQUIRE(expected<int64_t>(cp, "minority_ok_writes_max") == 0);
    const Expect& ap = s.expect.at("ap");
    REQUIRE(expected<bool>(ap, "linearizable") == false);
    REQUIRE(expected<int64_t>(ap, "lost_writes_min") == 1);
    REQUIRE(expected<int64_t>(ap, "concurrent_versions_min") == 2);
    REQUIRE_FALSE(expected<double>(ap, "availability_min").has_value());
}

TEST_CASE("scenario parser: a minimal file takes every default", "[scenario]") {
    const Scenario s = parse_ok("[scenario]\nversion = 1\n\n[[system]]\nprotocol = \"raft\"\n");
    const Scenario d;  // scenario.h's defaults
    REQUIRE(s.name == "t");  // the file's stem
    REQUIRE(s.description.empty());
    REQUIRE(s.duration_ms == d.duration_ms);
    REQUIRE(s.seed == d.seed);
    REQUIRE(s.nodes == std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"});
    REQUIRE(s.systems.size() == 1);
    REQUIRE(s.systems[0].name == "raft");  // named after its protocol
    REQUIRE(s.systems[0].options.empty());  // defaults stay with the protocol, not the file
    REQUIRE(s.network.link.latency == d.network.link.latency);
    REQUIRE(s.network.link.latency_ms == d.network.link.latency_ms);
    REQUIRE(s.network.link.loss == d.network.link.loss);
    REQUIRE(s.network.overrides.empty());
    REQUIRE(s.workload.clients == d.workload.clients);
    REQUIRE(s.workload.ops_per_client == d.workload.ops_per_client);
    REQUIRE(s.workload.key_distribution == d.workload.key_distribution);
    REQUIRE(s.workload.get == d.workload.get);
    REQUIRE(s.workload.put == d.workload.put);
    REQUIRE(s.workload.append == d.workload.append);
    REQUIRE(s.workload.cas == d.workload.cas);
    REQUIRE(s.workload.timeout_ms == d.workload.timeout_ms);
    REQUIRE(s.workload.attempts_max == d.workload.attempts_max);
    REQUIRE(s.workload.elements == 0);  // a fresh element per add, as before element pools
    REQUIRE(s.faults.empty());
    REQUIRE_FALSE(s.nemesis.enabled);
    REQUIRE(s.nemesis.kinds == d.nemesis.kinds);
    REQUIRE(s.checkers.switches.empty());  // every checker at its catalog default
    REQUIRE(s.checkers.options.empty());
    REQUIRE(s.liveness.enabled);
    REQUIRE_FALSE(s.liveness.heal_at_ms.has_value());
    REQUIRE(s.liveness.within_ms == d.liveness.within_ms);
    REQUIRE(s.expect.empty());
    REQUIRE(s.expect_all.empty());
}

TEST_CASE("scenario parser: the CP-vs-AP example parses", "[scenario]") {
    // A CP and an AP store under one partition, as docs/scenarios.md introduces scenarios.
    constexpr std::string_view style_example = R"(# scenarios/cap/partition_cp_vs_ap.toml
# The same partition against Raft (CP) and a sloppy-quorum store (AP): the minority side of Raft
# refuses writes; the AP store accepts them and later shows concurrent versions.
[scenario]
version = 1
duration_ms = 20_000

[[system]]
name = "cp"
protocol = "raft"

[[system]]
name = "ap"
protocol = "dynamo"
read_quorum = 1
write_quorum = 1
sloppy_quorum = true

[[fault]]
kind = "partition"
at_ms = 5_000
heal_at_ms = 12_000
sides = [["n1", "n2"], ["n3", "n4", "n5"]]

[expect.cp]
linearizable = true
minority_ok_writes_max = 0

[expect.ap]
availability_min = 0.99
concurrent_versions_min = 1
)";
    const Scenario s = parse_scenario_text(style_example, "scenarios/cap/partition_cp_vs_ap.toml", test::test_catalog())
                           .scenario.value();
    REQUIRE(s.name == "partition_cp_vs_ap");
    // The leading comment block, without the file's own path line.
    REQUIRE(s.description ==
            "The same partition against Raft (CP) and a sloppy-quorum store (AP): the minority side of Raft\n"
            "refuses writes; the AP store accepts them and later shows concurrent versions.");
    REQUIRE(s.systems.size() == 2);
    REQUIRE(std::get<bool>(s.systems[1].options.at("sloppy_quorum")));
    REQUIRE(s.faults.size() == 1);
    REQUIRE(s.faults[0].until_ms == 12'000);  // heal_at_ms is until_ms for a partition
    REQUIRE(s.faults[0].args.groups("sides").size() == 2);
    REQUIRE(expected<int64_t>(s.expect.at("cp"), "minority_ok_writes_max") == 0);
    REQUIRE(expected<double>(s.expect.at("ap"), "availability_min") == 0.99);
    REQUIRE(expected<int64_t>(s.expect.at("ap"), "concurrent_versions_min") == 1);
}

// ============================================================================================
// [errors]
// ============================================================================================
TEST_CASE("scenario parser: all errors are reported in one pass, sorted by line", "[scenario]") {
    const ParseResult r = parse(R"([scenario]
version = 1
duration_ms = "10s"

[[system]]
protocol = "paxos"

[network]
loss = 1.5
)");
    REQUIRE_FALSE(r.ok());
    REQUIRE_FALSE(r.scenario.has_value());
    REQUIRE(r.errors.size() == 3);
    REQUIRE(r.errors[0].line == 3);
    REQUIRE(r.errors[0].key == "scenario.duration_ms");
    REQUIRE(r.errors[1].line == 6);
    REQUIRE(r.errors[1].key == "system[0].protocol");
    REQUIRE(r.errors[1].message.find("known protocols: raft, dynamo") != std::string::npos);
    REQUIRE(r.errors[2].line == 9);
    REQUIRE(r.errors[2].key == "network.loss");
}

TEST_CASE("scenario parser: errors print as file:line:col: key: message", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\nduration_ms = -5\n[[system]]\nprotocol = \"raft\"\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(format_errors(r.errors) == "t.toml:3:15: scenario.duration_ms: out of range: must be in (0, 604800000], got -5\n");
    REQUIRE(format_error(ScenarioError{.file = "x.toml", .line = 0, .column = 0, .key = "", .message = "cannot open"}) ==
            "x.toml: cannot open");
}

TEST_CASE("scenario parser: an unreadable file is one error naming it", "[scenario]") {
    const ParseResult r = parse_scenario_file("/nonexistent/dir/none.toml", test::test_catalog());
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].file == "/nonexistent/dir/none.toml");
    REQUIRE(r.errors[0].line == 0);
    REQUIRE(r.errors[0].message.find("cannot open") != std::string::npos);
}

TEST_CASE("scenario parser: options in a sub-table and inline are read alike, twice is an error", "[scenario]") {
    const Scenario s = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\nheartbeat_ms = 10\n"
                                "[system.options]\npre_vote = true\n");
    REQUIRE(std::get<int64_t>(s.systems[0].options.at("heartbeat_ms")) == 10);
    REQUIRE(std::get<bool>(s.systems[0].options.at("pre_vote")));
    const ParseResult twice = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\nheartbeat_ms = 10\n"
                                    "[system.options]\nheartbeat_ms = 20\n");
    REQUIRE(twice.errors.size() == 1);
    REQUIRE(twice.errors[0].message.find("given twice") != std::string::npos);
}

TEST_CASE("scenario parser: partition shapes fill in or check their nodes", "[scenario]") {
    const Scenario s = parse_ok("[scenario]\nversion = 1\n[cluster]\nnodes = 3\n[[system]]\nprotocol = \"raft\"\n"
                                "[[fault]]\nkind = \"partition\"\nat_ms = 0\nshape = \"bridge\"\n"
                                "[[fault]]\nkind = \"partition\"\nat_ms = 0\nshape = \"isolate\"\nnodes = [\"n2\"]\n");
    REQUIRE(s.faults[0].args.list("nodes") == std::vector<std::string>{"n1", "n2", "n3"});  // cluster order
    REQUIRE(s.faults[1].args.list("nodes") == std::vector<std::string>{"n2"});
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[[fault]]\nkind = \"partition\"\nat_ms = 0\nshape = \"one_way\"\nnodes = [\"n1\"]\n");
    REQUIRE(has_error(r, 9, "fault[0].nodes", "exactly 2 nodes"));
}

TEST_CASE("scenario parser: a crash may not name a client, a partition may", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[[fault]]\nkind = \"crash\"\nat_ms = 0\nnode = \"c1\"\n");
    REQUIRE(has_error(r, 8, "fault[0].node", "'c1' is a client"));
    parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
             "[[fault]]\nkind = \"partition\"\nat_ms = 0\nsides = [[\"c1\", \"n1\"], [\"n2\"]]\n");
}

TEST_CASE("scenario parser: a key of another fault kind is named as such", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[[fault]]\nkind = \"crash\"\nat_ms = 0\nnode = \"n1\"\nsides = []\n");
    REQUIRE(has_error(r, 9, "fault[0].sides", "'sides' does not apply to a crash fault"));
}

TEST_CASE("scenario parser: a [nemesis] table can stay off", "[scenario]") {
    const Scenario s = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n[nemesis]\nenabled = false\n");
    REQUIRE_FALSE(s.nemesis.enabled);
}

TEST_CASE("scenario parser: the description key wins over the comment block", "[scenario]") {
    const Scenario s = parse_ok("# from the comment\n[scenario]\nversion = 1\ndescription = \"from the key\"\n"
                                "[[system]]\nprotocol = \"raft\"\n");
    REQUIRE(s.description == "from the key");
    const Scenario c = parse_ok("# line one\n#\n# line three\n\n[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n");
    REQUIRE(c.description == "line one\n\nline three");
}

TEST_CASE("suggestions: edit distance counts swaps as one edit", "[scenario]") {
    REQUIRE(edit_distance("network", "network") == 0);
    REQUIRE(edit_distance("netwrok", "network") == 1);
    REQUIRE(edit_distance("los", "loss") == 1);
    REQUIRE(edit_distance("", "abc") == 3);
    REQUIRE(edit_distance("Network", "network") == 0);
    const std::vector<std::string> names{"network", "nemesis", "workload"};
    REQUIRE(closest_match("netwrok", std::span<const std::string>(names)) == "network");
    REQUIRE_FALSE(closest_match("zzzzzz", std::span<const std::string>(names)).has_value());
}

TEST_CASE("scenario parser: the annotated example in docs/scenarios.md is the CAP file, parses and holds", "[scenario]") {
    // Examples are documentation and tests (CONTRIBUTING.md rule 16): the first toml block after the
    // heading "A complete, annotated example" must stay a valid scenario.
    std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/docs/scenarios.md");
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t heading = doc.find("## A complete, annotated example");
    REQUIRE(heading != std::string::npos);
    const std::size_t open = doc.find("```toml\n", heading);
    REQUIRE(open != std::string::npos);
    const std::size_t body = open + 8;
    const std::size_t close = doc.find("```", body);
    REQUIRE(close != std::string::npos);
    // It is scenarios/cap/partition.toml, verbatim.
    const std::string example = doc.substr(body, close - body);
    std::ifstream file(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/cap/partition.toml");
    const std::string on_disk((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    REQUIRE(example == on_disk);
    // Parsed with the real catalog: the example names real protocols, options and figures.
    const ParseResult r = parse_scenario_text(example, "partition.toml", faultline::runner::catalog());
    INFO(format_errors(r.errors));
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    REQUIRE(s.systems.size() == 7);
    REQUIRE(s.faults.size() == 1);
    REQUIRE(s.workload.stop_at_ms == 5000);
    REQUIRE(s.description.rfind("CAP, run: one partition", 0) == 0);
    // And it runs as printed, meeting its own expectations (its lesson holds), on twenty seeds.
#if defined(FAULTLINE_SANITIZE)
    constexpr uint64_t seeds = 3;  // ~10x slower under the sanitizers
#else
    constexpr uint64_t seeds = 20;
#endif
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
        faultline::runner::RunOptions o;
        o.seed = seed;
        o.trace_level = faultline::TraceLevel::off;
        o.keep_trace = false;
        const faultline::runner::RunOutcome run = faultline::runner::run_scenario(s, o);
        INFO("seed " << seed << "\n" << faultline::runner::format_summary(s, run, -1));
        REQUIRE(run.expectations_met);
    }
}

TEST_CASE("scenario parser: an unsupported version is reported alone", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 2\nbogus = 1\n[netwrok]\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].line == 2);
    REQUIRE(r.errors[0].column == 11);
    REQUIRE(r.errors[0].key == "scenario.version");
    REQUIRE(r.errors[0].message == "unsupported format version 2; this build reads version 1");
}

TEST_CASE("scenario parser: a real where an integer option is expected shows its point", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\nheartbeat_ms = 3.0\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].key == "system[0].heartbeat_ms");
    REQUIRE(r.errors[0].message ==
            "wrong type: expected an integer (milliseconds), got a floating-point number (3.0)");
}

TEST_CASE("scenario parser: a syntax error names its line and column", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\nduration_ms = = 5\n");
    REQUIRE(r.errors.size() == 1);
    REQUIRE(r.errors[0].line == 3);
    REQUIRE(r.errors[0].column > 0);
    REQUIRE(r.errors[0].key.empty());
    REQUIRE(r.errors[0].message.rfind("TOML syntax error: ", 0) == 0);
}

// ============================================================================================
// [fuzzing]
// ============================================================================================
TEST_CASE("scenario parser: damaged variants of a valid file never crash and always say where", "[scenario]") {
    // Method: from the full scenario, delete each line in turn, and replace each value in turn by
    // values of every wrong shape. Each variant must parse to a Scenario or to errors that all
    // carry a position and a message, sorted by line; none may throw or assert.
    std::vector<std::string> lines;
    {
        std::string text(full_scenario);
        std::size_t pos = 0;
        while (pos <= text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            lines.push_back(text.substr(pos, end - pos));
            pos = end + 1;
        }
    }
    auto join = [](const std::vector<std::string>& ls) {
        std::string out;
        for (const std::string& l : ls) out += l + "\n";
        return out;
    };
    const std::vector<std::string> replacements{"\"x\"", "-1", "0", "1.5", "[]", "{}", "[1, \"a\"]", "true",
                                                "99999999999", "nan", "1979-05-27"};
    std::vector<std::string> variants;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::vector<std::string> deleted = lines;
        deleted.erase(deleted.begin() + static_cast<std::ptrdiff_t>(i));
        variants.push_back(join(deleted));
        const std::size_t eq = lines[i].find(" = ");
        if (eq == std::string::npos || lines[i][0] == '#') continue;
        for (const std::string& r : replacements) {
            std::vector<std::string> changed = lines;
            changed[i] = lines[i].substr(0, eq + 3) + r;
            variants.push_back(join(changed));
        }
    }
    std::size_t rejected = 0;
    for (const std::string& text : variants) {
        const ParseResult r = parse(text);
        INFO(text);
        INFO(format_errors(r.errors));
        REQUIRE(r.scenario.has_value() == r.errors.empty());
        for (std::size_t e = 0; e < r.errors.size(); ++e) {
            REQUIRE(r.errors[e].file == "t.toml");
            REQUIRE(r.errors[e].line >= 1);
            REQUIRE(r.errors[e].column >= 1);
            REQUIRE_FALSE(r.errors[e].message.empty());
            if (e > 0) REQUIRE(r.errors[e - 1].line <= r.errors[e].line);
        }
        rejected += r.ok() ? 0 : 1;
    }
    // Most damage must be caught: every value replacement changes a type or a range somewhere.
    REQUIRE(rejected > variants.size() / 2);
}

TEST_CASE("scenario parser: checkers and liveness can be switched off, then their verdicts cannot be expected", "[scenario]") {
    const Scenario s = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[checkers]\nlinearizability = false\ninvariants = false\n[liveness]\nenabled = false\n"
                                "[expect]\nok_ops_min = 1\n");
    REQUIRE_FALSE(s.checkers.switches.at("linearizability"));
    REQUIRE_FALSE(s.checkers.switches.at("invariants"));
    REQUIRE_FALSE(s.liveness.enabled);
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[liveness]\nenabled = false\n[expect.raft]\nlive = true\n");
    REQUIRE(has_error(r, 8, "expect.raft.live", "nothing would check it"));
}

TEST_CASE("scenario parser: an expectation on a figure the system does not report is an error listing its keys", "[scenario]") {
    // raft (the test catalog's) reports minority_ok_writes but not concurrent_versions; dynamo both.
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nname = \"cp\"\nprotocol = \"raft\"\n"
                                "[[system]]\nname = \"ap\"\nprotocol = \"dynamo\"\n"
                                "[expect.cp]\nconcurrent_versions_min = 1\n"
                                "[expect]\nconcurrent_versions_max = 9\n");
    REQUIRE(has_error(r, 10, "expect.cp.concurrent_versions_min", "system 'cp' (protocol raft) does not report concurrent_versions"));
    REQUIRE(has_error(r, 10, "expect.cp.concurrent_versions_min", "minority_ok_writes_max"));  // what it does report
    // [expect] applies to every system: the key must be reportable by each.
    REQUIRE(has_error(r, 12, "expect.concurrent_versions_max", "system 'cp' (protocol raft) does not report"));
    REQUIRE(r.errors.size() == 2);
    // The same keys where they are reported parse.
    const Scenario ok = parse_ok("[scenario]\nversion = 1\n[[system]]\nname = \"ap\"\nprotocol = \"dynamo\"\n"
                                 "[expect]\nconcurrent_versions_min = 1\nminority_ok_writes_max = 3\n");
    REQUIRE(expected<int64_t>(ok.expect_all, "concurrent_versions_min") == 1);
}

TEST_CASE("scenario parser: a checker that does not apply to a protocol gives no [expect] keys for it", "[scenario]") {
    // The test catalog's dynamo declares no invariants: the invariants checker has nothing to check.
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"dynamo\"\n[expect]\ninvariants_hold = true\n");
    REQUIRE(has_error(r, 6, "expect.invariants_hold", "the invariants checker does not apply to protocol dynamo"));
}

TEST_CASE("scenario parser: min above max of one figure is an error, an unknown key gets a suggestion", "[scenario]") {
    const ParseResult r = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n"
                                "[expect]\nlost_writes_min = 5\nlost_writes_max = 2\nlinearisable = true\n");
    REQUIRE(has_error(r, 7, "expect.lost_writes_max", "lost_writes_max (2) is below lost_writes_min (5)"));
    REQUIRE(has_error(r, 8, "expect.linearisable", "did you mean 'linearizable'"));
}

TEST_CASE("scenario parser: an element pool must be 0 (fresh elements) or a positive size", "[scenario]") {
    const Scenario pool = parse_ok("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n[workload]\nelements = 4\n");
    REQUIRE(pool.workload.elements == 4);
    const ParseResult negative = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n[workload]\nelements = -1\n");
    REQUIRE(has_error(negative, 6, "workload.elements", "out of range: must be"));
    const ParseResult real = parse("[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n[workload]\nelements = 2.5\n");
    REQUIRE_FALSE(real.ok());
    REQUIRE(real.errors.front().key == "workload.elements");
}

TEST_CASE("scenario parser: nemesis targets are servers or roles of the systems' protocols", "[scenario][nemesis][aim]") {
    const std::string head = "[scenario]\nversion = 1\n[cluster]\nnodes = 3\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-6
    SECTION("swarm testing is on unless the table says swarm = false") {
        REQUIRE(test::parse(head + "[nemesis]\n").scenario->nemesis.swarm);
        REQUIRE_FALSE(test::parse(head + "[nemesis]\nswarm = false\n").scenario->nemesis.swarm);
    }
    SECTION("a role and a server") {
        const auto r = test::parse(head + "[nemesis]\ntargets = [\"leader\", \"n2\"]\n");
        INFO(format_errors(r.errors));
        REQUIRE(r.ok());
        REQUIRE(r.scenario->nemesis.targets == std::vector<std::string>{"leader", "n2"});
    }
    SECTION("a misspelt role gets a suggestion and the list of both") {
        const auto r = test::parse(head + "[nemesis]\ntargets = [\"leadr\"]\n");
        REQUIRE(test::has_error(r, 8, "nemesis.targets[0]", "unknown node or role 'leadr'; did you mean 'leader'?"));
        REQUIRE(test::has_error(r, 8, "nemesis.targets[0]", "roles: leader, follower"));
    }
    SECTION("a role of no system's protocol") {
        const auto r = test::parse(head + "[nemesis]\ntargets = [\"primary\"]\n");
        REQUIRE(test::has_error(r, 8, "nemesis.targets[0]", "unknown node or role 'primary'"));
    }
    SECTION("a client, and a target twice") {
        const auto r = test::parse(head + "[workload]\nclients = 1\n[nemesis]\ntargets = [\"c1\", \"leader\", \"leader\"]\n");
        REQUIRE(test::has_error(r, 10, "nemesis.targets[0]", "'c1' is a client"));
        REQUIRE(test::has_error(r, 10, "nemesis.targets[2]", "listed twice"));
    }
}

TEST_CASE("scenario parser: [explored] lists choice points in increasing order, each with a choice", "[scenario][explore]") {
    const std::string head = "[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-4
    SECTION("absent: the seeded run") {
        const auto r = test::parse(head);
        REQUIRE(r.ok());
        REQUIRE(r.scenario->explored.choices.empty());
    }
    SECTION("choices and their timing") {
        const auto r = test::parse(head + "[explored]\nchoices = [\"3 lost\", \"17 fire\", \"40 crash\", \"41 late\"]\nlate_ms = 250\n");
        INFO(faultline::scenario::format_errors(r.errors));
        REQUIRE(r.ok());
        const auto& c = r.scenario->explored.choices;
        REQUIRE(c.size() == 4);
        REQUIRE((c[0].index == 3 && c[0].choice == faultline::Choice::lost));
        REQUIRE((c[1].index == 17 && c[1].choice == faultline::Choice::fire));
        REQUIRE((c[2].index == 40 && c[2].choice == faultline::Choice::crash));
        REQUIRE((c[3].index == 41 && c[3].choice == faultline::Choice::late));
        REQUIRE(r.scenario->explored.late_ms == 250);
    }
    SECTION("a malformed choice, an unknown choice, the order, an unknown key, a bad time") {
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"lost 3\"]\n"), 6, "explored.choices[0]",
                                "'lost 3' is not a choice"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"3 vanish\"]\n"), 6, "explored.choices[0]",
                                "is not a choice"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"3 as_drawn\"]\n"), 6, "explored.choices[0]",
                                "is not a choice"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"-3 lost\"]\n"), 6, "explored.choices[0]",
                                "is not a choice"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"99999999999999999999 lost\"]\n"), 6,
                                "explored.choices[0]", "is not a choice"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoices = [\"5 lost\", \"5 late\"]\n"), 6,
                                "explored.choices[1]", "choice point 5 comes after 5"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nchoice = []\n"), 6, "explored.choice", "unknown key"));
        REQUIRE(test::has_error(test::parse(head + "[explored]\nlate_ms = -1\n"), 6, "explored.late_ms", ""));
    }
}

TEST_CASE("scenario parser: [buggify] turns sites on, each a site of a system's protocol", "[scenario][buggify]") {
    const std::string head = "[scenario]\nversion = 1\n[[system]]\nprotocol = \"raft\"\n";  // lines 1-4
    SECTION("absent: off") {
        const auto r = test::parse(head);
        REQUIRE(r.ok());
        REQUIRE_FALSE(r.scenario->buggify.enabled);
    }
    SECTION("the table alone: on, every site") {
        const auto r = test::parse(head + "[buggify]\n");
        REQUIRE(r.ok());
        REQUIRE(r.scenario->buggify.enabled);
        REQUIRE(r.scenario->buggify.sites.empty());
    }
    SECTION("listed sites") {
        const auto r = test::parse(head + "[buggify]\nsites = [\"raft.crash_after_vote\"]\n");
        REQUIRE(r.ok());
        REQUIRE(r.scenario->buggify.sites == std::vector<std::string>{"raft.crash_after_vote"});
    }
    SECTION("an unknown site, a site twice, an empty list, an unknown key") {
        REQUIRE(test::has_error(test::parse(head + "[buggify]\nsites = [\"raft.crash_after_vot\"]\n"), 6, "buggify.sites[0]",
                                "unknown buggify site 'raft.crash_after_vot'; did you mean 'raft.crash_after_vote'?"));
        REQUIRE(test::has_error(test::parse(head + "[buggify]\nsites = [\"raft.crash_after_vote\", \"raft.crash_after_vote\"]\n"),
                                6, "buggify.sites[1]", "listed twice"));
        REQUIRE(test::has_error(test::parse(head + "[buggify]\nsites = []\n"), 6, "buggify.sites", "sites is empty"));
        REQUIRE(test::has_error(test::parse(head + "[buggify]\nsite = 1\n"), 6, "buggify.site", "unknown key"));
    }
}
