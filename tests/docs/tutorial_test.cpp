// docs/tutorial.md cannot rot: every command it shows is run here, in order, and must exit with
// the code the tutorial gives and print every output line it shows; every excerpt of source or
// scenario it shows must still be in that file (conventions: tests/docs/doc_commands.h, and the
// tutorial's last section).
//
// Method: a fresh temporary folder with a `scenarios` link to the source tree's, which is what
// the tutorial's own set-up lines make (`mkdir -p out/tutorial && cd out/tutorial`, `ln -s
// ../../scenarios scenarios`), and the built `faultline` first on PATH, which is what its
// `export PATH=...` line does. Those set-up lines, and the two commands of the README
// (scripts/quickstart, scripts/test), are shown in ```sh blocks and not run here: the two
// commands build the very binary this test runs, and run this test (CI's .ci/run runs
// scripts/test, which runs the whole suite). The test only allows those exact lines in ```sh
// blocks, so nothing else can hide there unrun.
//
// The GUI command (`faultline view RUN`) opens a window; tests have no display, so it is run
// with `--svg FILE` added, which loads the same stored run and draws the same timeline as SVG
// without a GUI (docs/visualizer.md), and the file must be an SVG.
#include "tests/temp_path.h"
#include "doc_commands.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace faultline::test::docs;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Named with the process id too: other worktrees on the same machine run the same tests.
fs::path fresh_dir(const std::string& name) {
    auto dir = faultline::test::unique_temp_path("test_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// The lines the tutorial's ```sh blocks may hold, each explained in the header comment.
const std::set<std::string> setup_lines = {
    "scripts/quickstart     # installs missing packages, builds, runs the flagship simulation",
    "scripts/test           # installs missing packages, builds everything, runs the whole test suite",
    "export PATH=\"$PWD/build/release/cli:$PATH\"",
    "rm -rf out/tutorial && mkdir -p out/tutorial && cd out/tutorial",
    "ln -s ../../scenarios scenarios",
};

CheckSettings tutorial_settings(const fs::path& work) {
    CheckSettings s;
    s.source_dir = FAULTLINE_SOURCE_DIR;
    s.work_dir = work;
    s.path_first = fs::path(FAULTLINE_CLI_PATH).parent_path().string();
    s.sh_lines = setup_lines;
    s.rewrite = [](const std::string& command, int number) {
        if (command.rfind("faultline view ", 0) != 0) return command;
        return fmt::format("{} --svg view-{}.svg", command, number);
    };
    s.after = [work](const std::string& command, int number, const Outcome&) -> std::string {
        if (command.rfind("faultline view ", 0) != 0) return {};
        std::ifstream svg(work / fmt::format("view-{}.svg", number));
        std::string head;
        std::getline(svg, head);
        if (head.rfind("<svg", 0) != 0 && head.rfind("<?xml", 0) != 0)
            return "faultline view ... --svg wrote no SVG (first line: \"" + head + "\")";
        return {};
    };
    return s;
}

std::string report(const std::vector<std::string>& problems) {
    std::string out;
    for (const auto& p : problems) out += p + "\n\n";
    return out;
}

}  // namespace

TEST_CASE("tutorial: every command of docs/tutorial.md runs and prints what the tutorial shows", "[tutorial][docs]") {
    auto work = fresh_dir("tutorial");
    fs::create_directory_symlink(fs::path(FAULTLINE_SOURCE_DIR) / "scenarios", work / "scenarios");
    std::string markdown = read_text(fs::path(FAULTLINE_SOURCE_DIR) / "docs" / "tutorial.md");
    auto blocks = fenced_blocks(markdown);
    int commands = 0, excerpts = 0;
    for (const auto& b : blocks) {
        if (b.kind == "console") commands += static_cast<int>(console_commands(b).size());
        if (b.attributes.count("file")) ++excerpts;
    }
    // The tutorial's shape, so that a parsing slip cannot make it pass by checking nothing.
    REQUIRE(commands >= 15);
    REQUIRE(excerpts >= 4);
    auto problems = check_document(markdown, tutorial_settings(work));
    INFO(report(problems));
    REQUIRE(problems.empty());
    fs::remove_all(work);  // kept when the test fails, to look at
}

// Proof that the checker can fail (CONTRIBUTING.md rule 14): a changed exit code, a missing output line, a
// changed excerpt, an unchecked block and an unknown set-up line are each reported.
TEST_CASE("tutorial: the checker reports a wrong exit code, output line, excerpt or block", "[tutorial][docs]") {
    auto work = fresh_dir("tutorial_checker");
    std::ofstream(work / "excerpt.txt") << "first line\nsecond line\nthird line\n";
    CheckSettings s;
    s.source_dir = work;
    s.work_dir = work;
    s.path_first = "/usr/bin";
    s.sh_lines = {"scripts/test"};
    auto check = [&](const std::string& markdown) { return check_document(markdown, s); };

    SECTION("a faithful document passes") {
        auto problems = check("```console\n$ echo hello world; echo bye >&2\nhello …\n...\nbye\n```\n"
                              "```console exit=1\n$ false\n```\n"
                              "```txt file=excerpt.txt\nfirst line\nsecond line\n...\nthird line\n```\n"
                              "```sh\nscripts/test\n```\n");
        INFO(report(problems));
        REQUIRE(problems.empty());
    }
    SECTION("a changed exit code") {
        auto problems = check("```console exit=1\n$ echo hello\nhello\n```\n");
        REQUIRE(problems.size() == 1);
        REQUIRE(problems[0].find("exit code 0, the document says 1") != std::string::npos);
    }
    SECTION("an output line the command does not print") {
        auto problems = check("```console\n$ echo hello\ngoodbye\n```\n");
        REQUIRE(problems.size() == 1);
        REQUIRE(problems[0].find("not in the output") != std::string::npos);
    }
    SECTION("output lines in another order") {
        auto problems = check("```console\n$ echo a; echo b\nb\na\n```\n");
        REQUIRE(problems.size() == 1);
    }
    SECTION("an excerpt that is no longer in its file") {
        auto problems = check("```txt file=excerpt.txt\nfirst line\nthird line\n```\n");
        REQUIRE(problems.size() == 1);
        REQUIRE(problems[0].find("not in the file") != std::string::npos);
    }
    SECTION("a block nothing checks, and a set-up line the test does not know") {
        auto problems = check("```python\nprint(1)\n```\n```sh\nrm -rf /tmp/x\n```\n");
        REQUIRE(problems.size() == 2);
        REQUIRE(problems[0].find("nothing checks") != std::string::npos);
        REQUIRE(problems[1].find("never run") != std::string::npos);
    }
    fs::remove_all(work);
}

TEST_CASE("tutorial: the wildcard in a shown line matches any text there, and only there", "[tutorial][docs]") {
    REQUIRE(line_matches("wall time … ms", "wall time 12 ms"));
    REQUIRE(line_matches("a … c … e", "a b c d e"));
    REQUIRE(line_matches("exact", "exact   "));
    REQUIRE_FALSE(line_matches("wall time … ms", "wall time 12 s"));
    REQUIRE_FALSE(line_matches("exact", "exact and more"));
    REQUIRE_FALSE(line_matches("a…a", "a"));
}
