// Fuzzing the scenario format: thousands of seeded mutants of scenarios/ (scenario_mutator.h),
// each of which must end as a user's `faultline run` would end with exit 0, 1 or 2, never with a
// signal or an internal error (3). That is: the parser returns a scenario or errors naming the
// file, a line and a message, and never asserts, throws or overflows its stack; a scenario it
// accepts sets up and runs a short prefix (20 ms of virtual time, about 200,000 events at most per
// system) and its checks without an assertion. Runs stay short so the suite stays fast; the
// whole-run path is the scenarios' own tests.
// Every crasher found is kept in tests/scenario/fuzz_corpus/ and replayed here first. A failing
// mutant is written to a temporary file named in the failure: add it to the corpus with the fix.
// A longer campaign: FAULTLINE_FUZZ_SEED (default 20261205), FAULTLINE_FUZZ_MUTANTS, _RUNS (how
// many accepted mutants run), _PREFIX_MS (how long they run) and _KEEP=1 (each mutant written to
// a file first, for the one that kills the process) set it.
// Sections: [checks] [corpus] [fuzz].
#include "runner/catalog.h"
#include "runner/session.h"
#include "scenario/scenario_parser.h"
#include "tests/runner/scenario_support.h"
#include "tests/scenario/scenario_mutator.h"
#include "tests/temp_path.h"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace faultline;

// ============================================================================================
// [checks]
// ============================================================================================
namespace {

#if defined(FAULTLINE_SANITIZE)
constexpr int default_mutants = 10'000;  // the sanitizers see what a release build misses
constexpr int default_runs_max = 200;
#else
constexpr int default_mutants = 5'000;  // ~0.5 s
constexpr int default_runs_max = 400;
#endif
constexpr uint64_t events_per_run_max = 200'000;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

uint64_t from_environment(const char* name, uint64_t fallback) {
    const char* text = std::getenv(name);
    return text != nullptr ? std::strtoull(text, nullptr, 10) : fallback;
}

// A short prefix of every system's run, then its checks: what went wrong, or "".
std::string short_run_problem(const scenario::Scenario& s) {
    runner::RunOptions o;
    o.seed = 1;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    o.until = Instant::zero() + milliseconds(static_cast<int64_t>(from_environment("FAULTLINE_FUZZ_PREFIX_MS", 20)));
    for (const scenario::System& system : s.systems) {
        runner::SystemSession session(s, system, o);
        while (!session.finished() && session.world().events_processed() < events_per_run_max)
            session.advance_to(session.now() + microseconds(100));  // small steps: a spin stops soon
        const runner::SystemOutcome outcome = session.finish();
        if (outcome.error) return fmt::format("system {}: {}", system.name, outcome.error->describe());
    }
    return "";
}

// What is wrong with how `text` was handled ("" when nothing); `ran` says whether it was run.
std::string problem_with(const std::string& text, bool may_run, bool& ran) {
    ran = false;
    try {
        const scenario::ParseResult r = scenario::parse_scenario_text(text, "mutant.toml", runner::catalog());
        if (r.scenario.has_value() != r.errors.empty()) return "a scenario must come back if and only if no error does";
        for (const scenario::ScenarioError& e : r.errors) {
            if (e.file != "mutant.toml" || e.line < 1 || e.message.empty())
                return "an error without its file, line or message: " + scenario::format_error(e);
        }
        if (!r.ok() || !may_run) return "";
        ran = true;
        return short_run_problem(*r.scenario);
    } catch (const std::exception& e) {
        return fmt::format("an exception escaped: {}", e.what());
    }
}

std::vector<std::string> scenario_corpus() {
    std::vector<std::string> texts;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios")) {
        if (entry.path().extension() == ".toml") texts.push_back(entry.path().string());
    }
    std::sort(texts.begin(), texts.end());  // directory order differs between machines
    for (std::string& path : texts) path = read_file(path);
    return texts;
}

}  // namespace

// ============================================================================================
// [corpus]
// ============================================================================================

TEST_CASE("scenario fuzz: every crasher found so far is handled cleanly", "[scenario][fuzz]") {
    const auto dir = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "tests" / "scenario" / "fuzz_corpus";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE_FALSE(files.empty());
    for (const auto& file : files) {
        bool ran = false;
        INFO(file.string());
        REQUIRE(problem_with(read_file(file), true, ran).empty());
    }
}

// ============================================================================================
// [fuzz]
// ============================================================================================

TEST_CASE("scenario fuzz: seeded mutants of scenarios/ parse or are refused, and run a prefix, never crash",
          "[scenario][fuzz]") {
    const std::vector<std::string> corpus = scenario_corpus();
    REQUIRE(corpus.size() >= 20);
    const uint64_t mutants = from_environment("FAULTLINE_FUZZ_MUTANTS", default_mutants);
    const uint64_t runs_max = from_environment("FAULTLINE_FUZZ_RUNS", default_runs_max);
    test::ScenarioMutator mutator(from_environment("FAULTLINE_FUZZ_SEED", 20'261'205));
    // With FAULTLINE_FUZZ_KEEP=1 each mutant is written to one file before it is tried, so that
    // one that kills the process (a signal) is left there.
    const bool keep = std::getenv("FAULTLINE_FUZZ_KEEP") != nullptr;
    const auto kept_path = test::unique_temp_path("fuzz_current_mutant");
    if (keep) WARN("each mutant is written to " << kept_path.string() << " before it is tried");
    uint64_t ran_count = 0;
    for (uint64_t i = 0; i < mutants; ++i) {
        const test::ScenarioMutator::Mutant m = mutator.next(corpus);
        INFO("mutant " << i);
        if (keep) std::ofstream(kept_path, std::ios::binary | std::ios::trunc) << m.text;
        bool ran = false;
        const std::string problem = problem_with(m.text, ran_count < runs_max, ran);
        ran_count += ran ? 1 : 0;
        if (!problem.empty()) {
            const auto kept = test::unique_temp_path(fmt::format("fuzz_mutant_{}", i));
            std::ofstream(kept, std::ios::binary) << m.text;
            FAIL(
                fmt::format("mutant {} ({} bytes) fails: {}\nit is in {}; fix the cause and add it to "
                            "tests/scenario/fuzz_corpus/",
                            i, m.text.size(), problem, kept.string()));
        }
    }
    // The mutants must exercise both paths: most are refused, some run.
    INFO(fmt::format("{} mutants, {} run", mutants, ran_count));
    // About 8% of mutants are accepted; at least 2% (or runs_max) must have run.
    REQUIRE(ran_count >= std::min(runs_max, mutants / 50));
    REQUIRE(ran_count < mutants);
}
