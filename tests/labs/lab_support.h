// Running `faultline` (the student's build: each lab's starter) and `faultline_solved` (each lab's
// reference in its starter's place) from the labs' tests, in a folder of the test's own.
#pragma once

#include "tests/runner/cli_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace faultline::test {

using LabCliResult = CliResult;

// Runs `program args` with `dir` as the working folder.
inline LabCliResult run_in(const std::filesystem::path& dir, const std::string& program, const std::string& args) {
    return run_shell(fmt::format("cd '{}' && '{}' {} 2>&1", dir.string(), program, args));
}

inline const std::string student_cli = FAULTLINE_CLI_PATH;
inline const std::string solved_cli = FAULTLINE_SOLVED_CLI_PATH;
inline const std::filesystem::path labs_dir = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "labs";

// Extra `lab grade` options for the graders' own tests: none in a normal build (each check's own
// seeds); under the sanitizers, where the debug build grades ~50x slower, three seeds a check. The
// sanitizers look for memory errors, which three seeds of every check exercise; the normal build
// grades every seed. Every lab mistake fails its check on seeds 1..3 (measured when written).
inline std::string grading_seeds() {
#if defined(FAULTLINE_SANITIZE)
    return "--seeds 3";
#else
    return "";
#endif
}

// The JSON document a command printed on stdout (its last line of a progress bar aside: the
// document starts at the first '{' or '[' that begins a line).
inline nlohmann::json json_of(const std::string& output) {
    std::size_t at = 0;
    while (at < output.size()) {
        if ((output[at] == '{' || output[at] == '[') && (at == 0 || output[at - 1] == '\n')) break;
        at = output.find('\n', at);
        if (at == std::string::npos) break;
        ++at;
    }
    INFO(output);
    REQUIRE(at < output.size());
    return nlohmann::json::parse(output.substr(at));
}

}  // namespace faultline::test
