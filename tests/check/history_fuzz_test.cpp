// Fuzzing `faultline check`'s inputs: seeded mutants of real histories (the flagship scenario's
// three systems, exported as Jepsen EDN, Jepsen JSON and Faultline JSON) must be read into a
// history or refused with an error that says what was wrong, and every history read must be
// checked against each model within a small budget, never asserting, throwing or crashing: what
// `faultline check` turns into exit 0, 1, 2 or 4, never 3 or a signal.
// Method: a splitmix64 mutator (bytes, lines deleted or doubled, text cut short, tokens replaced
// by plausible ones, which make histories that read and may not be linearizable, or by hostile
// ones: wrong keywords, huge numbers, long strings, deep nesting).
// FAULTLINE_FUZZ_SEED and FAULTLINE_FUZZ_MUTANTS set a longer campaign.
#include "check/history_io.h"
#include "check/report.h"
#include "tests/runner/scenario_support.h"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using namespace faultline;

namespace {

#if defined(FAULTLINE_SANITIZE)
constexpr uint64_t default_mutants = 3'000;
#else
constexpr uint64_t default_mutants = 2'000;
#endif

uint64_t from_environment(const char* name, uint64_t fallback) {
    const char* text = std::getenv(name);
    return text != nullptr ? std::strtoull(text, nullptr, 10) : fallback;
}

class HistoryMutator {
public:
    explicit HistoryMutator(uint64_t seed) : state_(seed) {}

    std::string mutate(std::string text) {
        for (uint64_t edits = 1 + below(2); edits > 0; --edits) mutate_once(text);
        return text;
    }

private:
    uint64_t next_u64() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);  // splitmix64
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return n == 0 ? 0 : next_u64() % n; }

    // Half plausible (another small value, keyword or type: a history that still reads and may
    // no longer be linearizable), half hostile.
    std::string replacement() {
        static const std::vector<std::string> plausible{
            "0",     "1",      "2",        "3",        "7",       ":invoke", ":ok",   ":fail",
            ":info", ":read",  ":write",   ":cas",     "nil",     "[1 2]",   "\"1\"", "\"2\"",
            "null",  "\"ok\"", "\"fail\"", "\"info\"", "\"put\"", "\"get\""};
        static const std::vector<std::string> hostile{":append",
                                                      ":nemesis",
                                                      "-1",
                                                      "9223372036854775807",
                                                      "-9223372036854775808",
                                                      "99999999999999999999999",
                                                      "1e308",
                                                      "1.5",
                                                      "\"\"",
                                                      "true",
                                                      "[]",
                                                      "{}",
                                                      "[1 2 3]",
                                                      "[[1 2] 3]",
                                                      "[1, [2, 3]]",
                                                      "{\"a\": 1}",
                                                      "#{1 2}",
                                                      "\\c",
                                                      "'",
                                                      "\"\\u0000\"",
                                                      "\"\\ud800\""};
        if (below(2) == 0) return plausible[below(plausible.size())];
        switch (below(4)) {
            case 0: return "\"" + std::string(5000, 'v') + "\"";
            case 1: {
                const std::size_t depth = 1 + below(400);
                return std::string(depth, below(2) == 0 ? '[' : '{') + "1";
            }
            default: return hostile[below(hostile.size())];
        }
    }

    void mutate_once(std::string& text) {
        if (text.empty()) {
            text = replacement();
            return;
        }
        const std::size_t at = static_cast<std::size_t>(below(text.size()));
        const std::size_t line_start = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
        const std::size_t line_end = std::min(text.find('\n', at), text.size());
        switch (below(8)) {
            case 0: text[at] = static_cast<char>(below(256)); return;
            case 1: text.erase(line_start, line_end - line_start); return;
            case 2: text.insert(line_start, text.substr(line_start, line_end - line_start + 1)); return;
            case 3: text.resize(at); return;
            default: {  // a whole token (between delimiters) replaced
                constexpr const char* delimiters = " ,{}[]\n\t";
                const std::size_t before = text.find_last_of(delimiters, at);
                const std::size_t start = before == std::string::npos ? 0 : before + 1;
                const std::size_t end = std::min(text.find_first_of(delimiters, start), text.size());
                text.replace(start, end - start, replacement());
                return;
            }
        }
    }

    uint64_t state_;
};

// The first ~60 events of each system's history in the flagship scenario, in the three formats.
std::vector<std::string> history_corpus() {
    const scenario::Scenario s = test::load_scenario("scenarios/replication/split_brain.toml");
    runner::RunOptions o;
    o.trace_level = TraceLevel::off;
    o.keep_trace = false;
    std::vector<std::string> texts;
    for (const runner::SystemOutcome& system : runner::run_scenario(s, o).systems) {
        check::History history = system.history;
        if (history.events.size() > 60) history.events.resize(60);
        texts.push_back(check::to_jepsen_edn(history));
        texts.push_back(check::to_jepsen_json(history));
        texts.push_back(check::to_faultline_json(history));
    }
    return texts;
}

// What went wrong reading and checking `text` ("" when nothing); `read` counts the formats that
// read it.
std::string problem_with(const std::string& text, uint64_t& read_count) {
    check::Budget budget;
    budget.steps_max = 20'000;
    budget.memory_bytes_max = 64ull << 20;
    budget.shrink_steps_max = 20'000;
    try {
        for (check::HistoryFormat format : {check::HistoryFormat::jepsen_edn, check::HistoryFormat::jepsen_json,
                                            check::HistoryFormat::faultline_json}) {
            const auto read = check::parse_history(text, format, "mutant");
            if (!read.ok()) {
                if (read.error().message.empty()) return "an error without a message";
                continue;
            }
            ++read_count;
            for (const char* model : {"register", "cas-register", "kv"})
                check::check_history(read.value(), model, budget);
        }
    } catch (const std::exception& e) {
        return fmt::format("an exception escaped: {}", e.what());
    }
    return "";
}

}  // namespace

TEST_CASE("history fuzz: seeded mutants of real histories are read or refused, and checked, never crash",
          "[check][fuzz]") {
    const std::vector<std::string> corpus = history_corpus();
    REQUIRE(corpus.size() == 9);
    uint64_t read_count = 0;
    for (const std::string& text : corpus) REQUIRE(problem_with(text, read_count).empty());
    REQUIRE(read_count >= corpus.size());  // each text is read in its own format at least
    HistoryMutator mutator(from_environment("FAULTLINE_FUZZ_SEED", 20'261'205));
    const uint64_t mutants = from_environment("FAULTLINE_FUZZ_MUTANTS", default_mutants);
    for (uint64_t i = 0; i < mutants; ++i) {
        const std::string text = mutator.mutate(corpus[i % corpus.size()]);
        INFO("mutant " << i << " of corpus text " << i % corpus.size() << ":\n" << text.substr(0, 2000));
        REQUIRE(problem_with(text, read_count).empty());
    }
    // Both paths are exercised: many mutants are refused, and many are read and checked.
    INFO(read_count << " reads of " << mutants << " mutants in 3 formats");
    REQUIRE(read_count > mutants / 50);  // ~5%: the readers are strict (indexes, times, pairs)
    REQUIRE(read_count < mutants * 3);
}
