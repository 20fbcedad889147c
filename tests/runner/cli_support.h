// Running the real `faultline` binary from tests: command line in, exit code and output out.
#pragma once

#include "tests/temp_path.h"
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace faultline::test {

struct CliResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs a shell command line; its stdout and stderr together, and its exit code.
inline CliResult run_shell(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline CliResult faultline_cli(const std::string& args) {
    return run_shell(fmt::format("cd {} && {} {} 2>&1", FAULTLINE_SOURCE_DIR, FAULTLINE_CLI_PATH, args));
}

// The JSON a command printed, from its first '{' on: a sanitizer build prints a warning first.
inline std::string json_text(const std::string& output) {
    const auto start = output.find('{');
    REQUIRE(start != std::string::npos);
    return output.substr(start);
}

// A fresh temporary folder for one test's databases. Named by the process too, so two builds
// running the suite at once (release and sanitizer, or two checkouts) never share one.
inline std::filesystem::path temp_dir(const std::string& name) {
    auto dir = unique_temp_path("test_" + name);
    std::filesystem::create_directories(dir);
    return dir;
}

// Golden files live in tests/golden/. With FAULTLINE_REWRITE_GOLDEN=1 in the environment the
// test writes what it got instead of comparing (then review the diff: `git diff tests/golden`).
inline void check_golden(const std::string& name, const std::string& actual) {
    auto path = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "tests" / "golden" / name;
    if (std::getenv("FAULTLINE_REWRITE_GOLDEN") != nullptr) {
        std::ofstream(path) << actual;
        WARN("rewrote golden file " << path.string());
        return;
    }
    std::ifstream in(path);
    INFO("golden file " << path.string() << " (regenerate with FAULTLINE_REWRITE_GOLDEN=1, then review git diff)");
    REQUIRE(in.good());
    std::stringstream expected;
    expected << in.rdbuf();
    REQUIRE(actual == expected.str());
}

}  // namespace faultline::test
