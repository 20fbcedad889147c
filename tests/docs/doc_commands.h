// Runs the commands a Markdown document shows and checks that they still do what it says, so a
// tutorial cannot rot (SimGrid's .tesh files, Rust's doctests). The conventions, which
// docs/tutorial.md states for its writers in its last section:
//
// - A ```console block is run. Each line starting with "$ " is a command; the lines after it,
//   up to the next command, are its output as shown to the reader.
// - Every command of a block must exit with the block's code: ```console exit=1 (default 0).
// - Every output line shown must appear in what the command printed: stdout first, then
//   stderr, each stream in order (a shown line may come from either; the two are not
//   interleaved in order, since a pipe does not keep it). Trailing spaces are ignored; "…"
//   inside a line matches any text (a wall time, a date); a line that is just "..." stands for
//   lines left out, and is not matched.
// - A block with a file= attribute (```cpp file=protocols/x/y.cpp) is an excerpt: each chunk
//   of it between elision lines ("...", "// ...", "# ...") must appear verbatim in that file.
// - A ```sh block is shown, not run; the caller says which lines it may hold (set-up commands
//   that something else runs). Any other kind of block is an error: nothing goes unchecked.
//
// Commands run with `sh` in one working folder, in document order, each under `timeout`.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace faultline::test::docs {

namespace fs = std::filesystem;

struct Block {
    std::string kind;                           // the fence's first word: console, cpp, toml, sh, ...
    std::map<std::string, std::string> attributes;  // the fence's key=value words
    std::vector<std::string> lines;
    int line = 0;                               // of the opening fence, 1-based
};

struct Command {
    std::string text;
    int expected_exit = 0;
    std::vector<std::string> shown;  // output lines as the document shows them
    int line = 0;
};

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string trim_right(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    return s;
}

inline std::string trim(const std::string& s) {
    auto first = s.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : trim_right(s.substr(first));
}

inline std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string line;
    while (std::getline(ss, line)) out.push_back(line);
    return out;
}

// Every fenced block (``` fences at the start of a line) of a Markdown text.
inline std::vector<Block> fenced_blocks(const std::string& markdown) {
    std::vector<Block> out;
    std::optional<Block> open;
    int number = 0;
    for (const auto& line : split_lines(markdown)) {
        ++number;
        if (line.rfind("```", 0) != 0) {
            if (open) open->lines.push_back(line);
            continue;
        }
        if (open) {
            out.push_back(std::move(*open));
            open.reset();
            continue;
        }
        Block b;
        b.line = number;
        std::stringstream words(line.substr(3));
        std::string word;
        words >> b.kind;
        while (words >> word) {
            auto eq = word.find('=');
            b.attributes[word.substr(0, eq)] = eq == std::string::npos ? "" : word.substr(eq + 1);
        }
        open = std::move(b);
    }
    if (open) throw std::runtime_error(fmt::format("the block opened at line {} is never closed", open->line));
    return out;
}

// The commands of a console block, each with the output the document shows for it.
inline std::vector<Command> console_commands(const Block& b) {
    int exit = 0;
    if (auto it = b.attributes.find("exit"); it != b.attributes.end()) exit = std::stoi(it->second);
    std::vector<Command> out;
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
        const auto& line = b.lines[i];
        if (line.rfind("$ ", 0) == 0) {
            out.push_back({line.substr(2), exit, {}, b.line + 1 + static_cast<int>(i)});
        } else if (out.empty()) {
            if (!trim(line).empty())
                throw std::runtime_error(fmt::format("line {}: output before the block's first command", b.line + 1 + i));
        } else if (trim(line) != "...") {
            out.back().shown.push_back(line);
        }
    }
    return out;
}

// Whether an output line matches a shown line, where "…" in the shown line matches any text.
inline bool line_matches(const std::string& shown_line, const std::string& actual_line) {
    std::string pattern = trim_right(shown_line);
    std::string line = trim_right(actual_line);
    const std::string any = "…";
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (auto at = pattern.find(any); at != std::string::npos; at = pattern.find(any, from)) {
        parts.push_back(pattern.substr(from, at - from));
        from = at + any.size();
    }
    parts.push_back(pattern.substr(from));
    if (parts.size() == 1) return line == pattern;
    if (line.rfind(parts.front(), 0) != 0) return false;
    std::size_t at = parts.front().size();
    for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
        at = line.find(parts[i], at);
        if (at == std::string::npos) return false;
        at += parts[i].size();
    }
    const std::string& last = parts.back();
    return line.size() >= at + last.size() && line.compare(line.size() - last.size(), last.size(), last) == 0;
}

// "" when every shown line is found (stdout, then stderr, each in order); else what is missing.
inline std::string missing_output(const std::vector<std::string>& shown, const Outcome& o) {
    auto out = split_lines(o.out);
    auto err = split_lines(o.err);
    std::size_t at_out = 0, at_err = 0;
    auto find = [](const std::vector<std::string>& lines, std::size_t& at, const std::string& s) {
        for (std::size_t i = at; i < lines.size(); ++i) {
            if (line_matches(s, lines[i])) {
                at = i + 1;
                return true;
            }
        }
        return false;
    };
    for (const auto& s : shown) {
        if (find(out, at_out, s) || find(err, at_err, s)) continue;
        return fmt::format("this line is not in the output (or not in this order): \"{}\"", s);
    }
    return {};
}

// "" when every chunk of an excerpt (split at elision lines) appears verbatim in `file_text`.
inline std::string missing_excerpt(const Block& b, const std::string& file_text) {
    std::vector<std::string> chunks(1);
    for (const auto& line : b.lines) {
        std::string t = trim(line);
        if (t == "..." || t == "// ..." || t == "# ...") {
            chunks.emplace_back();
            continue;
        }
        chunks.back() += line + "\n";
    }
    for (const auto& chunk : chunks) {
        if (chunk.empty()) continue;
        if (file_text.find(chunk) == std::string::npos)
            return fmt::format("this part of the excerpt is not in the file:\n{}", chunk);
    }
    return {};
}

// Runs one command with `sh` in `dir`, with `path_first` at the front of PATH.
inline Outcome run_command(const fs::path& dir, const std::string& command, const std::string& path_first, int number) {
    auto script = dir / fmt::format(".command-{}.sh", number);
    auto err_file = dir / fmt::format(".command-{}.err", number);
    std::ofstream(script) << command << "\n";
    std::string line = fmt::format("cd '{}' && PATH='{}':\"$PATH\" timeout 120 sh '{}' 2>'{}'", dir.string(), path_first,
                                   script.string(), err_file.string());
    Outcome o;
    FILE* pipe = popen(line.c_str(), "r");
    if (pipe == nullptr) return o;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) o.out.append(buf, n);
    int status = pclose(pipe);
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    o.err = ss.str();
    fs::remove(script);
    fs::remove(err_file);
    return o;
}

struct CheckSettings {
    fs::path source_dir;                 // where file= paths are read from
    fs::path work_dir;                   // where commands run
    std::string path_first;              // put first on PATH (the folder of the built binary)
    std::set<std::string> sh_lines;      // what ```sh blocks may hold (shown, never run)
    // Rewrites a command before it runs (e.g. give the GUI command an output file instead of a
    // window); returns the command unchanged when it has nothing to do.
    std::function<std::string(const std::string&, int number)> rewrite;
    // Called after each command with its outcome; returns a problem or "".
    std::function<std::string(const std::string&, int number, const Outcome&)> after;
};

// Checks a whole document: every block, every command in order. Returns the problems found,
// each naming the document's line.
inline std::vector<std::string> check_document(const std::string& markdown, const CheckSettings& s) {
    std::vector<std::string> problems;
    int number = 0;
    for (const auto& b : fenced_blocks(markdown)) {
        if (b.kind == "console") {
            for (const auto& c : console_commands(b)) {
                ++number;
                std::string command = s.rewrite ? s.rewrite(c.text, number) : c.text;
                Outcome o = run_command(s.work_dir, command, s.path_first, number);
                std::string where = fmt::format("line {}: $ {}", c.line, c.text);
                if (o.exit_code != c.expected_exit)
                    problems.push_back(fmt::format("{}\n  exit code {}, the document says {}\n  output:\n{}{}", where,
                                                   o.exit_code, c.expected_exit, o.out, o.err));
                if (auto m = missing_output(c.shown, o); !m.empty())
                    problems.push_back(fmt::format("{}\n  {}\n  output:\n{}{}", where, m, o.out, o.err));
                if (s.after)
                    if (auto m = s.after(c.text, number, o); !m.empty()) problems.push_back(where + "\n  " + m);
            }
        } else if (b.attributes.count("file")) {
            auto path = s.source_dir / b.attributes.at("file");
            std::ifstream in(path);
            if (!in.good()) {
                problems.push_back(fmt::format("line {}: the excerpt's file {} cannot be read", b.line, path.string()));
                continue;
            }
            std::stringstream text;
            text << in.rdbuf();
            if (auto m = missing_excerpt(b, text.str()); !m.empty())
                problems.push_back(fmt::format("line {}: excerpt of {}: {}", b.line, b.attributes.at("file"), m));
        } else if (b.kind == "sh") {
            for (const auto& line : b.lines)
                if (!trim(line).empty() && !s.sh_lines.count(trim(line)))
                    problems.push_back(fmt::format("line {}: a ```sh block is never run, so it may only hold the set-up "
                                                   "lines the test knows; not: {}",
                                                   b.line, line));
        } else {
            problems.push_back(fmt::format("line {}: a ```{} block that nothing checks (use console, sh, or file=PATH)",
                                           b.line, b.kind));
        }
    }
    return problems;
}

}  // namespace faultline::test::docs
