// `faultline check FILE --model M`: the checker for histories recorded outside Faultline.
// Method: write small Jepsen EDN histories, run the real binary, read its exit code and output.
#include "tests/temp_path.h"
#include "../runner/cli_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;
using namespace faultline;

namespace {
// Writes the history to a temporary file and runs `faultline check` on it.
test::CliResult run_check(const std::string& history_text, const std::string& extra) {
    auto path = test::unique_temp_path("check_cli.edn");
    std::ofstream(path) << history_text;
    auto r = test::faultline_cli(fmt::format("check {} {}", path.string(), extra));
    fs::remove(path);
    return r;
}

const char* stale_read =
    "{:process 0, :type :invoke, :f :write, :value 1}\n"
    "{:process 0, :type :ok, :f :write, :value 1}\n"
    "{:process 1, :type :invoke, :f :read, :value nil}\n"
    "{:process 1, :type :ok, :f :read, :value nil}\n";

const char* fine =
    "{:process 0, :type :invoke, :f :write, :value 1}\n"
    "{:process 1, :type :invoke, :f :read, :value nil}\n"
    "{:process 1, :type :ok, :f :read, :value 1}\n"
    "{:process 0, :type :info, :f :write, :value 1}\n";
}  // namespace

TEST_CASE("faultline check: a linearizable Jepsen history exits 0", "[cli][check]") {
    auto r = run_check(fine, "--model register");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.find("ok") != std::string::npos);
}

TEST_CASE("faultline check: a stale read exits 1 and names the culprit", "[cli][check]") {
    auto r = run_check(stale_read, "--model register");
    INFO(r.output);
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.output.find("violation") != std::string::npos);
    REQUIRE(r.output.find("Culprit") != std::string::npos);
}

TEST_CASE("faultline check: --json carries the verdict for scripts", "[cli][check]") {
    auto r = run_check(stale_read, "--model register --json");
    INFO(r.output);
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.output.find("\"verdict\": \"violation\"") != std::string::npos);
}

TEST_CASE("faultline check: malformed input exits 2 with the line", "[cli][check]") {
    auto r = run_check("{:process 0, :type :invoke, :f :write :value}\n", "--model register");
    INFO(r.output);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.output.find(":1") != std::string::npos);
}

TEST_CASE("faultline check: an unknown model is a usage error, exit 2", "[cli][check]") {
    auto r = run_check(fine, "--model nonsense");
    REQUIRE(r.exit_code == 2);
}

TEST_CASE("check: a history too large to read within --memory-mb-max is not read: unknown, exit 4, and says what would do",
          "[cli][check]") {
    // ~30 bytes of memory a byte of file while reading (check::reading_bytes_per_file_byte = 32):
    // a 1 MB file needs ~32 MB, over a 16 MB budget and within a 64 MB one.
    const auto dir = faultline::test::temp_dir("check_memory");
    const auto path = dir / "big.edn";
    {
        std::ofstream out(path);
        for (int i = 0; out.tellp() < (1 << 20); ++i) {
            out << fmt::format("{{:type :invoke, :f :write, :value {0}, :process 0, :time {1}, :index {2}}}\n", i % 5,
                               i * 10, 2 * i);
            out << fmt::format("{{:type :ok, :f :write, :value {0}, :process 0, :time {1}, :index {2}}}\n", i % 5,
                               i * 10 + 5, 2 * i + 1);
        }
    }
    auto refused = faultline::test::faultline_cli(fmt::format("check {} --model register --memory-mb-max 16", path.string()));
    INFO(refused.output);
    REQUIRE(refused.exit_code == 4);
    REQUIRE_THAT(refused.output, Catch::Contains("Not read: reading a history of 1 MB") &&
                                     Catch::Contains("over the memory budget of 16 MB") && Catch::Contains("--memory-mb-max"));
    auto read = faultline::test::faultline_cli(fmt::format("check {} --model register --memory-mb-max 64", path.string()));
    INFO(read.output);
    REQUIRE(read.exit_code == 0);
}

TEST_CASE("faultline check: an empty history is an input error, exit 2, not ok", "[cli][check]") {
    // A recorder that wrote nothing must not pass: zero operations are nothing to judge.
    for (const char* text : {"", "\n\n", "[]"}) {
        auto r = run_check(text, "--model kv");
        INFO(r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.output.find("no operations") != std::string::npos);
    }
}

TEST_CASE("faultline check: --json writes bytes that are not UTF-8 as \\xNN, never an internal error", "[cli][check]") {
    // A history's values are a user's bytes; nlohmann::json refuses to dump invalid UTF-8 (it
    // exited 3). Each such byte is written as the text \xNN; valid UTF-8 (é) is kept as it is.
    const std::string history =
        "{:process 0, :type :invoke, :f :write, :value \"\xff\xfe\xc3\xa9\"}\n"
        "{:process 0, :type :ok, :f :write, :value \"\xff\xfe\xc3\xa9\"}\n"
        "{:process 1, :type :invoke, :f :read, :value nil}\n"
        "{:process 1, :type :ok, :f :read, :value nil}\n";
    auto r = run_check(history, "--model register --json");
    INFO(r.output);
    REQUIRE(r.exit_code == 1);
    const std::string json = test::json_text(r.output);
    auto j = nlohmann::json::parse(json);  // valid JSON
    CHECK(j["verdict"] == "violation");
    CHECK(json.find("\\\\xFF\\\\xFE\xc3\xa9") != std::string::npos);  // the text \xFF\xFE then é
}

TEST_CASE("faultline check: several files in one process, each judged, the exit code the most telling", "[cli][check]") {
    // 1 if any file shows a violation, else 2 if any cannot be read, else 4 if undecided, else 0.
    auto write = [](const std::string& name, const std::string& text) {
        auto path = test::unique_temp_path(name);
        std::ofstream(path) << text;
        return path;
    };
    const auto good = write("check_many_fine.edn", fine), bad = write("check_many_stale.edn", stale_read),
               empty = write("check_many_empty.edn", "");
    auto all = test::faultline_cli(fmt::format("check {} {} {} --model register", good.string(), bad.string(), empty.string()));
    INFO(all.output);
    CHECK(all.exit_code == 1);
    CHECK(all.output.find("3 files: 1 ok, 1 violation, 1 not readable, 0 unknown") != std::string::npos);
    auto unreadable = test::faultline_cli(fmt::format("check {} {} --model register", good.string(), empty.string()));
    CHECK(unreadable.exit_code == 2);
    auto fine_twice = test::faultline_cli(fmt::format("check {} {} --model register --json", good.string(), good.string()));
    INFO(fine_twice.output);
    CHECK(fine_twice.exit_code == 0);
    auto j = nlohmann::json::parse(test::json_text(fine_twice.output));
    CHECK(j["files"].size() == 2);
    CHECK(j["counts"]["ok"] == 2);
    for (const auto& p : {good, bad, empty}) fs::remove(p);
}

TEST_CASE("faultline check --without append-order: the plain search, for measuring what the prune buys", "[cli][check]") {
    // One writer appends and reads after each append while 14 clients' appends never complete and
    // are never read: decided at once with append-order pruning, out of a 100,000-step budget
    // without it (tests/check/append_order_test.cpp has the method).
    std::string edn;
    for (int p = 1; p <= 14; ++p) edn += fmt::format("{{:process {}, :type :invoke, :f :append, :value \"x{};\"}}\n", p, p);
    std::string value;
    for (int i = 1; i <= 12; ++i) {
        value += fmt::format("w{};", i);
        edn += fmt::format("{{:process 0, :type :invoke, :f :append, :value \"w{};\"}}\n", i);
        edn += fmt::format("{{:process 0, :type :ok, :f :append, :value \"w{};\"}}\n", i);
        edn += "{:process 0, :type :invoke, :f :read, :value nil}\n";
        edn += fmt::format("{{:process 0, :type :ok, :f :read, :value \"{}\"}}\n", value);
    }
    for (int p = 1; p <= 14; ++p) edn += fmt::format("{{:process {}, :type :info, :f :append, :value \"x{};\"}}\n", p, p);
    const auto pruned = run_check(edn, "--model kv --steps-max 100000");
    INFO(pruned.output);
    REQUIRE(pruned.exit_code == 0);
    const auto plain = run_check(edn, "--model kv --steps-max 100000 --without append-order --without register-zones");
    INFO(plain.output);
    REQUIRE(plain.exit_code == 4);
    const auto wrong = run_check(edn, "--without everything");
    REQUIRE(wrong.exit_code == 2);
}
