// docs/protocols.md cannot rot: every command it shows runs, in order, in a folder laid out like
// the repository's top (protocols/CMakeLists.txt copied, scenarios/ linked), and prints what the
// page shows; every excerpt of source it shows is still in that file (the conventions of
// tests/docs/doc_commands.h). The build commands it shows in ```sh blocks are not run here: the
// folder they build is the one the protocol template check builds and runs at every build
// (tests/template/, tests/cli/new_command_test.cpp).
#include "tests/temp_path.h"
#include "doc_commands.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace faultline::test::docs;

TEST_CASE("protocols guide: every command of docs/protocols.md runs and prints what the page shows", "[docs]") {
    auto work = faultline::test::unique_temp_path("protocols_doc");
    fs::create_directories(work / "protocols");
    fs::copy_file(fs::path(FAULTLINE_SOURCE_DIR) / "protocols" / "CMakeLists.txt", work / "protocols" / "CMakeLists.txt");
    fs::create_directory_symlink(fs::path(FAULTLINE_SOURCE_DIR) / "scenarios", work / "scenarios");
    std::ifstream in(fs::path(FAULTLINE_SOURCE_DIR) / "docs" / "protocols.md");
    std::stringstream markdown;
    markdown << in.rdbuf();
    int commands = 0, excerpts = 0;
    for (const auto& b : fenced_blocks(markdown.str())) {
        if (b.kind == "console") commands += static_cast<int>(console_commands(b).size());
        if (b.attributes.count("file")) ++excerpts;
    }
    REQUIRE(commands >= 4);
    REQUIRE(excerpts >= 4);
    CheckSettings s;
    s.source_dir = FAULTLINE_SOURCE_DIR;
    s.work_dir = work;
    s.path_first = fs::path(FAULTLINE_CLI_PATH).parent_path().string();
    s.sh_lines = {"cmake --build build/release", "build/release/cli/faultline run protocols/my_register/smoke.toml"};
    auto problems = check_document(markdown.str(), s);
    std::string report;
    for (const auto& p : problems) report += p + "\n\n";
    INFO(report);
    REQUIRE(problems.empty());
    // What the page promises of the command: a folder and one registration line.
    REQUIRE(fs::exists(work / "protocols" / "my_register" / "entry.cpp"));
    fs::remove_all(work);
}
