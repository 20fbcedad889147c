// `faultline new protocol NAME`: it writes the protocol folder and the one registration line, the
// very files the build generates from the same template and proves (tests/template/: they build,
// register and pass their smoke scenario); and it refuses bad names with exit 2.
// Method: a scratch repository root holding only protocols/CMakeLists.txt; compare every written
// file with the build's generated copy of the template for the same name.
#include "tests/runner/cli_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using faultline::test::faultline_cli;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch_root(const std::string& name) {
    fs::path root = faultline::test::temp_dir(name);
    fs::create_directories(root / "protocols");
    std::ofstream(root / "protocols" / "CMakeLists.txt") << "add_subdirectory(kv)\nfaultline_protocol(raft)\n";
    return root;
}

}  // namespace

TEST_CASE("cli new: a protocol folder is the template the build proves, registered by one line", "[cli][new]") {
    const fs::path root = scratch_root("new_protocol");
    auto r = faultline_cli("new protocol new_protocol_check --root " + root.string());
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.output.find("next: cmake --build build/release") != std::string::npos);
    const fs::path made = root / "protocols" / "new_protocol_check";
    const fs::path proven = fs::path(FAULTLINE_TEMPLATE_CHECK_ROOT) / "protocols" / "new_protocol_check";
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(proven)) {
        INFO(e.path().filename().string());
        REQUIRE(fs::exists(made / e.path().filename()));
        REQUIRE(read(made / e.path().filename()) == read(e.path()));
        ++files;
    }
    REQUIRE(files >= 8);
    REQUIRE(std::distance(fs::directory_iterator(made), fs::directory_iterator()) == static_cast<long>(files));
    // One line outside the folder.
    REQUIRE(read(root / "protocols" / "CMakeLists.txt") ==
            "add_subdirectory(kv)\nfaultline_protocol(raft)\nfaultline_protocol(new_protocol_check)\n");
}

TEST_CASE("cli new: bad names, taken names and a missing root exit 2 and write nothing", "[cli][new]") {
    const fs::path root = scratch_root("new_protocol_bad");
    for (const std::string& bad : std::vector<std::string>{"Raft2", "9lives", "has-dash", "raft", "kv", "plugin", std::string(41, 'a'), "\xc3\xa9t\xc3\xa9"}) {
        auto r = faultline_cli("new protocol '" + bad + "' --root " + root.string());
        INFO(bad << ": " << r.output);
        REQUIRE(r.exit_code == 2);
        REQUIRE(r.output.find("faultline new:") != std::string::npos);
    }
    REQUIRE(std::distance(fs::directory_iterator(root / "protocols"), fs::directory_iterator()) == 1);
    auto nowhere = faultline_cli("new protocol fine --root " + (root / "nope").string());
    REQUIRE(nowhere.exit_code == 2);
    auto what = faultline_cli("new checker fine --root " + root.string());
    REQUIRE(what.exit_code == 2);
}
