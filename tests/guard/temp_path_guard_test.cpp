// The temporary-path guard: every file a test writes lives at a path of its own
// (tests/temp_path.h: unique per process and call), because a fixed name races when two test
// processes run at once (ctest -j2 made two check_command cases fail together, and a release and
// a sanitizer build share /tmp and the source folder).
// Method: scan tests/ for the ways a test names a shared path, and prove the scan catches each
// of them in planted files.
//   - a temporary folder of its own making (the system's temp folder call, a literal path under /tmp,
//     tmpnam);
//   - a command run by faultline_cli (whose working folder is the source folder, shared by every
//     test process) that writes there: run, sweep or cap without --db or --no-store (the default
//     store, faultline.db), shrink without -o (the default output file).
// The patterns are spelled in pieces so that this file does not trip its own scan.
#include "tests/temp_path.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Hit {
    std::string where;  // file:line
    std::string why;
};

// What is shared about one faultline_cli(...) statement: the command is the first word of its
// first string literal; without a literal (the command is a variable) nothing can be said.
std::string shared_cli_write(const std::string& statement) {
    const std::size_t quote = statement.find('"');
    if (quote == std::string::npos) return "";
    const std::size_t word_end = statement.find_first_of(" \"", quote + 1);
    const std::string command = statement.substr(quote + 1, word_end - quote - 1);
    const auto contains = [&](const char* s) { return statement.find(s) != std::string::npos; };
    if ((command == "run" || command == "sweep" || command == "cap") && !contains("--db") && !contains("--no-store"))
        return "runs `faultline " + command +
               "` without --db or --no-store: it writes faultline.db in the source folder";
    if (command == "shrink" && !contains("-o ") && !contains("--output"))
        return "runs `faultline shrink` without -o: a failing run writes its output in the source folder";
    return "";
}

std::vector<Hit> scan_file(const fs::path& file) {
    static const std::vector<std::string> own_temp_paths = {std::string("temp_directory_") + "path(",
                                                            std::string("\"/") + "tmp", std::string("\"/var/") + "tmp",
                                                            std::string("tmp") + "nam(", std::string("temp") + "nam("};
    std::ifstream in(file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    std::vector<Hit> hits;
    const auto line_of = [&](std::size_t at) {
        return file.string() + ":" +
               std::to_string(1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    };
    for (const std::string& pattern : own_temp_paths) {
        for (std::size_t at = text.find(pattern); at != std::string::npos; at = text.find(pattern, at + 1))
            hits.push_back({line_of(at), "makes its own temporary path (" + pattern + "); use test::unique_temp_path"});
    }
    const std::string call = std::string("faultline_") + "cli(";
    for (std::size_t at = text.find(call); at != std::string::npos; at = text.find(call, at + 1)) {
        const std::size_t end = text.find(';', at);
        const std::string statement = text.substr(at + call.size(), end - at - call.size());
        if (std::string why = shared_cli_write(statement); !why.empty()) hits.push_back({line_of(at), why});
    }
    return hits;
}

std::vector<Hit> scan_tree(const fs::path& root) {
    std::vector<Hit> hits;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp") continue;
        if (entry.path().filename() == "temp_path.h") continue;  // the one place that may
        for (Hit& h : scan_file(entry.path())) hits.push_back(std::move(h));
    }
    return hits;
}

}  // namespace

TEST_CASE("guard: tests name no fixed temporary path and write nothing in the shared source folder", "[guard]") {
    for (const Hit& hit : scan_tree(fs::path(FAULTLINE_SOURCE_DIR) / "tests")) FAIL_CHECK(hit.where << " " << hit.why);
}

TEST_CASE("guard: the temporary-path guard catches each planted violation", "[guard]") {
    const auto dir = faultline::test::unique_temp_path("temp_guard_probe");
    fs::create_directories(dir);
    const std::string q = "\"";
    std::ofstream(dir / "a.cpp") << "auto p = std::filesystem::temp_directory_"
                                 << "path() / " << q << "x" << q << ";\n"
                                 << "std::ofstream(" << q << "/"
                                 << "tmp/fixed.edn" << q << ");\n"
                                 << "auto r = faultline_"
                                 << "cli(" << q << "run x.toml --seed 3" << q << ");\n"
                                 << "auto s = faultline_"
                                 << "cli(fmt::format(" << q << "sweep {} --seeds 1..2" << q << ", f));\n"
                                 << "auto t = faultline_"
                                 << "cli(" << q << "shrink x.toml" << q << ");\n";
    std::ofstream(dir / "fine.cpp") << "auto r = faultline_"
                                    << "cli(fmt::format(" << q << "run {} --db {}" << q << ",\n    f, db));\n"
                                    << "auto s = faultline_"
                                    << "cli(" << q << "run x.toml --no-store" << q << ");\n"
                                    << "auto t = faultline_"
                                    << "cli(" << q << "shrink 1 --db d -o out.toml" << q << ");\n"
                                    << "auto u = faultline_"
                                    << "cli(" << q << "show 1 --db d" << q << ");\n"
                                    << "auto v = faultline_"
                                    << "cli(args);\n";
    const auto hits = scan_tree(dir);
    fs::remove_all(dir);
    std::string found;
    for (const Hit& h : hits) found += h.where + " " + h.why + "\n";
    INFO(found);
    REQUIRE(hits.size() == 5);
    for (const Hit& h : hits) REQUIRE(h.where.find("a.cpp") != std::string::npos);
}
