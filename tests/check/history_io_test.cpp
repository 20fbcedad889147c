// Reading and writing histories: Jepsen EDN and JSON samples, Faultline JSON, round trips, and
// malformed inputs that must produce errors with line numbers instead of crashes.
// Method: small realistic samples written inline; round trips over seeded random histories.
#include "tests/temp_path.h"
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "check/history_io.h"
#include "check/report.h"
#include "check/random_history.h"

namespace faultline::check {
namespace {

// A Knossos-style single register: a nemesis op, a cas that failed, a write that timed out (info)
// and was later observed.
constexpr const char* jepsen_register_edn = R"({:type :invoke, :f :write, :value 3, :process 0, :time 1000, :index 0}
{:type :invoke, :f :read, :value nil, :process 1, :time 1200, :index 1}
{:type :ok, :f :write, :value 3, :process 0, :time 2000, :index 2}
{:type :ok, :f :read, :value 3, :process 1, :time 2500, :index 3}
{:type :info, :f :start-partition, :value nil, :process :nemesis, :time 3000, :index 4}
{:type :invoke, :f :cas, :value [3 4], :process 2, :time 3100, :index 5}
{:type :ok, :f :cas, :value [3 4], :process 2, :time 3300, :index 6}
{:type :invoke, :f :cas, :value [3 5], :process 1, :time 3400, :index 7}
{:type :fail, :f :cas, :value [3 5], :process 1, :time 3500, :index 8}
{:type :invoke, :f :write, :value 1, :process 0, :time 4000, :index 9}
{:type :info, :f :write, :value 1, :process 0, :time 9000, :index 10, :error :timeout}
{:type :invoke, :f :read, :value nil, :process 1, :time 9100, :index 11}
{:type :ok, :f :read, :value 1, :process 1, :time 9200, :index 12}
)";

// jepsen.independent tuples inside a top-level vector; key 2 reads a value never written.
constexpr const char* jepsen_independent_edn = R"([
 #jepsen.history.Op{:index 0, :time 10, :type :invoke, :process 0, :f :write, :value [1 5]}
 {:index 1, :time 20, :type :ok, :process 0, :f :write, :value [1 5]}
 {:index 2, :time 30, :type :invoke, :process 1, :f :read, :value [1 nil]}
 {:index 3, :time 40, :type :ok, :process 1, :f :read, :value [1 5]}
 {:index 4, :time 50, :type :invoke, :process 0, :f :read, :value [2 nil]}
 {:index 5, :time 60, :type :ok, :process 0, :f :read, :value [2 9]}
])";

constexpr const char* jepsen_register_json = R"([
  {"process": 0, "type": "invoke", "f": "write", "value": 1, "time": 5},
  {"process": 0, "type": "ok", "f": "write", "value": 1, "time": 6},
  {"process": 1, "type": "invoke", "f": "read", "value": null, "time": 7},
  {"process": 1, "type": "ok", "f": "read", "value": null, "time": 8}
])";

std::string write_temp(const std::string& name, const std::string& text) {
    std::filesystem::path path = faultline::test::unique_temp_path("check_" + name);
    std::ofstream(path) << text;
    return path.string();
}

void require_same_operations(const History& a, const History& b) {
    auto ops_a = pair_operations(a);
    auto ops_b = pair_operations(b);
    REQUIRE(ops_a.ok());
    REQUIRE(ops_b.ok());
    REQUIRE(ops_a->size() == ops_b->size());
    for (std::size_t i = 0; i < ops_a->size(); ++i) {
        const Operation& x = ops_a.value()[i];
        const Operation& y = ops_b.value()[i];
        INFO(describe_operation(x) << " vs " << describe_operation(y));
        REQUIRE(x.process == y.process);
        REQUIRE(x.f == y.f);
        REQUIRE(x.key == y.key);
        REQUIRE(x.value == y.value);
        REQUIRE(x.expected == y.expected);
        REQUIRE(x.output == y.output);
        REQUIRE(x.cas_swapped == y.cas_swapped);
        REQUIRE(x.completion == y.completion);
        REQUIRE(x.invoke_index == y.invoke_index);
        REQUIRE(x.complete_index == y.complete_index);
        REQUIRE(x.invoke_time_ns == y.invoke_time_ns);
        REQUIRE(x.complete_time_ns == y.complete_time_ns);
    }
}

}  // namespace

TEST_CASE("jepsen edn: a single-register history maps read/write/cas, skips the nemesis, keeps info", "[check][io][jepsen]") {
    auto history = parse_history(jepsen_register_edn, HistoryFormat::jepsen_edn, "register.edn");
    REQUIRE(history.ok());
    auto ops = pair_operations(history.value());
    REQUIRE(ops.ok());
    REQUIRE(ops->size() == 6);
    const Operation& cas = ops.value()[2];
    REQUIRE(cas.f == Function::cas);
    REQUIRE(cas.key == jepsen_single_key);
    REQUIRE(cas.expected == Value{"3"});
    REQUIRE(cas.value == Value{"4"});
    REQUIRE(cas.cas_swapped);
    REQUIRE(cas.invoke_time_ns == 3100);
    REQUIRE(ops.value()[3].completion == Completion::fail);
    REQUIRE(ops.value()[4].completion == Completion::info);
    REQUIRE(check(history.value(), Model::cas_register()).verdict == Verdict::ok);
}

TEST_CASE("jepsen edn: independent tuples become keys and the violating key is named", "[check][io][jepsen]") {
    auto history = parse_history(jepsen_independent_edn, HistoryFormat::jepsen_edn, "independent.edn");
    REQUIRE(history.ok());
    CheckResult result = check(history.value(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::violation);
    REQUIRE(result.keys.size() == 2);
    REQUIRE(result.keys[0].key == "1");
    REQUIRE(result.keys[0].verdict == Verdict::ok);
    REQUIRE(result.keys[1].key == "2");
    REQUIRE(result.keys[1].verdict == Verdict::violation);
}

TEST_CASE("jepsen json: a stale read of the initial value is a violation", "[check][io][jepsen]") {
    auto history = parse_history(jepsen_register_json, HistoryFormat::jepsen_json, "register.json");
    REQUIRE(history.ok());
    REQUIRE(check(history.value(), Model::plain_register()).verdict == Verdict::violation);
}

TEST_CASE("jepsen json: one object per line is accepted too", "[check][io][jepsen]") {
    auto history = parse_history("{\"process\": 0, \"type\": \":invoke\", \"f\": \":write\", \"value\": 1}\n"
                                 "{\"process\": 0, \"type\": \":ok\", \"f\": \":write\", \"value\": 1}\n",
                                 HistoryFormat::jepsen_json, "");
    REQUIRE(history.ok());
    REQUIRE(history->events.size() == 2);
}

TEST_CASE("faultline json: a documented sample parses", "[check][io][faultline]") {
    const char* sample = R"({"format": "faultline-history", "version": 1, "metadata": {"seed": 7}, "events": [
  {"index": 0, "time_ns": 100, "process": 1, "type": "invoke", "f": "put", "key": "x", "value": "1"},
  {"index": 1, "time_ns": 250, "process": 1, "type": "ok", "f": "put", "key": "x"},
  {"index": 2, "time_ns": 300, "process": 2, "type": "invoke", "f": "cas", "key": "x", "expected": "1", "value": "2"},
  {"index": 3, "time_ns": 420, "process": 2, "type": "ok", "f": "cas", "key": "x", "swapped": true},
  {"index": 4, "time_ns": 500, "process": 3, "type": "invoke", "f": "get", "key": "x"},
  {"index": 5, "time_ns": 610, "process": 3, "type": "ok", "f": "get", "key": "x", "value": "2"},
  {"index": 6, "time_ns": 700, "process": 3, "type": "invoke", "f": "get", "key": "y"},
  {"index": 7, "time_ns": 710, "process": 3, "type": "ok", "f": "get", "key": "y", "value": null}
]})";
    auto history = parse_history(sample, HistoryFormat::faultline_json, "sample.json");
    REQUIRE(history.ok());
    REQUIRE(history->events.size() == 8);
    REQUIRE(history->events[2].expected == Value{"1"});
    REQUIRE(history->events[7].value == std::nullopt);
    REQUIRE(check(history.value(), Model::cas_register()).verdict == Verdict::ok);
}

TEST_CASE("round trip: faultline json, jepsen edn and jepsen json preserve every operation", "[check][io][roundtrip]") {
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        test::SplitMix64 rng(seed);
        test::HistoryShape shape;
        shape.operations = 1 + static_cast<int>(rng.below(12));
        shape.keys = 1 + static_cast<int>(rng.below(3));
        shape.allow_append = rng.chance(50);
        shape.info_percent = 20;
        shape.fail_percent = 10;
        History original = test::simulate_history(rng, shape);
        if (rng.chance(30)) original = test::corrupt(rng, original, shape);
        if (shape.keys == 1 && rng.chance(50)) {
            for (Event& e : original.events) e.key = std::string(jepsen_single_key);
        }
        INFO("seed " << seed);
        std::string ours = to_faultline_json(original);
        auto back = parse_history(ours, HistoryFormat::faultline_json, "ours.json");
        INFO(ours);
        REQUIRE(back.ok());
        require_same_operations(original, back.value());

        std::string edn = to_jepsen_edn(original);
        auto from_edn = parse_history(edn, HistoryFormat::jepsen_edn, "export.edn");
        INFO(edn);
        if (!from_edn.ok()) FAIL(from_edn.error().describe());
        require_same_operations(original, from_edn.value());

        std::string json = to_jepsen_json(original);
        auto from_json = parse_history(json, HistoryFormat::jepsen_json, "export.json");
        if (!from_json.ok()) FAIL(from_json.error().describe());
        require_same_operations(original, from_json.value());
    }
}

TEST_CASE("malformed: errors name the file, the line and what was wrong", "[check][io][malformed]") {
    struct Case {
        const char* text;
        HistoryFormat format;
        int line;
        const char* mentions;
    };
    const Case cases[] = {
        {"{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :txn, :value 1}\n",
         HistoryFormat::jepsen_edn, 2, ":txn"},
        {"{:process 0, :type :invoke, :f :write}\n", HistoryFormat::jepsen_edn, 1, "needs a value"},
        {"{:process 0, :type :invoke, :f :cas, :value 3}\n", HistoryFormat::jepsen_edn, 1, "[old new]"},
        {"{:process 0, :type :ok, :f :write, :value 3}\n", HistoryFormat::jepsen_edn, 1, "never invoked"},
        {"{:process 0, :type :bogus, :f :write, :value 3}\n", HistoryFormat::jepsen_edn, 1, ":type"},
        {"{:type :invoke, :f :write, :value 3}\n", HistoryFormat::jepsen_edn, 1, ":process"},
        {"{:process 0, :type :invoke, :f :write, :value {:a 1}}\n", HistoryFormat::jepsen_edn, 1, "unsupported value"},
        {"{\"format\": \"faultline-history\", \"version\": 1, \"events\": [\n"
         "  {\"process\": 1, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"x\", \"vaule\": \"1\"}]}",
         HistoryFormat::faultline_json, 2, "vaule"},
        {"{\"format\": \"faultline-history\", \"version\": 2, \"events\": []}", HistoryFormat::faultline_json, 1, "version 2"},
        {"{\"format\": \"faultline-history\", \"version\": 1, \"events\": [\n"
         "  {\"process\": 1, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"x\"},\n"
         "  {\"process\": 1, \"type\": \"ok\", \"f\": \"get\", \"key\": \"x\"}]}",
         HistoryFormat::faultline_json, 3, "value read"},
        {"{\"format\": \"faultline-history\", \"version\": 1, \"events\": [\n"
         "  {\"index\": 5, \"process\": 1, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"x\"},\n"
         "  {\"index\": 4, \"process\": 1, \"type\": \"ok\", \"f\": \"get\", \"key\": \"x\", \"value\": null}]}",
         HistoryFormat::faultline_json, 3, "does not increase"},
        {"{\"format\": \"faultline-history\", \"version\": 1, \"events\": [\n  {\"process\": 1,,}]}",
         HistoryFormat::faultline_json, 2, "unexpected"},
    };
    for (const Case& c : cases) {
        auto history = parse_history(c.text, c.format, "input");
        INFO(c.text);
        REQUIRE_FALSE(history.ok());
        INFO(history.error().describe());
        REQUIRE(history.error().file == "input");
        REQUIRE(history.error().line == c.line);
        REQUIRE(history.error().message.find(c.mentions) != std::string::npos);
    }
}

TEST_CASE("check_history_file: verdicts map to exit codes 0, 1 and 4 (unknown), input errors to 2",
          "[check][io][report]") {
    std::string ok_file = write_temp("ok.edn", jepsen_register_edn);
    CheckReport ok = check_history_file(ok_file, "cas-register");
    REQUIRE(ok.exit_code() == exit_ok);
    REQUIRE(format_report(ok).find("ok") != std::string::npos);

    std::string bad_file = write_temp("violation.json", jepsen_register_json);
    CheckReport violation = check_history_file(bad_file, "register");
    REQUIRE(violation.exit_code() == exit_violation);
    auto json = report_to_json(violation);
    REQUIRE(json["verdict"] == "violation");
    REQUIRE(json["keys"][0]["counterexample"]["culprit"] == 1);
    REQUIRE(json["keys"][0]["counterexample"]["minimal"].size() == 2);

    Budget tiny;
    tiny.steps_max = 1;
    REQUIRE(check_history_file(ok_file, "cas-register", tiny).exit_code() == exit_unknown);

    CheckReport wrong_model = check_history_file(ok_file, "register");
    REQUIRE(wrong_model.exit_code() == exit_input_error);
    REQUIRE(wrong_model.error->message.find("cas") != std::string::npos);
    REQUIRE(check_history_file(ok_file, "queue").exit_code() == exit_input_error);
    CheckReport missing = check_history_file("/nonexistent/history.edn", "register");
    REQUIRE(missing.exit_code() == exit_input_error);
    REQUIRE(format_report(missing).find("/nonexistent/history.edn") != std::string::npos);
    REQUIRE(report_to_json(missing)["verdict"] == "error");
}

TEST_CASE("detect_format: by extension, then by content", "[check][io]") {
    REQUIRE(detect_format("h.edn", "") == HistoryFormat::jepsen_edn);
    REQUIRE(detect_format("h.json", "{\"format\": \"faultline-history\"}") == HistoryFormat::faultline_json);
    REQUIRE(detect_format("h.json", "[{\"process\": 0}]") == HistoryFormat::jepsen_json);
    REQUIRE(detect_format("h.txt", "{:process 0 :type :invoke}") == HistoryFormat::jepsen_edn);
}


TEST_CASE("porcupine kv: ops that carry :key are checked per key, never merged into one register", "[check][io][jepsen]") {
    // Per key this is linearizable (k1 holds a, k2 holds b); merged into one register the read of
    // a after the write of b would be a stale read.
    const char* kv = R"({:process 0, :type :invoke, :f :put, :key "k1", :value "a"}
{:process 0, :type :ok, :f :put, :key "k1", :value "a"}
{:process 1, :type :invoke, :f :put, :key "k2", :value "b"}
{:process 1, :type :ok, :f :put, :key "k2", :value "b"}
{:process 0, :type :invoke, :f :get, :key "k1", :value nil}
{:process 0, :type :ok, :f :get, :value "a"}
)";
    auto history = parse_history(kv, HistoryFormat::jepsen_edn, "kv.edn");
    if (!history.ok()) FAIL(history.error().describe());
    REQUIRE(history->events[5].key == "k1");  // a completion without :key takes its invocation's
    CheckResult result = check(history.value(), Model::plain_register());
    REQUIRE(result.verdict == Verdict::ok);
    REQUIRE(result.keys.size() == 2);

    SECTION("an invocation without :key among keyed ops is refused") {
        auto bad = parse_history(R"({:process 0, :type :invoke, :f :put, :key "k1", :value "a"}
{:process 0, :type :ok, :f :put, :key "k1", :value "a"}
{:process 1, :type :invoke, :f :put, :value "b"}
)",
                                 HistoryFormat::jepsen_edn, "kv.edn");
        REQUIRE_FALSE(bad.ok());
        REQUIRE(bad.error().line == 3);
        REQUIRE(bad.error().describe().find("without :key") != std::string::npos);
    }
    SECTION("a completion naming another key is refused") {
        auto bad = parse_history(R"({:process 0, :type :invoke, :f :put, :key "k1", :value "a"}
{:process 0, :type :ok, :f :put, :key "k2", :value "a"}
)",
                                 HistoryFormat::jepsen_edn, "kv.edn");
        REQUIRE_FALSE(bad.ok());
        REQUIRE(bad.error().describe().find("differs from its invocation") != std::string::npos);
    }
}

}  // namespace faultline::check
