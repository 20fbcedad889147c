// The story of a failed run in a student's terms (the lab grader's feedback, `export --format
// html`): client names, seconds of virtual time and trace event numbers, never a history process
// or operation index. Told from the client history, the node names and each check's details (the
// linearizability counterexample, other checkers' findings), which a run's outcome and a stored
// run both have.
#pragma once

#include "check/history.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faultline::runner {

struct StoryCheck {
    std::string checker;
    std::string verdict;  // ok | violation | unknown | ""
    std::string summary;
    nlohmann::ordered_json details = nlohmann::ordered_json::object();
};

struct StoryInput {
    const check::History& history;
    const std::vector<std::string>& node_names;
    std::vector<StoryCheck> checks;
    std::set<std::string> unmet;  // unmet expectations: their findings are told first
};

struct Story {
    std::vector<std::string> lines;
    std::optional<double> at_ms;  // where it shows: the counterexample's first operation, the first finding
};

// The counterexample (operations no order explains; for a read, the writes whose values it holds)
// and the first findings of each violated check.
Story failure_story(const StoryInput& input);

// "1.234 s": a virtual time as the story tells it.
std::string seconds_text(int64_t ns);

// "p300" (a history process) -> "c1": a checker's words in a student's.
std::string in_client_names(const StoryInput& input, const std::string& text);

}  // namespace faultline::runner
