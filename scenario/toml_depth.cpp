#include "scenario/toml_depth.h"

#include "sim/assert.h"

#include <fmt/format.h>

namespace faultline::scenario {

namespace {

enum class State { normal, comment, basic, literal, multiline_basic, multiline_literal };

bool is_bare_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

class DepthScan {
public:
    explicit DepthScan(std::string_view text) : text_(text) {}

    std::optional<DepthProblem> run() {
        while (i_ < text_.size() && !problem_) {
            const char c = text_[i_];
            switch (state_) {
                case State::normal: normal(c); break;
                case State::comment:
                    if (c == '\n') state_ = State::normal;
                    break;
                case State::basic: basic(c); break;
                case State::literal:
                    if (c == '\'' || c == '\n') state_ = State::normal;
                    break;
                case State::multiline_basic: multiline(c, '"'); break;
                case State::multiline_literal: multiline(c, '\''); break;
            }
            advance();
        }
        FL_ASSERT(problem_ || i_ >= text_.size(), "the depth scan stopped early without a problem");
        return problem_;
    }

private:
    void normal(char c) {
        const bool starts_line = line_start_;
        if (c != ' ' && c != '\t') line_start_ = false;
        if (c == '.') {
            // One more part in the current dotted chain ("a.b", "\"a\".b", "a . b").
            start_chain();
            if (++parts_ + 1 > toml_key_parts_max) {
                report(chain_line_, chain_column_,
                       fmt::format("a dotted key or table header of more than {} parts: at most {} (a scenario needs 3 "
                                   "or 4)",
                                   toml_key_parts_max, toml_key_parts_max));
            }
            return;
        }
        if (c == '"' || c == '\'') {
            const bool triple = text_.substr(i_, 3) == (c == '"' ? "\"\"\"" : "'''");
            if (triple) {
                end_chain();
                state_ = c == '"' ? State::multiline_basic : State::multiline_literal;
                skip(2);
            } else {
                // A quoted part of a key continues its chain.
                start_chain();
                state_ = c == '"' ? State::basic : State::literal;
            }
            return;
        }
        if (c == ' ' || c == '\t') return;
        if (is_bare_key_char(c)) {
            start_chain();
            return;
        }
        end_chain();
        if (c == '#') state_ = State::comment;
        if (c == '[' && starts_line && nesting_ == 0) header();
        if (c == '[' || c == '{') {
            if (++nesting_ > toml_nesting_max) {
                report(line_, column_,
                       fmt::format("arrays, tables and inline tables nested more than {} deep: at most {}",
                                   toml_nesting_max, toml_nesting_max));
            }
        }
        if ((c == ']' || c == '}') && nesting_ > 0) --nesting_;
    }

    // A table header ("[a]", "[[a]]") must open with a key. toml++ 3.3 asserts that it does
    // instead of checking (an abort in a debug build, undefined behaviour with NDEBUG), so
    // "[=", "[[[a]]]" and a "[" ending its line are reported here.
    void header() {
        std::size_t j = i_ + 1;
        const auto blanks = [&] {
            while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j;
        };
        blanks();
        if (j < text_.size() && text_[j] == '[' && j == i_ + 1) {
            ++j;
            blanks();
        }
        if (j >= text_.size()) return;  // toml++ reports the end of the file itself
        const char k = text_[j];
        if (is_bare_key_char(k) || k == '"' || k == '\'' || k == ']') return;
        const std::string shown = k == '\n' ? "the end of the line" : fmt::format("'{}'", std::string(1, k));
        report(line_, column_ + static_cast<int>(j - i_),
               fmt::format("a table header must start with a key (a bare word or a quoted string), saw {}", shown));
    }

    void basic(char c) {
        if (c == '\\') {
            // An escape takes the next character, unless the line ends (toml++ reports that).
            if (i_ + 1 < text_.size() && text_[i_ + 1] != '\n') skip(1);
        } else if (c == '"' || c == '\n') {
            state_ = State::normal;
        }
    }

    void multiline(char c, char quote) {
        if (quote == '"' && c == '\\') {
            if (i_ + 1 < text_.size()) skip(1);
            return;
        }
        if (c != quote || text_.substr(i_, 3) != std::string(3, quote)) return;
        // Up to two more quotes may close the string with it ("""a"""" is a\").
        skip(2);
        for (int extra = 0; extra < 2 && i_ + 1 < text_.size() && text_[i_ + 1] == quote; ++extra) skip(1);
        state_ = State::normal;
    }

    // A chain starts at its first part and ends at anything that cannot continue a key.
    void start_chain() {
        if (in_chain_) return;
        in_chain_ = true;
        chain_line_ = line_;
        chain_column_ = column_;
    }
    void end_chain() {
        in_chain_ = false;
        parts_ = 0;
    }

    void report(int line, int column, std::string message) {
        problem_ = DepthProblem{.line = line, .column = column, .message = std::move(message)};
    }

    // Moves past the current character, counting lines; skip(n) moves past n more first.
    void advance() {
        if (i_ < text_.size() && text_[i_] == '\n') {
            ++line_;
            column_ = 1;
            if (state_ == State::normal) {
                end_chain();
                line_start_ = true;
            }
        } else {
            ++column_;
        }
        ++i_;
    }
    void skip(std::size_t n) {
        for (std::size_t k = 0; k < n && i_ + 1 < text_.size(); ++k) advance();
    }

    std::string_view text_;
    std::size_t i_ = 0;
    int line_ = 1, column_ = 1;
    State state_ = State::normal;
    bool line_start_ = true;  // nothing but blanks yet on this line, outside strings
    bool in_chain_ = false;
    std::size_t parts_ = 0;  // dots in the current dotted chain
    int chain_line_ = 1, chain_column_ = 1;
    std::size_t nesting_ = 0;
    std::optional<DepthProblem> problem_;
};

}  // namespace

std::optional<DepthProblem> find_too_deep(std::string_view text) {
    if (text.size() > toml_text_bytes_max) {
        return DepthProblem{.line = 1,
                            .column = 1,
                            .message = fmt::format("the file is {} bytes: a scenario is at most {} bytes", text.size(),
                                                   toml_text_bytes_max)};
    }
    return DepthScan(text).run();
}

}  // namespace faultline::scenario
