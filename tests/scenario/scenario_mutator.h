// A seeded mutator of scenario files, for the fuzz test (scenario_fuzz_test.cpp): from a corpus
// of texts (scenarios/), it makes mutants the way a hostile user or a careless edit would. Each
// mutant is one to three of: a byte changed, a line deleted, doubled or swapped with another, a
// value replaced by a hostile one (huge, tiny, negative, NaN, the wrong type, 5,000 bytes, nested
// deep), a key renamed (a typo, a key of another table, 5,000 bytes), a line or table header
// borrowed from another file, a header or dotted key of thousands of parts, or the text cut short.
//
// Deterministic: the same seed and corpus give the same mutants on every platform (its own
// splitmix64 stream, no std:: distributions), so a failing mutant is named by its seed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::test {

class ScenarioMutator {
public:
    explicit ScenarioMutator(uint64_t seed) : state_(seed) {}

    // A mutant of corpus[below(corpus.size())], and which file it came from.
    struct Mutant {
        std::size_t source = 0;
        std::string text;
    };
    Mutant next(const std::vector<std::string>& corpus) {
        Mutant m;
        m.source = static_cast<std::size_t>(below(corpus.size()));
        m.text = corpus[m.source];
        const uint64_t edits = 1 + below(3);
        for (uint64_t i = 0; i < edits; ++i) mutate_once(m.text, corpus);
        return m;
    }

private:
    uint64_t next_u64() {
        // splitmix64 (Steele, Lea, Flood 2014).
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return n == 0 ? 0 : next_u64() % n; }

    static std::vector<std::string> split_lines(const std::string& text) {
        std::vector<std::string> lines;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            lines.push_back(text.substr(pos, end - pos));
            pos = end + 1;
        }
        return lines;
    }
    static std::string join_lines(const std::vector<std::string>& lines) {
        std::string out;
        for (std::size_t i = 0; i < lines.size(); ++i) out += lines[i] + (i + 1 < lines.size() ? "\n" : "");
        return out;
    }
    static std::string many_parts(std::size_t parts) {
        std::string out = "a";
        for (std::size_t i = 1; i < parts; ++i) out += ".a";
        return out;
    }

    std::string hostile_value() {
        static const std::vector<std::string> values{"0",
                                                     "-0",
                                                     "-1",
                                                     "1",
                                                     "2",
                                                     "1e-7",
                                                     "0.000001",
                                                     "0.001",
                                                     "1e15",
                                                     "1e308",
                                                     "-1e308",
                                                     "9223372036854775807",
                                                     "-9223372036854775808",
                                                     "18446744073709551615",
                                                     "nan",
                                                     "inf",
                                                     "-inf",
                                                     "true",
                                                     "false",
                                                     "\"\"",
                                                     "\"x\"",
                                                     "\"raft\"",
                                                     "\"n1\"",
                                                     "\"c1\"",
                                                     "\"n99\"",
                                                     "[]",
                                                     "[[]]",
                                                     "{}",
                                                     "[1, \"a\"]",
                                                     "[\"n1\"]",
                                                     "[[\"n1\"], [\"n2\", \"n3\"]]",
                                                     "1979-05-27",
                                                     "07:32:00",
                                                     "1979-05-27T07:32:00Z",
                                                     "0x7FFFFFFF",
                                                     "0b1",
                                                     "0o7",
                                                     "1_000_000_000",
                                                     "604800000",
                                                     "604800001",
                                                     "3.5",
                                                     "0.5",
                                                     "1000",
                                                     "100000",
                                                     "{ a = 1 }"};
        switch (below(4)) {
            case 0: return "\"" + std::string(5000 + below(100), static_cast<char>('a' + below(26))) + "\"";
            case 1: {
                const std::size_t depth = 1 + below(300);
                return std::string(depth, '[') + "1" + std::string(depth, ']');
            }
            default: return values[below(values.size())];
        }
    }

    std::string hostile_key(const std::vector<std::string>& keys) {
        switch (below(5)) {
            case 0: return std::string(5000, 'k');
            case 1: return many_parts(2 + below(60'000));
            case 2: {
                if (keys.empty()) return "k";
                std::string key = keys[below(keys.size())];
                if (!key.empty()) key[below(key.size())] = static_cast<char>('a' + below(26));  // a typo
                return key;
            }
            default: return keys.empty() ? "k" : keys[below(keys.size())];
        }
    }

    static std::vector<std::string> keys_of(const std::vector<std::string>& lines) {
        std::vector<std::string> keys;
        for (const std::string& line : lines) {
            const std::size_t eq = line.find(" = ");
            if (eq != std::string::npos && eq > 0 && line[0] != '#' && line[0] != ' ')
                keys.push_back(line.substr(0, eq));
        }
        return keys;
    }

    void mutate_once(std::string& text, const std::vector<std::string>& corpus) {
        std::vector<std::string> lines = split_lines(text);
        const std::size_t at = static_cast<std::size_t>(below(lines.size()));
        const std::vector<std::string> other = split_lines(corpus[below(corpus.size())]);
        switch (below(11)) {
            case 0:  // a byte changed
                if (!text.empty()) text[below(text.size())] = static_cast<char>(below(256));
                return;
            case 1: lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at)); break;
            case 2: lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), lines[at]); break;
            case 3: std::swap(lines[at], lines[below(lines.size())]); break;
            case 4:
            case 5: {  // a value replaced
                const std::size_t eq = lines[at].find(" = ");
                if (eq == std::string::npos) return;
                lines[at] = lines[at].substr(0, eq + 3) + hostile_value();
                break;
            }
            case 6: {  // a key renamed
                const std::size_t eq = lines[at].find(" = ");
                if (eq == std::string::npos) return;
                lines[at] = hostile_key(keys_of(other)) + lines[at].substr(eq);
                break;
            }
            case 7:  // a line borrowed from another file
                lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), other[below(other.size())]);
                break;
            case 8: {  // a table header, borrowed, or of many parts
                std::string header = below(4) == 0 ? "[" + many_parts(2 + below(60'000)) + "]" : "";
                for (std::size_t tries = 0; header.empty() && tries < 20; ++tries) {
                    const std::string& line = other[below(other.size())];
                    if (!line.empty() && line[0] == '[') header = line;
                }
                lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), header);
                break;
            }
            case 9: text.resize(static_cast<std::size_t>(below(text.size() + 1))); return;  // cut short
            default: {  // a new key with a hostile value at the top of some table
                lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at),
                             hostile_key(keys_of(other)) + " = " + hostile_value());
                break;
            }
        }
        text = join_lines(lines);
    }

    uint64_t state_;
};

}  // namespace faultline::test
