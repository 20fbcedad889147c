// The runner and the CLI stay made of small functions: none longer than 100 lines. Method: strip
// comments and string literals from each source file, track braces, and measure every function
// body that sits directly in a namespace, class or struct (lambdas and blocks inside a function
// count towards that function). A planted long function proves the measure sees one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The text with comments and string and character literals blanked (newlines kept).
std::string strip(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s.compare(i, 2, "//") == 0) {
            while (i < s.size() && s[i] != '\n') ++i;
        } else if (s.compare(i, 2, "/*") == 0) {
            const std::size_t end = std::min(s.find("*/", i + 2), s.size());
            for (; i < end; ++i)
                if (s[i] == '\n') out += '\n';
            i += 2;
        } else if (s.compare(i, 2, "R\"") == 0) {
            const std::size_t open = s.find('(', i);
            const std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
            const std::size_t end = std::min(s.find(close, open), s.size());
            for (; i < end; ++i)
                if (s[i] == '\n') out += '\n';
            i += close.size();
        } else if (s[i] == '"' || (s[i] == '\'' && (i == 0 || !std::isalnum(static_cast<unsigned char>(s[i - 1]))))) {
            const char quote = s[i++];
            while (i < s.size() && s[i] != quote) i += s[i] == '\\' ? 2 : 1;
            ++i;
        } else {
            out += s[i++];
        }
    }
    return out;
}

struct Body {
    int first_line;
    int lines;
};

std::vector<Body> function_bodies(const std::string& source) {
    enum class Block { scope, function, other };
    const std::string text = strip(source);
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    static const std::regex scope_head(R"(^\s*(namespace|class|struct|enum|union|extern)\b|\b(namespace|class|struct|enum)\b[^()]*$)");
    std::vector<std::pair<Block, int>> stack;
    std::vector<Body> out;
    auto in_function = [&] {
        for (const auto& [b, line] : stack)
            if (b == Block::function) return true;
        return false;
    };
    for (int n = 0; n < static_cast<int>(lines.size()); ++n) {
        const std::string& line = lines[n];
        for (std::size_t c = 0; c < line.size(); ++c) {
            if (line[c] == '{') {
                if (in_function()) {
                    stack.emplace_back(Block::other, n);
                    continue;
                }
                std::string head = line.substr(0, c);
                if (head.find_first_not_of(" \t") == std::string::npos && n > 0) head = lines[n - 1];
                const bool scope = std::regex_search(head, scope_head);
                const bool function = !scope && (head.find(')') != std::string::npos || head.find("const") != std::string::npos);
                stack.emplace_back(scope ? Block::scope : function ? Block::function : Block::other, n);
            } else if (line[c] == '}' && !stack.empty()) {
                const auto [block, start] = stack.back();
                stack.pop_back();
                if (block == Block::function && !in_function()) out.push_back({start + 1, n - start + 1});
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("guard: no function in runner/ or cli/ is over 100 lines", "[guard]") {
    constexpr int lines_max = 100;
    std::size_t measured = 0;
    for (const char* dir : {"runner", "cli"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / dir)) {
            if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
            std::ifstream in(entry.path());
            std::stringstream text;
            text << in.rdbuf();
            for (const Body& b : function_bodies(text.str())) {
                ++measured;
                if (b.lines > lines_max)
                    FAIL_CHECK(entry.path().string() << ":" << b.first_line << ": a function of " << b.lines
                                                     << " lines (at most " << lines_max << "): split it");
            }
        }
    }
    REQUIRE(measured > 100);  // the measure finds the functions there are
}

TEST_CASE("guard: the function measure sees a long function and ignores braces in strings", "[guard]") {
    std::string planted = "namespace x {\nint f(int a) {\n  auto s = \"{{{\";  // }\n";
    for (int i = 0; i < 120; ++i) planted += "  a += [&] { return 1; }();\n";
    planted += "  return a;\n}\nstruct S {\n  void g() const { }\n};\n}\n";
    const auto bodies = function_bodies(planted);
    REQUIRE(bodies.size() == 2);
    REQUIRE(bodies[0].lines == 124);
    REQUIRE(bodies[1].lines == 1);
}
