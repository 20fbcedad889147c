// The determinism guard (TigerBeetle's tidy): simulation and protocol code must not reach for
// wall clocks, OS randomness, threads or std:: distributions, and protocols must talk to the world
// only through sim/node.h. Method: scan the source text; a hit names the file and line.
#include "tests/temp_path.h"
#include "protocols/plugin/registry.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
struct Hit {
    std::string where;
    std::string what;
};

std::vector<Hit> scan(const fs::path& root, const std::vector<std::string>& banned) {
    std::vector<Hit> hits;
    if (!fs::exists(root)) return hits;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp" && ext != ".hpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            for (const auto& word : banned)
                if (line.find(word) != std::string::npos)
                    hits.push_back({entry.path().string() + ":" + std::to_string(n), word});
        }
    }
    return hits;
}

// Spelled in pieces so this file does not trip its own scan if it is ever moved under sim/.
const std::vector<std::string> banned_everywhere = {
    std::string("system_") + "clock", std::string("steady_") + "clock", std::string("high_resolution_") + "clock",
    std::string("random_") + "device", std::string(" rand") + "(", std::string("std::") + "rand(",
    std::string("std::") + "thread", std::string("std::") + "jthread", std::string("std::") + "async",
    std::string("pthread_") + "create", std::string("_distribution<"),
    std::string("std::uniform_int_") + "distribution", std::string("std::uniform_real_") + "distribution",
    std::string("std::normal_") + "distribution", std::string("std::bernoulli_") + "distribution",
    std::string("std::exponential_") + "distribution", std::string("std::poisson_") + "distribution",
    std::string("std::discrete_") + "distribution", std::string("std::geometric_") + "distribution",
    std::string("time(") + "nullptr", std::string("gettimeof") + "day", std::string("clock_") + "gettime",
    std::string("std::") + "mt19937", std::string("std::") + "default_random_engine"};
}  // namespace

TEST_CASE("guard: sim/ and protocols/ use no wall clock, OS randomness, threads or std distributions", "[guard]") {
    for (const char* dir : {"sim", "protocols"}) {
        for (const auto& hit : scan(fs::path(FAULTLINE_SOURCE_DIR) / dir, banned_everywhere)) {
            FAIL_CHECK(hit.where << " uses " << hit.what);
        }
    }
}

TEST_CASE("guard: the guard itself catches a planted violation", "[guard]") {
    auto dir = faultline::test::unique_temp_path("guard_probe");
    fs::create_directories(dir);
    std::ofstream(dir / "bad.cpp") << "auto t = std::chrono::" << "system_" << "clock::now();\n";
    auto hits = scan(dir, banned_everywhere);
    fs::remove_all(dir);
    REQUIRE(hits.size() == 1);
}

// A protocol's entry file (protocols/<name>/entry.cpp) adds its nodes to the World; the plug-in
// seam's ClusterView wraps it. Nothing else under protocols/ may see the kernel's internals.
bool may_see_world(const std::string& where) {
    const std::string file = where.substr(0, where.rfind(':'));
    return file.ends_with("/entry.cpp") || file.ends_with("/protocols/plugin/cluster_view.cpp");
}

TEST_CASE("guard: protocols include only the node API from sim/, but for their entry file", "[guard]") {
    auto hits = scan(fs::path(FAULTLINE_SOURCE_DIR) / "protocols",
                     {"sim/world.h", "sim/world_internal.h", "sim/event_queue.h"});
    std::size_t entries = 0;
    for (const auto& hit : hits) {
        if (may_see_world(hit.where)) {
            ++entries;
            continue;
        }
        FAIL_CHECK(hit.where << " includes kernel internals: " << hit.what
                             << " (only a protocol's entry.cpp may; elsewhere read the run through plugin::ClusterView)");
    }
    REQUIRE(entries >= 3);  // the scan sees the entry files: it is looking in the right place
}

// The kernel, the runner, the CLI and the viewer know protocols only through the plug-in seam:
// none of them names a registered protocol, in code or in comments (tests and docs may).
TEST_CASE("guard: sim/, runner/, cli/ and visualizer/ name no protocol", "[guard]") {
    std::vector<std::string> names;
    for (const auto& p : faultline::plugin::protocols()) {
        names.push_back(p.spec.name);
        std::string spaced = p.spec.name;
        std::replace(spaced.begin(), spaced.end(), '_', '-');
        if (spaced != p.spec.name) names.push_back(spaced);
    }
    REQUIRE(names.size() >= 3);
    for (const char* dir : {"sim", "runner", "cli", "visualizer"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / dir)) {
            auto ext = entry.path().extension();
            if (ext != ".h" && ext != ".cpp" && ext != ".txt") continue;
            std::ifstream in(entry.path());
            std::string line;
            for (int n = 1; std::getline(in, line); ++n) {
                std::string lower = line;
                std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
                for (const auto& name : names) {
                    for (auto at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
                        auto word = [&](std::size_t i) { return i < lower.size() && (std::isalnum(static_cast<unsigned char>(lower[i])) || lower[i] == '_'); };
                        if ((at > 0 && word(at - 1)) || word(at + name.size())) continue;
                        FAIL_CHECK(entry.path().string() << ":" << n << " names the protocol " << name << ": " << line);
                    }
                }
            }
        }
    }
}

TEST_CASE("guard: no test name contains a semicolon, which CTest would split into empty tests", "[guard]") {
    std::string marker = std::string("TEST_") + "CASE(\"";
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / "tests")) {
        if (entry.path().extension() != ".cpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            auto at = line.find(marker);
            if (at == std::string::npos) continue;
            auto end = line.find('"', at + marker.size());
            if (line.substr(at, end - at).find(';') != std::string::npos)
                FAIL_CHECK(entry.path().string() << ":" << n << " has a ';' in its test name");
        }
    }
}

// One section-index convention (CONTRIBUTING.md, "Files"): a source file over 400 lines names its
// sections in its opening comment ("Sections: [a] [b] ..."), and each section starts with a
// banner line "// [a]". Tests and benchmarks follow it too.
TEST_CASE("guard: every source file over 400 lines has a section index that matches its banners", "[guard]") {
    constexpr std::size_t lines_min = 400;
    std::size_t indexed = 0;
    for (const char* dir : {"sim", "check", "scenario", "store", "protocols", "runner", "visualizer", "cli", "labs", "bench", "tests"}) {
        if (!fs::exists(fs::path(FAULTLINE_SOURCE_DIR) / dir)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(FAULTLINE_SOURCE_DIR) / dir)) {
            auto ext = entry.path().extension();
            if (ext != ".h" && ext != ".cpp") continue;
            std::ifstream in(entry.path());
            std::vector<std::string> lines;
            for (std::string line; std::getline(in, line);) lines.push_back(line);
            if (lines.size() <= lines_min) continue;
            // The opening comment block: its "Sections:" list, possibly over several lines.
            std::string opening;
            for (const std::string& line : lines) {
                if (line.rfind("//", 0) != 0) break;
                opening += line + "\n";
            }
            const auto at = opening.find("Sections:");
            if (at == std::string::npos) {
                FAIL_CHECK(entry.path().string() << " has " << lines.size() << " lines but no \"Sections: [a] [b]\" index");
                continue;
            }
            ++indexed;
            std::vector<std::string> names;
            for (std::size_t open = opening.find('[', at); open != std::string::npos; open = opening.find('[', open + 1)) {
                const std::size_t close = opening.find(']', open);
                if (close == std::string::npos || opening.find('.', at) < open) break;  // the list ends at its full stop
                names.push_back(opening.substr(open + 1, close - open - 1));
            }
            CHECK_FALSE(names.empty());
            for (const std::string& name : names) {
                bool found = false;
                for (const std::string& line : lines) {
                    const auto first = line.find_first_not_of(" \t");
                    found |= first != std::string::npos && line.compare(first, 5 + name.size(), "// [" + name + "]") == 0;
                }
                if (!found) FAIL_CHECK(entry.path().string() << " lists section [" << name << "] but has no \"// [" << name << "]\" banner");
            }
        }
    }
    REQUIRE(indexed >= 10);
}
